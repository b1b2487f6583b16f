// app.*: what this kiosk is and offers (features: what the build and this kiosk's setup have, minus
// what central IT switched off), and the renderer's watchdog heartbeat.
import { LOCALES } from '../../../contracts/kb-bundle.ts';
import type { AppInfo } from '../../../contracts/kiosk-api.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function appHandlers(ctx: HandlerContext): NamespaceHandlers<'app'> {
  return {
    'app.info': (): AppInfo => ({
      apiVersion: 1,
      appVersion: ctx.appVersion,
      mode: ctx.mode,
      locales: [...LOCALES],
      defaultLocale: ctx.config.defaultLocale,
      idleTimeoutSec: ctx.config.idleTimeoutSec,
      idleCountdownSec: ctx.config.idleCountdownSec,
      branchName: ctx.config.branchName,
      features: ctx.live.applyFeatures({
        kb: true,
        assistant: true,
        session: true,
        staff: !!ctx.staff?.configured,
        update: !!ctx.updates,
        devices: !!ctx.devices && (ctx.devices.configured?.() ?? true),
        identify: !!ctx.hubEndpoint,
        orders: !!ctx.hubEndpoint,
        tickets: !!ctx.hub,
        // Offline (or with no hub) the kiosk hands out numbers of its own: always available.
        queue: true,
        ratings: !!ctx.hub,
        print: !!ctx.devices?.printer,
        sync: !!ctx.hub?.sync,
        outbox: !!ctx.hub,
      }),
    }),
    'app.heartbeat': ({ at }) => {
      ctx.host?.heartbeat?.(at);
      return { ok: true };
    },
  };
}
