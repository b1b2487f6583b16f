// The configuration editor (hub/fleet/config-editor.ts): reads in the caller's scope, writes by
// admins; a write publishes through the change log (kiosks get it at their next poll) and tells
// consoles which layer changed.
import { configTargetOf } from '../../../contracts/fleet-view.ts';
import { CONFIG_ROUTES } from '../../../contracts/hub-routes/config.ts';
import { announceConfig, configView, writeConfig } from '../../fleet/config-editor.ts';
import { fleetScope } from '../../fleet/scope.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(CONFIG_ROUTES, ({ hub, head, events }) => ({
  'config.get': async ({ query, principal }) => {
    return configView(hub.db, fleetScope(principal), configTargetOf(query));
  },
  'config.write': async ({ body, principal }) => {
    const result = await writeConfig(hub, fleetScope(principal), body);
    if (result.published) {
      head.invalidate();
      await announceConfig(hub, events, body.target);
    }
    return result;
  },
}));
