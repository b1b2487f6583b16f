// The console's fleet (issue 13 §3): the kiosk list (server-side filters, sorting, paging), a
// kiosk's page (status, 24-hour history, commands), sending commands, enrolment and revocation.
// Branch managers reach their branch's kiosks only: the handlers query with the caller's scope.
import { z } from 'zod';
import { EnrolKioskResponse, HistoryQuery, HistoryResponse, KioskListQuery, KioskListResponse, KioskNameParams, KioskResponse } from '../fleet-view.ts';
import { CommandInfo, CreateCommandRequest, CreateKioskRequest, ListQuery } from './admin.ts';
import { json, route, users } from './define.ts';

const FLEET_READERS = users('admin', 'branch-manager');

export const KIOSKS_ROUTES = {
  'kiosks.list': route({
    method: 'GET',
    path: '/v1/kiosks',
    auth: FLEET_READERS,
    summary: 'the kiosk list: filters, sorting and paging on the server, counts for the caller’s part of the fleet',
    query: KioskListQuery,
    responses: { 200: json(KioskListResponse, 'one page of kiosks') },
  }),
  'kiosks.get': route({
    method: 'GET',
    path: '/v1/kiosks/:name',
    auth: FLEET_READERS,
    summary: 'one kiosk’s status',
    params: KioskNameParams,
    responses: { 200: json(KioskResponse, 'the kiosk') },
    errors: { 404: 'no such kiosk (in the caller’s part of the fleet)' },
    invalid: 'bad kiosk name',
  }),
  'kiosks.history': route({
    method: 'GET',
    path: '/v1/kiosks/:name/history',
    auth: FLEET_READERS,
    summary: 'the kiosk’s polls and device health per 5 minutes, up to the last 24 hours',
    params: KioskNameParams,
    query: HistoryQuery,
    responses: { 200: json(HistoryResponse, 'buckets, oldest first; a missing bucket had no poll') },
    errors: { 404: 'no such kiosk (in the caller’s part of the fleet)' },
  }),
  'kiosks.commands.list': route({
    method: 'GET',
    path: '/v1/kiosks/:name/commands',
    auth: FLEET_READERS,
    summary: 'commands sent to the kiosk and their outcomes, newest first',
    params: KioskNameParams,
    query: ListQuery,
    responses: { 200: json(z.strictObject({ commands: z.array(CommandInfo) }), 'commands') },
    errors: { 404: 'no such kiosk (in the caller’s part of the fleet)' },
  }),
  'kiosks.commands.send': route({
    method: 'POST',
    path: '/v1/kiosks/:name/commands',
    auth: FLEET_READERS,
    summary: 'send the kiosk sync, restart or update-now; it runs after its next poll (restart and update wait for the customer)',
    params: KioskNameParams,
    body: CreateCommandRequest,
    responses: { 201: json(z.strictObject({ command: CommandInfo }), 'queued') },
    errors: { 404: 'no such kiosk (in the caller’s part of the fleet)', 409: 'the kiosk is revoked' },
    invalid: 'bad command',
  }),
  'kiosks.enrol': route({
    method: 'POST',
    path: '/v1/kiosks',
    auth: users('admin'),
    summary: 'enrol a kiosk; its device token is in this answer only',
    body: CreateKioskRequest,
    responses: { 201: json(EnrolKioskResponse, 'enrolled') },
    errors: { 409: 'name taken' },
    invalid: 'bad kiosk',
  }),
  'kiosks.token': route({
    method: 'POST',
    path: '/v1/kiosks/:name/token',
    auth: users('admin'),
    summary: 'a new device token for the kiosk (lost or leaked; also re-admits a revoked kiosk); the old one stops working',
    params: KioskNameParams,
    responses: { 200: json(EnrolKioskResponse, 'the new token, shown once') },
    errors: { 404: 'no such kiosk' },
  }),
  'kiosks.revoke': route({
    method: 'DELETE',
    path: '/v1/kiosks/:name',
    auth: users('admin'),
    summary: 'revoke the kiosk’s token (running hubs refuse it at once)',
    params: KioskNameParams,
    responses: { 200: json(KioskResponse, 'revoked') },
    errors: { 404: 'no such kiosk' },
  }),
} as const;
