// Central IT's commands, kiosk side (hub/fleet/commands.ts; docs/sync-protocol.md "Hub commands").
import { FLEET_ROUTES } from '../../../contracts/hub-routes/fleet.ts';
import { commandById, openCommandsFor, reportCommand } from '../../fleet/commands.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(FLEET_ROUTES, ({ hub, events }) => ({
  'fleet.commands.open': async ({ principal }) => ({ commands: await openCommandsFor(hub, principal.id) }),
  'fleet.commands.report': async ({ params, body, principal }) => {
    const r = await reportCommand(hub, principal.id, params.id, body);
    if (!r.duplicate) {
      // the outcome, live on the consoles that may see this kiosk
      const c = await commandById(hub.db, params.id);
      if (c) events.publish({ type: 'command.updated', branch: c.branch, data: { command: c.command } });
    }
    return r;
  },
}));
