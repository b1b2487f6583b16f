// Customer identification (hub/identity/identity.ts) and fingerprint 1:1: staff enrolment, then
// challenge → release → result (hub/identity/fingerprint.ts).
import { IDENTITY_ROUTES } from '../../../contracts/hub-routes/identity.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(IDENTITY_ROUTES, ({ identity, fingerprint }) => ({
  'identity.idcard': async ({ body, principal }) => identity.identifyByIdNumber(principal.id, body.idNumber),
  'identity.sms.request': async ({ body, principal }) => identity.requestSms(principal.id, body.phone),
  'identity.sms.verify': async ({ body, principal }) => identity.verifySms(principal.id, body.challengeId, body.code),
  'identity.fingerprint.enrol': async ({ body, principal, req }) => {
    const r = await fingerprint.enrol(principal.id, body.customerRef, body.template);
    req.log.info({ kiosk: principal.id, replaced: r.replaced }, 'fingerprint template enrolled');
    return r;
  },
  'identity.fingerprint.challenge': async ({ body, principal }) => fingerprint.challenge(principal.id, body.phone),
  'identity.fingerprint.release': async ({ params, principal }) => fingerprint.release(principal.id, params.id),
  'identity.fingerprint.result': async ({ params, body, principal }) => fingerprint.result(principal.id, params.id, body.matched),
  'identity.session.revoke': async ({ params, principal }) => {
    await identity.revoke(principal.id, params.id.slice(0, 64));
    return { ok: true as const };
  },
}));
