// Commands central IT sends a kiosk (sync, restart, update-now). The admin API and the CLI queue
// them; the kiosk fetches its open ones after each sync poll (GET /v1/fleet/commands) and reports
// each outcome (POST /v1/fleet/commands/<id>/result). Reports are idempotent by command id: the
// first final report wins, a retry of it changes nothing, a conflicting one is refused.
import { randomUUID } from 'node:crypto';
import type { CommandInfo } from '../../contracts/hub-routes/admin.ts';
import { FINAL_COMMAND_STATES, FLEET_LIMITS, type FleetCommandResult, type FleetCommandType, type OpenFleetCommand } from '../../contracts/sync-protocol.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { KioskCommandsTable } from '../db/schema.ts';
import { FleetError, findKiosk } from './kiosks.ts';

function commandInfo(r: KioskCommandsTable, kiosk: string): CommandInfo {
  return { id: r.id, kiosk, type: r.type, state: r.state, detail: r.detail, createdAt: r.created_at, seenAt: r.seen_at, updatedAt: r.updated_at, finishedAt: r.finished_at };
}

export async function createCommand(hub: HubDb, kioskName: string, type: FleetCommandType): Promise<CommandInfo> {
  return hub.write(async (trx) => {
    const kiosk = await findKiosk(trx, kioskName);
    if (!kiosk) throw new FleetError(`no kiosk named '${kioskName}'`, 'not_found');
    if (kiosk.revoked_at) throw new FleetError(`kiosk '${kioskName}' is revoked: it can no longer fetch commands`, 'conflict');
    const at = nowIso();
    const row: KioskCommandsTable = { id: randomUUID(), kiosk_id: kiosk.id, type, state: 'pending', detail: null, created_at: at, seen_at: null, updated_at: at, finished_at: null };
    await trx.insertInto('kiosk_commands').values(row).execute();
    return commandInfo(row, kiosk.name);
  });
}

/** One command as the console shows it, with its kiosk's branch (who may see it). */
export async function commandById(db: HubTx, id: string): Promise<{ command: CommandInfo; branch: string | null } | null> {
  const r = await db
    .selectFrom('kiosk_commands')
    .innerJoin('kiosks', 'kiosks.id', 'kiosk_commands.kiosk_id')
    .selectAll('kiosk_commands')
    .select(['kiosks.name as kiosk_name', 'kiosks.branch as kiosk_branch'])
    .where('kiosk_commands.id', '=', id)
    .executeTakeFirst();
  return r ? { command: commandInfo(r, r.kiosk_name), branch: r.kiosk_branch } : null;
}

/** A kiosk's commands, newest first. */
export async function listCommands(db: HubTx, kioskName: string, limit = 100): Promise<CommandInfo[]> {
  const kiosk = await findKiosk(db, kioskName);
  if (!kiosk) throw new FleetError(`no kiosk named '${kioskName}'`, 'not_found');
  const rows = await db.selectFrom('kiosk_commands').selectAll().where('kiosk_id', '=', kiosk.id).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => commandInfo(r, kiosk.name));
}

/**
 * The kiosk's open commands, oldest first; the first fetch stamps `seen_at`, and `ageSeconds` is
 * measured from sending to that first fetch on the hub's clock (the kiosk decides staleness).
 */
export async function openCommandsFor(hub: HubDb, kioskId: string): Promise<OpenFleetCommand[]> {
  const rows = await hub.db
    .selectFrom('kiosk_commands')
    .selectAll()
    .where('kiosk_id', '=', kioskId)
    .where('state', 'in', ['pending', 'deferred'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(FLEET_LIMITS.maxOpenCommands)
    .execute();
  const unseen = rows.filter((r) => r.seen_at === null).map((r) => r.id);
  const at = nowIso();
  if (unseen.length) {
    await hub.write(async (trx) => {
      await trx.updateTable('kiosk_commands').set({ seen_at: at }).where('id', 'in', unseen).where('seen_at', 'is', null).execute();
    });
  }
  return rows.map((r) => {
    const seen = Date.parse(r.seen_at ?? at);
    return {
      id: r.id,
      type: r.type,
      state: r.state as 'pending' | 'deferred',
      createdAt: r.created_at,
      ageSeconds: Math.max(0, Math.floor((seen - Date.parse(r.created_at)) / 1000)),
    };
  });
}

/** Records a kiosk's report on one of its own commands. */
export async function reportCommand(hub: HubDb, kioskId: string, id: string, result: FleetCommandResult): Promise<{ id: string; state: KioskCommandsTable['state']; duplicate: boolean }> {
  return hub.write(async (trx) => {
    const row = await trx.selectFrom('kiosk_commands').selectAll().where('id', '=', id).where('kiosk_id', '=', kioskId).executeTakeFirst();
    if (!row) throw new FleetError(`no command ${id} for this kiosk`, 'not_found');
    // Shown in the CLI table: no control characters from a kiosk reach an admin's terminal.
    const detail = result.detail === undefined ? null : result.detail.replace(/\p{Cc}/gu, ' ');
    if (FINAL_COMMAND_STATES.includes(row.state)) {
      // A retry after a lost answer is fine; a different outcome for a finished command is not.
      if (row.state === result.state) return { id, state: row.state, duplicate: true };
      if (result.state === 'deferred') return { id, state: row.state, duplicate: true };
      throw new FleetError(`command ${id} already finished as '${row.state}'`, 'conflict');
    }
    if (row.state === result.state && row.detail === detail) return { id, state: row.state, duplicate: true };
    const at = nowIso();
    const final = FINAL_COMMAND_STATES.includes(result.state);
    await trx
      .updateTable('kiosk_commands')
      .set({ state: result.state, detail, updated_at: at, ...(final ? { finished_at: at } : {}) })
      .where('id', '=', id)
      .execute();
    return { id, state: result.state, duplicate: false };
  });
}
