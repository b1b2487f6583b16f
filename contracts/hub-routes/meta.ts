// The hub describing itself: liveness and the OpenAPI document (both without a token).
import { z } from 'zod';
import { json, PUBLIC, route } from './define.ts';

export const HealthResponse = z.strictObject({ ok: z.literal(true), hubId: z.string(), head: z.number(), db: z.enum(['sqlite', 'postgres']) });

export const META_ROUTES = {
  'meta.health': route({
    method: 'GET',
    path: '/v1/health',
    auth: PUBLIC,
    summary: 'liveness, hub id and head',
    responses: { 200: json(HealthResponse, 'ok') },
    // Load balancers and monitors probe it; it never counts against anyone's rate limit.
    rateLimit: false,
  }),
  'meta.openapi': route({
    method: 'GET',
    path: '/v1/openapi.json',
    auth: PUBLIC,
    summary: 'this API as OpenAPI 3.1, generated from the route table',
    responses: { 200: json(z.record(z.string(), z.unknown()), 'the OpenAPI document') },
  }),
} as const;
