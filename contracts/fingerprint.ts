// Fingerprint 1:1 verification between a kiosk and the hub: request and response shapes of
// /v1/identity/fingerprint/*. Templates travel base64 inside JSON over TLS (or loopback) and only in
// two places: staff enrolment (kiosk → hub) and a challenge's release (hub → the kiosk that opened
// the challenge). The hub keeps them sealed; the kiosk keeps them in memory for one match.
import { z } from 'zod';
import { MobilePhone } from './identity.ts';

const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id may use letters, digits, . _ : -');

/** Largest template accepted (R307: 512 bytes, some modules 768; the driver caps uploads at 4096). */
export const MAX_TEMPLATE_BYTES = 4096;

/** Standard base64 of 1..MAX_TEMPLATE_BYTES bytes (checked again after decoding). */
export const TemplateBase64 = z
  .string()
  .min(4)
  .max(Math.ceil(MAX_TEMPLATE_BYTES / 3) * 4)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'template must be standard base64');

/** Staff enrolment at the counter: the template the sensor built from two captures. */
export const FingerprintEnrolRequest = z.strictObject({ customerRef: Id, template: TemplateBase64 });
export const FingerprintEnrolResponse = z.strictObject({ customerRef: z.string(), enrolledAt: z.string(), replaced: z.boolean() });

/** The customer claims an identity by phone number; the hub opens a challenge bound to this kiosk. */
export const FingerprintChallengeRequest = z.strictObject({ phone: MobilePhone });
export const FingerprintChallengeResponse = z.strictObject({ challengeId: z.string(), expiresAt: z.string(), attemptsLeft: z.number().int().min(0) });

/** One release per attempt: the template to load into the sensor (DownChar). */
export const FingerprintRelease = z.strictObject({ template: TemplateBase64 });

/** What the sensor said; only `matched: true` on a challenge with a real template yields a grant. */
export const FingerprintResultRequest = z.strictObject({ matched: z.boolean(), score: z.number().int().min(0).max(100_000) });

export const ChallengeIdParam = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'challenge id must be a lowercase UUID');
