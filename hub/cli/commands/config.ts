// `hub config set|show|unset <target>`: configuration layers (fleet, branch, kiosk), synced like the KB.
import { readFileSync } from 'node:fs';
import { KioskConfigLayer } from '../../../contracts/sync-config.ts';
import { getConfig, parseConfigTarget, setConfig } from '../../fleet/config.ts';
import { CommandError, line, unknownCommand, UsageError, type HubCommand } from '../io.ts';

function describe(t: { scope: string; branch?: string; kiosk?: string }): string {
  return t.scope === 'fleet' ? 'the fleet' : t.scope === 'branch' ? `branch '${t.branch}'` : `kiosk '${t.kiosk}'`;
}

export const run: HubCommand = async ({ p, io, open }) => {
  switch (p[1]) {
    case 'set': {
      if (p.length !== 4) throw new UsageError('config set needs a target and a JSON file');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(p[3]!, 'utf8'));
      } catch (err) {
        throw new CommandError(`${p[3]}: ${(err as Error).message}`);
      }
      const layer = KioskConfigLayer.safeParse(json);
      if (!layer.success) {
        const i = layer.error.issues[0]!;
        throw new CommandError(`${p[3]}: ${i.path.length ? `field '${i.path.join('.')}': ` : ''}${i.message}; nothing was changed`);
      }
      const h = await open();
      const target = await parseConfigTarget(h.db, p[2]!);
      const r = await setConfig(h, target, layer.data);
      line(io.stdout, r.puts ? `configuration for ${describe(target)} published (revision ${r.revision})` : `configuration for ${describe(target)} unchanged`);
      return 0;
    }
    case 'show': {
      if (p.length !== 3) throw new UsageError('config show needs a target');
      const h = await open();
      line(io.stdout, JSON.stringify(await getConfig(h.db, await parseConfigTarget(h.db, p[2]!)), null, 2));
      return 0;
    }
    case 'unset': {
      if (p.length !== 3) throw new UsageError('config unset needs a target');
      const h = await open();
      const target = await parseConfigTarget(h.db, p[2]!);
      const r = await setConfig(h, target, null);
      line(io.stdout, r.deletes ? `configuration for ${describe(target)} removed` : `${describe(target)} had no configuration`);
      return 0;
    }
    default:
      throw unknownCommand(p);
  }
};
