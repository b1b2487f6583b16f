// Kiosks and their device tokens. A token is 256 random bits shown once at creation; the hub keeps
// only its sha256 (a slow hash adds nothing for a random 256-bit secret, and the poll path stays
// fast). Revoked kiosks keep their row (history) but their token stops working.
import { randomBytes, randomUUID } from 'node:crypto';
import type { KioskInfo } from '../../contracts/hub-routes/admin.ts';
import { FLEET_LIMITS } from '../../contracts/sync-protocol.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { KiosksTable } from '../db/schema.ts';
import { sha256Hex } from '../sync/publish.ts';
import { deviceHealthOf } from './device-health.ts';

export const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string) => sha256Hex(token);

export class FleetError extends Error {
  override name = 'FleetError';
  constructor(
    message: string,
    readonly code: 'not_found' | 'conflict' | 'invalid',
  ) {
    super(message);
  }
}

export function kioskInfo(r: KiosksTable): KioskInfo {
  return {
    id: r.id,
    name: r.name,
    branch: r.branch,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
    lastCursor: r.last_cursor === null ? null : Number(r.last_cursor),
    appVersion: r.app_version,
    outboxBacklog: r.outbox_backlog === null ? null : Number(r.outbox_backlog),
    updateState: r.update_state,
    deviceHealth: deviceHealthOf(r.device_health),
    uptimeSeconds: r.uptime_seconds === null || r.uptime_seconds === undefined ? null : Number(r.uptime_seconds),
    uptimeAt: r.uptime_at ?? null,
  };
}

export async function addKiosk(hub: HubDb, name: string, branch: string | null): Promise<{ kiosk: KioskInfo; token: string }> {
  const token = newToken('lkk');
  return hub.write(async (trx) => {
    const exists = await trx.selectFrom('kiosks').select('id').where('name', '=', name).executeTakeFirst();
    if (exists) throw new FleetError(`a kiosk named '${name}' already exists`, 'conflict');
    const row: KiosksTable = {
      id: randomUUID(),
      name,
      branch,
      token_hash: tokenHash(token),
      created_at: nowIso(),
      revoked_at: null,
      last_seen_at: null,
      last_cursor: null,
      app_version: null,
      outbox_backlog: null,
      update_state: null,
      device_health: null,
      uptime_seconds: null,
      uptime_at: null,
    };
    await trx.insertInto('kiosks').values(row).execute();
    return { kiosk: kioskInfo(row), token };
  });
}

export async function listKiosks(db: HubTx): Promise<KioskInfo[]> {
  const rows = await db.selectFrom('kiosks').selectAll().orderBy('name').execute();
  return rows.map(kioskInfo);
}

export async function findKiosk(db: HubTx, name: string): Promise<KiosksTable | undefined> {
  return db.selectFrom('kiosks').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function revokeKiosk(hub: HubDb, name: string): Promise<KioskInfo> {
  return hub.write(async (trx) => {
    const row = await findKiosk(trx, name);
    if (!row) throw new FleetError(`no kiosk named '${name}'`, 'not_found');
    if (!row.revoked_at) await trx.updateTable('kiosks').set({ revoked_at: nowIso() }).where('id', '=', row.id).execute();
    return kioskInfo({ ...row, revoked_at: row.revoked_at ?? nowIso() });
  });
}

/** A new token for an existing kiosk (lost or leaked); the old one stops working. */
export async function rotateKioskToken(hub: HubDb, name: string): Promise<{ kiosk: KioskInfo; token: string }> {
  const token = newToken('lkk');
  return hub.write(async (trx) => {
    const row = await findKiosk(trx, name);
    if (!row) throw new FleetError(`no kiosk named '${name}'`, 'not_found');
    await trx.updateTable('kiosks').set({ token_hash: tokenHash(token), revoked_at: null }).where('id', '=', row.id).execute();
    return { kiosk: kioskInfo({ ...row, revoked_at: null }), token };
  });
}

/** Sets a new admin token (printed once by the CLI); only its hash is stored. */
export async function setAdminToken(hub: HubDb): Promise<string> {
  const token = newToken('lka');
  await hub.write(async (trx) => {
    await trx
      .insertInto('meta')
      .values({ key: 'admin_token_hash', value: tokenHash(token) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: tokenHash(token) }))
      .execute();
  });
  return token;
}

/** The X-Kiosk-Uptime header → seconds to store, or null to ignore it (absent, repeated, not a
 *  plain whole number, or beyond FLEET_LIMITS.maxUptimeSeconds): a bad value never fails the poll. */
export function uptimeFromHeader(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n <= FLEET_LIMITS.maxUptimeSeconds ? n : null;
}

/** `3d 4h`, `5h 12m`, `42s` for the CLI table; `-` when never reported. */
export function uptimeText(seconds: number | null): string {
  if (seconds === null) return '-';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m` : `${seconds}s`;
}
