// Queue numbers between a kiosk and the hub: POST /v1/queue/take (device token) and the admin call
// of the next number. Numbers are per branch, per service, per day: a service letter and a sequence
// (A012). A kiosk that cannot reach the hub hands out its own numbers with its offline letter after
// the service letter (AD005), so they can never equal a hub number or another kiosk's.
import { z } from 'zod';
import { QUEUE_SERVICES } from './kiosk-api.ts';

export const QUEUE_SERVICE_LETTERS: Readonly<Record<(typeof QUEUE_SERVICES)[number], string>> = { general: 'A', orders: 'B', cash: 'C' };

/** Offline letters the hub gives out to a branch's kiosks: no A–C (services), no I/O (read as 1/0). */
export const OFFLINE_LETTERS = 'DEFGHJKLMNPQRSTUVWXYZ';

export const QueueTakeRequest = z.strictObject({ service: z.enum(QUEUE_SERVICES) });
export type QueueTakeRequest = z.infer<typeof QueueTakeRequest>;

export const QueueTicket = z.strictObject({
  /** A012: the service letter and the day's sequence (at least three digits). */
  number: z.string().regex(/^[A-Z]\d{3,}$/),
  service: z.enum(QUEUE_SERVICES),
  /** Numbers of this service taken before this one and not called yet. */
  waiting: z.number().int().min(0),
  /** The branch day the number belongs to (YYYY-MM-DD in the hub's queue time zone). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  issuedAt: z.string(),
  /** This kiosk's letter for numbers it issues while offline (unique within its branch). */
  offlineLetter: z.string().regex(/^[A-Z]{1,2}$/),
});
export type QueueTicket = z.infer<typeof QueueTicket>;

export const QueueCallRequest = z.strictObject({ branch: z.string().max(128).nullable(), service: z.enum(QUEUE_SERVICES) });
export const QueueCallResult = z.strictObject({ called: z.string().nullable(), waiting: z.number().int().min(0) });
