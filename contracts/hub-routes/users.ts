// Accounts (central IT only): list, add, change role/branch, disable, set a new password.
import { z } from 'zod';
import { CreateUserRequest, ResetPasswordRequest, UpdateUserRequest, UserInfo } from '../accounts.ts';
import { ADMIN, json, route } from './define.ts';

const UserPath = z.strictObject({ name: z.string().max(64) });
const OneUser = z.strictObject({ user: UserInfo });

export const USERS_ROUTES = {
  'users.list': route({
    method: 'GET',
    path: '/v1/users',
    auth: ADMIN,
    summary: 'list accounts with role, branch, state and lockout',
    responses: { 200: json(z.strictObject({ users: z.array(UserInfo) }), 'accounts') },
  }),
  'users.create': route({
    method: 'POST',
    path: '/v1/users',
    auth: ADMIN,
    summary: 'add a local account (a branch manager needs a branch)',
    body: CreateUserRequest,
    responses: { 201: json(OneUser, 'created') },
    errors: { 409: 'name taken' },
    invalid: 'bad user',
  }),
  'users.get': route({
    method: 'GET',
    path: '/v1/users/:name',
    auth: ADMIN,
    summary: 'one account',
    params: UserPath,
    responses: { 200: json(OneUser, 'the account') },
    errors: { 404: 'no such account' },
  }),
  'users.update': route({
    method: 'PATCH',
    path: '/v1/users/:name',
    auth: ADMIN,
    summary: 'change role or branch, disable (ends every session at once) or enable',
    params: UserPath,
    body: UpdateUserRequest,
    responses: { 200: json(OneUser, 'changed') },
    errors: { 404: 'no such account', 409: 'it is the last enabled admin (demoting or disabling it would leave nobody to manage accounts)' },
    invalid: 'bad change',
  }),
  'users.password': route({
    method: 'PUT',
    path: '/v1/users/:name/password',
    auth: ADMIN,
    summary: 'set a new password: ends the account’s sessions and lifts a lockout (local accounts only)',
    params: UserPath,
    body: ResetPasswordRequest,
    responses: { 200: json(OneUser, 'changed') },
    errors: { 404: 'no such account' },
    invalid: 'bad password',
  }),
} as const;
