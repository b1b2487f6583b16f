// staff.*: the staff panel behind the PIN (core/staff/) — unlock and lock, restart, reboot, exit,
// sync now, update check, test print, test card read, fingerprint enrolment, recent logs. Every
// action is audited, refusals and failures included.
import { maskIdNumber, maskName } from '../../../contracts/identity.ts';
import { KioskApiError, type StaffState } from '../../../contracts/kiosk-api.ts';
import { testPageData } from '../../devices/receipts-data.ts';
import { SyncError } from '../../hub-client/errors.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import { updateStatus, type HandlerContext } from './context.ts';

export function staffState(ctx: HandlerContext): StaffState {
  return ctx.staff?.snapshot() ?? { unlocked: false, failures: 0, lockedUntil: null, configured: false };
}

export function staffHandlers(ctx: HandlerContext): NamespaceHandlers<'staff'> {
  const { staff, audit, events, session } = ctx;

  /** Runs a staff action and audits it: ok, denied (not available here) or failed. */
  const staffAction = (action: string, run: () => void | Promise<void>) => async () => {
    const at = new Date(ctx.now()).toISOString();
    try {
      await run();
      audit.record({ at, action, outcome: 'ok' });
      return { ok: true as const };
    } catch (err) {
      audit.record({ at, action, outcome: err instanceof KioskApiError && err.code === 'not_available' ? 'denied' : 'failed', detail: (err as Error).message });
      throw err;
    }
  };

  return {
    'staff.status': () => staffState(ctx),
    'staff.unlock': ({ pin }) => {
      if (!staff) throw new KioskApiError('not_available', 'staff mode is not configured on this kiosk (no staff PIN hash)');
      const outcome = staff.unlock(pin);
      events.emit('staff.state', staffState(ctx));
      switch (outcome.kind) {
        case 'unlocked':
          return staffState(ctx);
        case 'not-configured':
          throw new KioskApiError('not_available', 'staff mode is not configured on this kiosk (no staff PIN hash)');
        case 'locked':
          throw new KioskApiError('locked', 'too many wrong PINs: staff mode is locked for a while', { until: new Date(outcome.until).toISOString() });
        case 'wrong':
          throw new KioskApiError('unauthorized', `wrong PIN (${outcome.failures} wrong in a row)`);
      }
    },
    'staff.lock': () => {
      staff?.lock();
      events.emit('staff.state', staffState(ctx));
      return staffState(ctx);
    },
    'staff.restartApp': staffAction('staff.restartApp', () => {
      if (!ctx.host) throw new KioskApiError('not_available', 'this shell cannot restart the app');
      session.end('restart');
      ctx.host.restartApp();
    }),
    'staff.reboot': staffAction('staff.reboot', async () => {
      if (!ctx.host?.reboot) throw new KioskApiError('not_available', 'no reboot command is configured on this kiosk');
      session.end('restart');
      await ctx.host.reboot();
    }),
    'staff.exitKiosk': staffAction('staff.exitKiosk', () => {
      if (!ctx.host?.exitKiosk) throw new KioskApiError('not_available', 'this shell has no kiosk mode to leave');
      ctx.host.exitKiosk();
    }),
    'staff.syncNow': staffAction('sync-now', async () => {
      const engine = ctx.hub?.sync;
      if (!engine) throw new KioskApiError('not_available', 'no hub is configured on this kiosk (KIOSK_HUB_URL and a device token)');
      try {
        await engine.syncNow();
      } catch (err) {
        // A hub that cannot be reached is `offline` for the panel, not a bug; other failures stay internal.
        if (err instanceof SyncError && err.transient) throw new KioskApiError('offline', `the hub cannot be reached: ${err.message}`);
        throw err;
      }
    }),
    'staff.checkUpdate': async () => {
      if (!ctx.updates) return updateStatus(ctx);
      audit.record({ at: new Date(ctx.now()).toISOString(), action: 'staff.checkUpdate', outcome: 'ok' });
      return ctx.updates.checkNow();
    },
    'staff.testPrint': async () => {
      const at = new Date(ctx.now());
      const entry = { at: at.toISOString(), action: 'staff.testPrint' };
      const printer = ctx.devices?.printer;
      if (!printer) {
        audit.record({ ...entry, outcome: 'denied', detail: 'no printer configured' });
        throw new KioskApiError('not_available', 'no printer is configured on this kiosk');
      }
      try {
        const out = await printer.print('test-page', testPageData(ctx.config.branchName, at));
        audit.record({ ...entry, outcome: out.printed ? 'ok' : 'failed', ...(out.printed ? {} : { detail: out.code }) });
        return out.printed ? { printed: true } : { printed: false, problem: out.code };
      } catch (err) {
        audit.record({ ...entry, outcome: 'failed', detail: (err as Error).message });
        throw err;
      }
    },
    // Staff check the reader with any card: only masked data comes back, nothing is kept.
    'staff.testCardRead': async () => {
      const entry = { at: new Date(ctx.now()).toISOString(), action: 'staff.testCardRead' };
      const card = ctx.devices?.card;
      if (!card) {
        audit.record({ ...entry, outcome: 'denied', detail: 'no ID card reader configured' });
        throw new KioskApiError('not_available', 'no ID card reader is configured on this kiosk');
      }
      try {
        const read = await card.read({ timeoutMs: 30_000 });
        audit.record({ ...entry, outcome: 'ok' });
        return { displayName: maskName(read.name), maskedId: maskIdNumber(read.idNumber), method: 'idcard' as const };
      } catch (err) {
        audit.record({ ...entry, outcome: 'failed', detail: err instanceof KioskApiError ? err.code : 'error' });
        throw err;
      }
    },
    'staff.enrolFingerprint': ({ customerRef, timeoutSec }) => staffAction('staff.enrolFingerprint', () => ctx.fingerprint.enrol(customerRef, timeoutSec))(),
    'staff.logs': ({ limit }) => ctx.logs?.recent(limit ?? 100) ?? [],
  };
}
