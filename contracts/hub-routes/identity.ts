// Customer identification from a kiosk: ID card, phone + SMS code, fingerprint 1:1, and the end of
// a customer session. Shapes: contracts/identity.ts and contracts/fingerprint.ts (the kiosk core
// parses answers with the same schemas).
import { z } from 'zod';
import {
  ChallengeIdParam,
  FingerprintChallengeRequest,
  FingerprintChallengeResponse,
  FingerprintEnrolRequest,
  FingerprintEnrolResponse,
  FingerprintRelease,
  FingerprintResultRequest,
} from '../fingerprint.ts';
import { CustomerSessionGrant, IdCardIdentifyRequest, SmsRequest, SmsRequestResponse, SmsVerifyRequest } from '../identity.ts';
import { json, KIOSK, route } from './define.ts';

const ChallengePath = z.strictObject({ id: ChallengeIdParam });

export const IDENTITY_ROUTES = {
  'identity.idcard': route({
    method: 'POST',
    path: '/v1/identity/idcard',
    auth: KIOSK,
    summary: 'identify by the ID number read from the card; the hub keeps only its HMAC',
    body: IdCardIdentifyRequest,
    responses: { 200: json(CustomerSessionGrant, 'masked customer and a customer session token scoped to this kiosk') },
    errors: { 404: 'no such customer' },
    invalid: 'bad identification',
  }),
  'identity.sms.request': route({
    method: 'POST',
    path: '/v1/identity/sms/request',
    auth: KIOSK,
    summary: 'send an SMS code (cool-down, per-phone and per-kiosk limits: 429 with retryAfterSec)',
    body: SmsRequest,
    responses: { 200: json(SmsRequestResponse, 'challenge (same answer for unknown numbers)') },
    invalid: 'bad SMS request',
  }),
  'identity.sms.verify': route({
    method: 'POST',
    path: '/v1/identity/sms/verify',
    auth: KIOSK,
    summary: 'check an SMS code',
    body: SmsVerifyRequest,
    responses: { 200: json(CustomerSessionGrant, 'identified') },
    errors: {
      401: 'wrong_code, or a missing/unknown device token',
      404: 'no such challenge or customer',
      409: 'code used up',
      410: 'expired',
      423: 'locked after too many wrong codes',
    },
    invalid: 'bad SMS verification',
  }),
  'identity.fingerprint.enrol': route({
    method: 'POST',
    path: '/v1/identity/fingerprint/templates',
    auth: KIOSK,
    summary: "staff enrolment: store a customer's fingerprint template (sealed with AES-256-GCM at rest; replaces an earlier one)",
    body: FingerprintEnrolRequest,
    responses: { 200: json(FingerprintEnrolResponse, 'enrolled') },
    errors: { 404: 'no customer with this reference' },
    invalid: 'bad fingerprint enrolment',
  }),
  'identity.fingerprint.challenge': route({
    method: 'POST',
    path: '/v1/identity/fingerprint/challenges',
    auth: KIOSK,
    summary: '1:1 verification for the customer who owns this phone: a challenge bound to this kiosk (same answer for unknown numbers; per-phone and per-kiosk limits: 429)',
    body: FingerprintChallengeRequest,
    responses: { 200: json(FingerprintChallengeResponse, 'challenge') },
    invalid: 'bad fingerprint challenge',
  }),
  'identity.fingerprint.release': route({
    method: 'POST',
    path: '/v1/identity/fingerprint/challenges/:id/template',
    auth: KIOSK,
    summary: 'release the template for one attempt, to the kiosk that opened the challenge only (a stable decoy when there is no template)',
    params: ChallengePath,
    responses: { 200: json(FingerprintRelease, 'template (base64)') },
    errors: { 404: 'no such challenge on this kiosk', 409: 'released and not yet reported, or closed', 410: 'expired', 423: 'no tries left' },
    invalid: 'bad challenge id',
  }),
  'identity.fingerprint.result': route({
    method: 'POST',
    path: '/v1/identity/fingerprint/challenges/:id/result',
    auth: KIOSK,
    summary: "the sensor's verdict on the released template; a match yields the customer session",
    params: ChallengePath,
    body: FingerprintResultRequest,
    responses: { 200: json(CustomerSessionGrant, 'identified') },
    errors: {
      401: 'no_match (the same for a wrong finger, an unknown number and no template), or a missing/unknown device token',
      404: 'no such challenge on this kiosk',
      409: 'nothing released for this attempt, or closed',
      410: 'expired',
      423: 'locked after the last try',
    },
    invalid: { params: 'bad challenge id', body: 'bad fingerprint result' },
  }),
  'identity.session.revoke': route({
    method: 'POST',
    path: '/v1/customer/sessions/:id/revoke',
    auth: KIOSK,
    summary: 'revoke a customer session (the kiosk session ended); only the kiosk it was issued to can',
    params: z.strictObject({ id: z.string() }),
    responses: { 200: json(z.strictObject({ ok: z.literal(true) }), 'revoked') },
    errors: { 404: 'no such session on this kiosk' },
  }),
} as const;
