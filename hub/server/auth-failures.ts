// Failed authentications per client address: after `limit` in a window, every request from that
// address is answered 429 until the window ends (guessing tokens gets slow, and a kiosk with a bad
// token cannot flood the token lookup). Per process: a replicated hub multiplies the limit.
import { HttpError } from './errors.ts';

export class AuthFailures {
  private readonly byIp = new Map<string, { n: number; until: number }>();

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Throws 429 while `ip` is over the limit. */
  refuseIfBlocked(ip: string, now = Date.now()): void {
    const f = this.byIp.get(ip);
    if (f && f.until > now && f.n >= this.limit) throw new HttpError(429, 'rate_limited', 'too many failed authentications; retry later');
  }

  note(ip: string, now = Date.now()): void {
    const f = this.byIp.get(ip);
    const next = f && f.until > now ? { n: f.n + 1, until: f.until } : { n: 1, until: now + this.windowMs };
    if (this.byIp.size > this.maxAddresses) this.byIp.clear();
    this.byIp.set(ip, next);
  }
}
