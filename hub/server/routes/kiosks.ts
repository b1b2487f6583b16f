// The console's fleet: the kiosk list and page, commands, enrolment and revocation (hub/fleet/).
// Every query runs in the caller's scope (hub/fleet/scope.ts): a branch manager's requests see
// their branch's kiosks only, and another branch's kiosk is "not found".
import { KIOSKS_ROUTES } from '../../../contracts/hub-routes/kiosks.ts';
import { HISTORY_KEEP_HOURS } from '../../../contracts/fleet-view.ts';
import { createCommand, listCommands } from '../../fleet/commands.ts';
import { kioskInScopeByName, kioskSummary, listFleet } from '../../fleet/fleet-list.ts';
import { addKiosk, revokeKiosk, rotateKioskToken } from '../../fleet/kiosks.ts';
import { fleetScope } from '../../fleet/scope.ts';
import { readHistory } from '../../fleet/status-history.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(KIOSKS_ROUTES, ({ hub, auth, fleet, events }) => ({
  'kiosks.list': async ({ query, principal }) => listFleet(hub.db, fleetScope(principal), query, await fleet.clock()),
  'kiosks.get': async ({ params, principal }) => {
    const clock = await fleet.clock();
    const row = await kioskInScopeByName(hub.db, fleetScope(principal), params.name);
    return { kiosk: kioskSummary(row, clock), head: clock.head, onlineWithinSeconds: clock.onlineWithinSeconds };
  },
  'kiosks.history': async ({ params, query, principal }) => {
    const row = await kioskInScopeByName(hub.db, fleetScope(principal), params.name);
    const to = Date.now();
    const from = new Date(to - (query.hours ?? HISTORY_KEEP_HOURS) * 3600_000).toISOString();
    return { kiosk: row.name, bucketSeconds: fleet.history.bucketSeconds, from, to: new Date(to).toISOString(), buckets: await readHistory(hub.db, row.id, from, fleet.history) };
  },
  'kiosks.commands.list': async ({ params, query, principal }) => {
    const row = await kioskInScopeByName(hub.db, fleetScope(principal), params.name);
    return { commands: await listCommands(hub.db, row.name, query.limit ?? 100) };
  },
  'kiosks.commands.send': async ({ params, body, principal }) => {
    const row = await kioskInScopeByName(hub.db, fleetScope(principal), params.name);
    const command = await createCommand(hub, row.name, body.type);
    events.publish({ type: 'command.updated', branch: row.branch, data: { command } });
    return { command };
  },
  'kiosks.enrol': async ({ body }) => {
    const { kiosk, token } = await addKiosk(hub, body.name, body.branch ?? null);
    const summary = await fleet.announceKiosk(kiosk.name, 'kiosk.enrolled');
    return { kiosk: summary, token };
  },
  'kiosks.token': async ({ params }) => {
    const { kiosk, token } = await rotateKioskToken(hub, params.name);
    auth.tokens.forget();
    const summary = await fleet.announceKiosk(kiosk.name, 'kiosk.enrolled');
    return { kiosk: summary, token };
  },
  'kiosks.revoke': async ({ params }) => {
    await revokeKiosk(hub, params.name);
    auth.tokens.forget();
    const clock = await fleet.clock();
    const kiosk = await fleet.announceKiosk(params.name, 'kiosk.revoked');
    return { kiosk, head: clock.head, onlineWithinSeconds: clock.onlineWithinSeconds };
  },
}));
