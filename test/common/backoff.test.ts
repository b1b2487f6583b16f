// The retry delay shared by the device manager, the sync schedule and the outbox.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../common/backoff.ts';

describe('backoff', () => {
  it('grows by the factor, caps at max, and jitter only shortens', () => {
    const p = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, p, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(2, p, () => 1)).toBe(200);
  });
});
