// Reconnect delays: exponential, capped, with jitter so a fleet of kiosks does not retry in step.
import type { ReconnectPolicy } from '../../contracts/device-config.ts';

export function backoffDelay(attempt: number, policy: ReconnectPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, Math.max(0, attempt)));
  return Math.max(0, Math.round(base * (1 - policy.jitter * random())));
}
