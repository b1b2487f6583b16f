// Retry delays: exponential, capped, with jitter so a fleet of kiosks does not retry in step.
// Shared by the device manager (reconnects), the sync schedule and the outbox (deliveries).

/** The shape of contracts/device-config.ts ReconnectPolicy (common/ imports nothing of the project). */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the share of the delay that may be cut at random (jitter only shortens). */
  jitter: number;
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, Math.max(0, attempt)));
  return Math.max(0, Math.round(base * (1 - policy.jitter * random())));
}
