// Kiosk configuration is data (PRODUCT.md "Config"): set on the hub for the whole fleet, a branch or
// one kiosk, synced like the KB, validated at both ends. A layer names only what it changes; the
// kiosk's effective configuration is defaults ← fleet ← branch ← kiosk (later wins, per top-level
// field). Unknown fields are refused: a typo must not silently do nothing.
import { z } from 'zod';
import { DeviceConfig } from './device-config.ts';
import { LOCALES } from './kb-bundle.ts';

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

export const MaintenanceWindow = z.strictObject({
  /** Local time; a window may cross midnight (start 23:00, end 05:00). */
  start: HhMm,
  end: HhMm,
});

export const FEATURES = ['helpCentre', 'assistant', 'identify', 'orders', 'tickets', 'queue', 'rating', 'fingerprint', 'smsLogin'] as const;

export const KioskConfigLayer = z.strictObject({
  branchName: z.string().min(1).max(100).optional(),
  languages: z
    .array(z.enum(LOCALES))
    .min(1, 'at least one language')
    .max(LOCALES.length)
    .refine((l) => new Set(l).size === l.length, 'languages must not repeat')
    .optional(),
  defaultLanguage: z.enum(LOCALES).optional(),
  /** Seconds of no touch before the "are you still there?" countdown. */
  idleTimeoutSeconds: z.number().int().min(15).max(3600).optional(),
  /** Length of that visible countdown. */
  idleCountdownSeconds: z.number().int().min(5).max(120).optional(),
  features: z.partialRecord(z.enum(FEATURES), z.boolean()).optional(),
  printer: z
    .strictObject({
      enabled: z.boolean().optional(),
      header: z.string().max(200).optional(),
      footer: z.string().max(200).optional(),
    })
    .optional(),
  maintenanceWindow: MaintenanceWindow.optional(),
  /** App updates (electron-updater generic feed); staged rollout is the feed's stagingPercentage. */
  update: z
    .strictObject({
      feedUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
      channel: z.string().regex(/^[a-z0-9-]{1,32}$/, 'channel: lower-case letters, digits and -').optional(),
    })
    .optional(),
  sync: z
    .strictObject({
      /** Seconds between polls when the last one succeeded. */
      intervalSeconds: z.number().int().min(10).max(86_400).optional(),
      /** Longest wait between attempts while the hub is unreachable. */
      maxBackoffSeconds: z.number().int().min(10).max(86_400).optional(),
    })
    .optional(),
  devices: z.array(DeviceConfig).max(16).optional(),
});
export type KioskConfigLayer = z.infer<typeof KioskConfigLayer>;

export const DEFAULT_KIOSK_CONFIG = {
  branchName: '',
  languages: ['zh-CN', 'en'],
  defaultLanguage: 'zh-CN',
  idleTimeoutSeconds: 90,
  idleCountdownSeconds: 15,
  features: {},
  printer: { enabled: true },
  maintenanceWindow: { start: '02:00', end: '05:00' },
  sync: { intervalSeconds: 300, maxBackoffSeconds: 1800 },
  devices: [],
} satisfies KioskConfigLayer;

export type KioskConfig = typeof DEFAULT_KIOSK_CONFIG & KioskConfigLayer;

/** Defaults ← layers, in order. Objects merge one level deep (sync, printer, features). */
export function mergeKioskConfig(...layers: ReadonlyArray<KioskConfigLayer | null | undefined>): KioskConfig {
  const out: Record<string, unknown> = structuredClone(DEFAULT_KIOSK_CONFIG);
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const before = out[k];
      out[k] =
        v && typeof v === 'object' && !Array.isArray(v) && before && typeof before === 'object' && !Array.isArray(before)
          ? { ...(before as object), ...(v as object) }
          : v;
    }
  }
  return out as KioskConfig;
}
