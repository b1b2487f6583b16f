// Kiosk configuration layers (contracts/sync-config.ts), published through the change log like the
// KB: entity kind 'config', key fleet|branch|kiosk, scoped so that each kiosk receives only the
// fleet layer, its branch's and its own.
import type { ConfigTarget } from '../../contracts/hub-routes/admin.ts';
import type { KioskConfigLayer } from '../../contracts/sync-config.ts';
import type { HubDb, HubTx } from '../db/open.ts';
import { currentRows, publishInTx, type PublishResult } from '../sync/publish.ts';
import { FleetError, findKiosk } from './kiosks.ts';

export async function scopeOf(db: HubTx, target: ConfigTarget): Promise<{ key: 'fleet' | 'branch' | 'kiosk'; scope: string }> {
  if (target.scope === 'fleet') return { key: 'fleet', scope: '' };
  if (target.scope === 'branch') return { key: 'branch', scope: `branch:${target.branch}` };
  const kiosk = await findKiosk(db, target.kiosk);
  if (!kiosk) throw new FleetError(`no kiosk named '${target.kiosk}'`, 'not_found');
  return { key: 'kiosk', scope: `kiosk:${kiosk.id}` };
}

/**
 * Replaces the layer for `target` (null removes it). With `expectedHash` (the hash the editor
 * started from; null: no layer) the write is refused with 'conflict' when the layer changed since.
 */
export async function setConfig(hub: HubDb, target: ConfigTarget, layer: KioskConfigLayer | null, options: { expectedHash?: string | null } = {}): Promise<PublishResult> {
  return hub.write(
    async (trx) => {
      const { key, scope } = await scopeOf(trx, target);
      const current = await currentRows(trx, ['config'], scope);
      if (options.expectedHash !== undefined) {
        const row = current.find((r) => r.key === key && r.op === 'put');
        if ((row?.hash ?? null) !== options.expectedHash) throw new FleetError('this configuration layer was changed by someone else since it was read; reload it and apply your edit again', 'conflict');
      }
      const entity = { kind: 'config' as const, key, scope };
      return publishInTx(hub, trx, { puts: layer ? [{ ...entity, data: layer }] : [], deletes: layer ? [] : [entity], current }, { kind: 'config', summary: { target } });
    },
    { publish: true },
  );
}

/** The layer for `target` and its change hash (what `expectedHash` compares with). */
export async function readLayer(db: HubTx, target: ConfigTarget): Promise<{ layer: KioskConfigLayer | null; hash: string | null }> {
  const { key, scope } = await scopeOf(db, target);
  const row = await db
    .selectFrom('changes')
    .select(['op', 'data', 'hash'])
    .where('kind', '=', 'config')
    .where('key', '=', key)
    .where('scope', '=', scope)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();
  return row?.op === 'put' && row.data ? { layer: JSON.parse(row.data) as KioskConfigLayer, hash: row.hash } : { layer: null, hash: null };
}

export async function getConfig(db: HubTx, target: ConfigTarget): Promise<KioskConfigLayer | null> {
  return (await readLayer(db, target)).layer;
}

/** `kiosk:NAME`, `branch:NAME`, `fleet`; a bare NAME is a kiosk if one has that name, else a branch. */
export async function parseConfigTarget(db: HubTx, spec: string): Promise<ConfigTarget> {
  if (spec === 'fleet' || spec === '*') return { scope: 'fleet' };
  const m = /^(kiosk|branch):(.+)$/.exec(spec);
  if (m) return m[1] === 'kiosk' ? { scope: 'kiosk', kiosk: m[2]! } : { scope: 'branch', branch: m[2]! };
  if (await findKiosk(db, spec)) return { scope: 'kiosk', kiosk: spec };
  const branch = await db.selectFrom('kiosks').select('id').where('branch', '=', spec).executeTakeFirst();
  if (branch) return { scope: 'branch', branch: spec };
  throw new FleetError(`'${spec}' is neither a kiosk nor a branch of any kiosk; write kiosk:NAME, branch:NAME or fleet`, 'not_found');
}
