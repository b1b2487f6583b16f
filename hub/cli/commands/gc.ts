// `hub gc`: compact the change log (old tombstones move the reset horizon).
import { compact } from '../../sync/gc.ts';
import { line, UsageError, type HubCommand } from '../io.ts';

export const run: HubCommand = async ({ o, io, open }) => {
  const days = o['older-than-days'] === undefined ? 30 : Number(o['older-than-days']);
  if (!Number.isFinite(days) || days < 0) throw new UsageError('--older-than-days must be a number ≥ 0');
  const r = await compact(await open(), { olderThanMs: days * 86_400_000 });
  line(io.stdout, o.json ? JSON.stringify(r) : `dropped ${r.superseded} superseded rows, ${r.tombstones} tombstones, ${r.blobs} blobs; tombstone horizon ${r.tombstoneHorizon}`);
  return 0;
};
