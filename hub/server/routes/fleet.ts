// Central IT's commands, kiosk side (hub/fleet/commands.ts; docs/sync-protocol.md "Hub commands").
import { FLEET_ROUTES } from '../../../contracts/hub-routes/fleet.ts';
import { openCommandsFor, reportCommand } from '../../fleet/commands.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(FLEET_ROUTES, ({ hub }) => ({
  'fleet.commands.open': async ({ principal }) => ({ commands: await openCommandsFor(hub, principal.id) }),
  'fleet.commands.report': async ({ params, body, principal }) => reportCommand(hub, principal.id, params.id, body),
}));
