// The configuration editor (issue 13 §3): a layer (fleet, branch or kiosk) with the layers under it
// and the effective configuration a kiosk there runs; writing a layer, validated by the same zod
// schema the kiosk applies (a 400's details name each bad field: `config.update.feedUrl`).
import { ConfigQuery, ConfigView, WriteConfigRequest, WriteConfigResponse } from '../fleet-view.ts';
import { json, route, users } from './define.ts';

export const CONFIG_ROUTES = {
  'config.get': route({
    method: 'GET',
    path: '/v1/config',
    auth: users('admin', 'branch-manager'),
    summary: 'a configuration layer, the layers under it, the effective configuration and where each field comes from',
    query: ConfigQuery,
    responses: { 200: json(ConfigView, 'the layer and its effective configuration') },
    errors: { 404: 'no such kiosk or branch (in the caller’s part of the fleet)' },
    invalid: 'bad configuration target',
  }),
  'config.write': route({
    method: 'PUT',
    path: '/v1/config',
    auth: users('admin'),
    summary: 'write (or with config null remove) a layer; expectedHash refuses a stale edit; dryRun only validates',
    body: WriteConfigRequest,
    responses: { 200: json(WriteConfigResponse, 'the layer as now in force (published: null for a dry run or no change)') },
    errors: { 404: 'no such kiosk', 409: 'the layer changed since expectedHash' },
    invalid: 'bad configuration',
  }),
} as const;
