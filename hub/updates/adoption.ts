// Which app versions the fleet runs, from what the kiosks report with each poll: per version, how
// many kiosks, how many online, and their update states (how far a rollout has got). Restricted
// to the caller's scope (a branch manager: their branch).
import { sql } from 'kysely';
import type { AdoptionResponse } from '../../contracts/fleet-view.ts';
import type { HubTx } from '../db/open.ts';
import { onlineCutoff } from '../fleet/fleet-list.ts';
import { kioskInScope, type FleetScope } from '../fleet/scope.ts';
import { compareVersionsDesc } from './versions.ts';

export async function adoption(db: HubTx, scope: FleetScope, clock: { now: number; onlineWithinSeconds: number }, branch?: string): Promise<AdoptionResponse> {
  let q = db.selectFrom('kiosks').where('revoked_at', 'is', null).where(kioskInScope(scope));
  if (branch) q = q.where('branch', '=', branch);
  const rows = await q
    .select(['app_version', 'update_state', sql<number>`count(*)`.as('n'), sql<number>`sum(CASE WHEN last_seen_at >= ${onlineCutoff(clock)} THEN 1 ELSE 0 END)`.as('online')])
    .groupBy(['app_version', 'update_state'])
    .execute();
  const byVersion = new Map<string | null, { version: string | null; kiosks: number; online: number; updateStates: Record<string, number> }>();
  let total = 0;
  for (const r of rows) {
    const v = byVersion.get(r.app_version) ?? { version: r.app_version, kiosks: 0, online: 0, updateStates: {} };
    const n = Number(r.n);
    v.kiosks += n;
    v.online += Number(r.online ?? 0);
    const state = r.update_state ?? 'unknown';
    v.updateStates[state] = (v.updateStates[state] ?? 0) + n;
    byVersion.set(r.app_version, v);
    total += n;
  }
  return { total, versions: [...byVersion.values()].sort((a, b) => compareVersionsDesc(a.version, b.version)) };
}
