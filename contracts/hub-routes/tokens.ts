// Personal API tokens: every user manages their own (scripts use them instead of the shared
// admin token). The token is in the create response only.
import { z } from 'zod';
import { CreateTokenRequest, CreateTokenResponse, TokenInfo } from '../accounts.ts';
import { ANY_USER, json, route } from './define.ts';

export const TOKENS_ROUTES = {
  'tokens.list': route({
    method: 'GET',
    path: '/v1/tokens',
    auth: ANY_USER,
    summary: 'your personal API tokens (never the tokens themselves)',
    responses: { 200: json(z.strictObject({ tokens: z.array(TokenInfo) }), 'tokens') },
  }),
  'tokens.create': route({
    method: 'POST',
    path: '/v1/tokens',
    auth: ANY_USER,
    summary: 'create a personal API token (scoped, expiring); it is in this response only',
    body: CreateTokenRequest,
    responses: { 201: json(CreateTokenResponse, 'created') },
    errors: { 409: 'too many live tokens' },
    invalid: 'bad token request',
  }),
  'tokens.revoke': route({
    method: 'DELETE',
    path: '/v1/tokens/:id',
    auth: ANY_USER,
    summary: 'revoke one of your tokens (it stops working at once)',
    params: z.strictObject({ id: z.string().max(64) }),
    responses: { 200: json(z.strictObject({ token: TokenInfo }), 'revoked') },
    errors: { 404: 'no such token of yours' },
  }),
} as const;
