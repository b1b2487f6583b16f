// system.*: the machine as staff see it — the disk the kiosk writes to, and the core's uptime.
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function systemHandlers(ctx: HandlerContext): NamespaceHandlers<'system'> {
  return {
    'system.status': () => {
      // The folder of the KB file is where the kiosk writes (KB, outbox, logs): its disk filling up
      // is what stops a kiosk, so that is the disk staff see.
      const file = ctx.store.db.name;
      const s = statfsSync(file && file !== ':memory:' ? dirname(file) : tmpdir());
      return { diskFreeBytes: s.bavail * s.bsize, diskTotalBytes: s.blocks * s.bsize, uptimeSec: Math.floor((ctx.now() - ctx.startedAt) / 1000) };
    },
  };
}
