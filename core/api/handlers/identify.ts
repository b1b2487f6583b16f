// identify.*: ID card, fingerprint 1:1 and SMS code (core/identity/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function identifyHandlers({ identity, fingerprint }: HandlerContext): NamespaceHandlers<'identify'> {
  return {
    'identify.idCard': ({ timeoutSec }) => identity.idCard(timeoutSec),
    'identify.fingerprint': ({ phone, timeoutSec }) => fingerprint.identify(phone, timeoutSec),
    'identify.cancel': () => {
      identity.cancel();
      return { ok: true };
    },
    'identify.smsRequest': ({ phone }) => identity.smsRequest(phone),
    'identify.smsVerify': ({ code }) => identity.smsVerify(code),
  };
}
