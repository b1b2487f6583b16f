// Compaction: the change log keeps superseded rows (so a sync that started before a publish still
// reads a consistent snapshot) and tombstones (so kiosks learn of deletions). Both are dropped after
// a retention period; the horizons record what was dropped:
//   snapshot_horizon  — a sync whose `to` is older gets 409 snapshot_expired (it restarts);
//   tombstone_horizon — a cursor older than this gets 410 reset_required (full sync).
// Blob bytes that no change row refers to any more are dropped too.
import { sql } from 'kysely';
import { HEAD_CHANNEL, getMeta, setMeta, type HubDb } from '../db/open.ts';

export interface GcResult {
  superseded: number;
  tombstones: number;
  blobs: number;
  snapshotHorizon: number;
  tombstoneHorizon: number;
}

export async function compact(hub: HubDb, options: { olderThanMs: number; now?: Date }): Promise<GcResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs).toISOString();
  return hub.write(
    async (trx) => {
      const superseded = await trx
        .selectFrom('changes')
        .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('superseded_by').as('max')])
        .where('superseded_by', 'is not', null)
        .where('superseded_at', '<=', cutoff)
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('changes').where('superseded_by', 'is not', null).where('superseded_at', '<=', cutoff).execute();
      const tombstones = await trx
        .selectFrom('changes')
        .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('seq').as('max')])
        .where('op', '=', 'delete')
        .where('superseded_by', 'is', null)
        .where('created_at', '<=', cutoff)
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('changes').where('op', '=', 'delete').where('superseded_by', 'is', null).where('created_at', '<=', cutoff).execute();
      const blobs = await trx
        .deleteFrom('blobs')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('changes').select('seq').where('kind', '=', 'blob').whereRef('changes.key', '=', 'blobs.sha256'))),
        )
        .executeTakeFirst();

      let snapshotHorizon = Number(await getMeta(trx, 'snapshot_horizon'));
      let tombstoneHorizon = Number(await getMeta(trx, 'tombstone_horizon'));
      if (superseded.max !== null) snapshotHorizon = Math.max(snapshotHorizon, Number(superseded.max));
      // A tombstone at seq s is gone: a cursor < s would miss the deletion. Cursor = s is fine.
      if (tombstones.max !== null) tombstoneHorizon = Math.max(tombstoneHorizon, Number(tombstones.max));
      await setMeta(trx, 'snapshot_horizon', String(snapshotHorizon));
      await setMeta(trx, 'tombstone_horizon', String(tombstoneHorizon));
      if (hub.dialect === 'postgres') await sql`SELECT pg_notify(${HEAD_CHANNEL}, 'gc')`.execute(trx);
      return {
        superseded: Number(superseded.n),
        tombstones: Number(tombstones.n),
        blobs: Number(blobs.numDeletedRows),
        snapshotHorizon,
        tombstoneHorizon,
      };
    },
    { publish: true },
  );
}
