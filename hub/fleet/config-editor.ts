// The configuration editor's data: a target's own layer (fleet, branch or kiosk), the layers under
// it, and the effective configuration a kiosk there runs — computed by the same mergeKioskConfig
// the kiosk uses (contracts/sync-config.ts), with the layer each field comes from. Writes are
// validated by the same zod schema the kiosk applies (the route validates the body; field paths
// come back in the 400's details) and guarded by the hash the edit started from.
import type { CONFIG_SOURCES, ConfigView, WriteConfigRequest } from '../../contracts/fleet-view.ts';
import type { ConfigTarget } from '../../contracts/hub-routes/admin.ts';
import { mergeKioskConfig, type KioskConfigLayer } from '../../contracts/sync-config.ts';
import type { HubDb, HubTx } from '../db/open.ts';
import type { EventBus } from '../events/bus.ts';
import { readLayer, setConfig } from './config.ts';
import { kioskInScopeByName } from './fleet-list.ts';
import { FleetError, findKiosk } from './kiosks.ts';
import type { FleetScope } from './scope.ts';

type Source = (typeof CONFIG_SOURCES)[number];

/** Which layer sets each field: `field`, or `field.key` inside the objects that merge per key. */
export function configSources(layers: Partial<Record<Exclude<Source, 'default'>, KioskConfigLayer | null>>): Record<string, Source> {
  const out: Record<string, Source> = {};
  const effective = mergeKioskConfig();
  for (const [k, v] of Object.entries(effective)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const sub of Object.keys(v)) out[`${k}.${sub}`] = 'default';
    else out[k] = 'default';
  }
  for (const name of ['fleet', 'branch', 'kiosk'] as const) {
    const layer = layers[name];
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        // an object field merges key by key (mergeKioskConfig): each key has its own source
        for (const sub of Object.keys(v)) out[`${k}.${sub}`] = name;
      } else out[k] = name;
    }
  }
  return out;
}

/** Whether the caller may read (and, where the route allows, write) this target. */
async function checkTarget(db: HubTx, scope: FleetScope, target: ConfigTarget): Promise<{ branch: string | null }> {
  if (target.scope === 'kiosk') return { branch: (await kioskInScopeByName(db, scope, target.kiosk)).branch };
  if (target.scope === 'branch') {
    if (scope.kind === 'branch' && scope.branch !== target.branch) throw new FleetError(`no branch named '${target.branch}' in your part of the fleet`, 'not_found');
    return { branch: target.branch };
  }
  return { branch: null };
}

export async function configView(db: HubTx, scope: FleetScope, target: ConfigTarget): Promise<ConfigView> {
  const { branch } = await checkTarget(db, scope, target);
  const own = await readLayer(db, target);
  const fleet = target.scope === 'fleet' ? own.layer : (await readLayer(db, { scope: 'fleet' })).layer;
  const branchLayer = target.scope === 'branch' ? own.layer : target.scope === 'kiosk' && branch !== null ? (await readLayer(db, { scope: 'branch', branch })).layer : null;
  const kioskLayer = target.scope === 'kiosk' ? own.layer : null;
  return {
    target,
    layer: own.layer,
    hash: own.hash,
    inherited: { fleet: target.scope === 'fleet' ? null : fleet, branch: target.scope === 'kiosk' ? branchLayer : null },
    effective: mergeKioskConfig(fleet, branchLayer, kioskLayer),
    sources: configSources({ fleet, branch: branchLayer, kiosk: kioskLayer }),
  };
}

/** Validates (the route did: the body is WriteConfigRequest), checks the hash, publishes. */
export async function writeConfig(hub: HubDb, scope: FleetScope, req: WriteConfigRequest): Promise<{ view: ConfigView; published: { revision: number; head: number } | null }> {
  await checkTarget(hub.db, scope, req.target);
  if (req.dryRun) {
    const view = await configView(hub.db, scope, req.target);
    if (req.expectedHash !== undefined && view.hash !== req.expectedHash) throw new FleetError('this configuration layer was changed by someone else since it was read; reload it and apply your edit again', 'conflict');
    // the view as it would be: this layer replaced
    const layers = { fleet: req.target.scope === 'fleet' ? req.config : view.inherited.fleet, branch: req.target.scope === 'branch' ? req.config : view.inherited.branch, kiosk: req.target.scope === 'kiosk' ? req.config : null };
    return { view: { ...view, layer: req.config, effective: mergeKioskConfig(layers.fleet, layers.branch, layers.kiosk), sources: configSources(layers) }, published: null };
  }
  const result = await setConfig(hub, req.target, req.config, req.expectedHash !== undefined ? { expectedHash: req.expectedHash } : {});
  const view = await configView(hub.db, scope, req.target);
  return { view, published: result.puts + result.deletes > 0 ? { revision: result.revision, head: result.head } : null };
}

/** Tells consoles a layer changed: the branch it concerns (a kiosk's branch; null for the fleet). */
export async function announceConfig(hub: HubDb, events: EventBus, target: ConfigTarget): Promise<void> {
  const branch = target.scope === 'branch' ? target.branch : target.scope === 'kiosk' ? ((await findKiosk(hub.db, target.kiosk))?.branch ?? null) : null;
  events.publish({ type: 'config.changed', branch, data: { target, hash: (await readLayer(hub.db, target)).hash } });
}
