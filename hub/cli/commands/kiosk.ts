// `hub kiosk add|list|revoke|token|command|commands`: the fleet's kiosks and central IT's commands.
import { BranchName, KioskName } from '../../../contracts/hub-routes/admin.ts';
import { FLEET_COMMAND_TYPES, FleetCommandType } from '../../../contracts/sync-protocol.ts';
import { createCommand, listCommands } from '../../fleet/commands.ts';
import { deviceHealthText } from '../../fleet/device-health.ts';
import { addKiosk, listKiosks, revokeKiosk, rotateKioskToken, uptimeText } from '../../fleet/kiosks.ts';
import { intOption, line, table, unknownCommand, UsageError, type HubCommand } from '../io.ts';

export const run: HubCommand = async ({ p, o, io, open }) => {
  switch (p[1]) {
    case 'add': {
      if (p.length !== 3) throw new UsageError('kiosk add needs exactly one name');
      const name = KioskName.safeParse(p[2]);
      if (!name.success) throw new UsageError(`kiosk name: ${name.error.issues[0]!.message}`);
      const branch = o.branch === undefined ? null : BranchName.safeParse(o.branch);
      if (branch && !branch.success) throw new UsageError(`--branch: ${branch.error.issues[0]!.message}`);
      const r = await addKiosk(await open(), name.data, branch?.data ?? null);
      if (o.json) line(io.stdout, JSON.stringify(r));
      else {
        line(io.stdout, r.token);
        line(io.stderr, `hub: kiosk '${r.kiosk.name}' added${r.kiosk.branch ? ` to branch '${r.kiosk.branch}'` : ''}; the token above is not shown again.`);
      }
      return 0;
    }
    case 'list': {
      const kiosks = await listKiosks((await open()).db);
      if (o.json) line(io.stdout, JSON.stringify(kiosks));
      else if (kiosks.length === 0) line(io.stdout, 'no kiosks; add one with `hub kiosk add <name>`');
      else
        line(
          io.stdout,
          table([
            ['NAME', 'BRANCH', 'STATE', 'LAST SEEN', 'CURSOR', 'VERSION', 'UPDATE', 'BACKLOG', 'UPTIME', 'DEVICES'],
            ...kiosks.map((k) => [k.name, k.branch ?? '-', k.revokedAt ? 'revoked' : 'active', k.lastSeenAt ?? 'never', String(k.lastCursor ?? '-'), k.appVersion ?? '-', k.updateState ?? '-', String(k.outboxBacklog ?? '-'), uptimeText(k.uptimeSeconds), deviceHealthText(k.deviceHealth)]),
          ]),
        );
      return 0;
    }
    case 'command': {
      if (p.length !== 4) throw new UsageError(`kiosk command needs a name and a command: ${FLEET_COMMAND_TYPES.join(', ')}`);
      const type = FleetCommandType.safeParse(p[3]);
      if (!type.success) throw new UsageError(`unknown kiosk command '${p[3]!.slice(0, 40)}': use ${FLEET_COMMAND_TYPES.join(', ')}`);
      const c = await createCommand(await open(), p[2]!, type.data);
      line(io.stdout, o.json ? JSON.stringify(c) : `${c.type} sent to kiosk '${c.kiosk}' (command ${c.id}); it runs after the kiosk's next poll — see \`hub kiosk commands ${c.kiosk}\``);
      return 0;
    }
    case 'commands': {
      if (p.length !== 3) throw new UsageError('kiosk commands needs exactly one name');
      const commands = await listCommands((await open()).db, p[2]!, intOption(o.limit, 'limit', 20, 1, 1000));
      if (o.json) line(io.stdout, JSON.stringify(commands));
      else if (commands.length === 0) line(io.stdout, `no commands sent to '${p[2]}'`);
      else line(io.stdout, table([['SENT', 'COMMAND', 'STATE', 'SEEN', 'DETAIL', 'ID'], ...commands.map((c) => [c.createdAt, c.type, c.state, c.seenAt ?? 'not yet', c.detail ?? '-', c.id])]));
      return 0;
    }
    case 'revoke': {
      if (p.length !== 3) throw new UsageError('kiosk revoke needs exactly one name');
      const k = await revokeKiosk(await open(), p[2]!);
      line(io.stdout, `kiosk '${k.name}' revoked (running hubs refuse its token within 10 s)`);
      return 0;
    }
    case 'token': {
      if (p.length !== 3) throw new UsageError('kiosk token needs exactly one name');
      const r = await rotateKioskToken(await open(), p[2]!);
      line(io.stdout, r.token);
      line(io.stderr, `hub: new token for '${r.kiosk.name}'; the old one no longer works.`);
      return 0;
    }
    default:
      throw unknownCommand(p);
  }
};
