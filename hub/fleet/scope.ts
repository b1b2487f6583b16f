// Which part of the fleet a person may see, enforced in the data queries themselves: central IT
// (admin) and the other roles that reach fleet routes see every kiosk, a branch manager only the
// kiosks of their branch — and nothing at all when their account names no branch.
import { sql, type ExpressionBuilder } from 'kysely';
import type { HubSchema } from '../db/schema.ts';

export type FleetScope = { kind: 'all' } | { kind: 'branch'; branch: string | null };

export const ALL_KIOSKS: FleetScope = { kind: 'all' };

export function fleetScope(principal: { role: string; branch: string | null }): FleetScope {
  return principal.role === 'branch-manager' ? { kind: 'branch', branch: principal.branch } : ALL_KIOSKS;
}

export const inScope = (scope: FleetScope, branch: string | null): boolean => scope.kind === 'all' || (scope.branch !== null && scope.branch === branch);

/** A where-clause on kiosks.branch for `scope`. */
export function kioskInScope(scope: FleetScope) {
  return (eb: ExpressionBuilder<HubSchema, 'kiosks'>) => {
    if (scope.kind === 'all') return sql<boolean>`1 = 1`;
    if (scope.branch === null) return sql<boolean>`1 = 0`;
    return eb('kiosks.branch', '=', scope.branch);
  };
}
