// GET /v1/health and GET /v1/openapi.json.
import { META_ROUTES } from '../../../contracts/hub-routes/meta.ts';
import { areaPlugin } from '../area-plugin.ts';
import { buildOpenApi } from '../openapi.ts';

export default areaPlugin(META_ROUTES, ({ hub, head }) => {
  let openApi: Record<string, unknown> | null = null;
  return {
    'meta.health': async () => {
      const s = await head.current();
      return { ok: true as const, hubId: s.hubId, head: s.head, db: hub.dialect };
    },
    // The table does not change while the server runs.
    'meta.openapi': async () => (openApi ??= buildOpenApi()),
  };
});
