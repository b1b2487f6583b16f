// devices.*: the health of this kiosk's devices (core/devices/).
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function devicesHandlers({ devices }: HandlerContext): NamespaceHandlers<'devices'> {
  return {
    'devices.status': () => {
      if (!devices || devices.configured?.() === false) throw new KioskApiError('not_available', 'devices.status is not available: no devices are configured on this kiosk');
      return devices.health();
    },
  };
}
