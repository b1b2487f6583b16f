// Central IT's commands, kiosk side (docs/sync-protocol.md "Hub commands"): a kiosk fetches its open
// commands after each poll and reports each outcome. Sending them is admin.kiosks.commands.*.
import { z } from 'zod';
import { FleetCommandId, FleetCommandResult, FleetCommandResultResponse, OpenFleetCommands } from '../sync-protocol.ts';
import { json, KIOSK, route } from './define.ts';

export const FLEET_ROUTES = {
  'fleet.commands.open': route({
    method: 'GET',
    path: '/v1/fleet/commands',
    auth: KIOSK,
    summary: 'this kiosk’s open commands, oldest first (fetched after each sync poll)',
    responses: { 200: json(OpenFleetCommands, 'open commands') },
  }),
  'fleet.commands.report': route({
    method: 'POST',
    path: '/v1/fleet/commands/:id/result',
    auth: KIOSK,
    summary: 'report a command’s outcome; idempotent (the first final report wins)',
    params: z.strictObject({ id: FleetCommandId }),
    body: FleetCommandResult,
    responses: { 200: json(FleetCommandResultResponse, 'recorded (duplicate: a retry that changed nothing)') },
    errors: { 404: 'no such command for this kiosk', 409: 'already finished with another outcome' },
    invalid: { params: 'bad command id', body: 'bad command result' },
  }),
} as const;
