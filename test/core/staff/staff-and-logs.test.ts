// Staff PIN (scrypt, lockout), the customer session's own idle end, and logs (rotation, no
// personal data).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CustomerSession } from '../../../core/session/session.ts';
import { createLogger } from '../../../core/log/logger.ts';
import { LogAuditSink } from '../../../core/staff/audit.ts';
import { hashPin, parsePinHash, verifyPin } from '../../../core/staff/pin.ts';
import { rebootArgv, rebootCommand } from '../../../core/staff/reboot.ts';
import { StaffAuth } from '../../../core/staff/staff-auth.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { N: 1 << 10, r: 8, p: 1 };

describe('staff PIN', () => {
  it('hashes with scrypt and a random salt; verifies only the right PIN', () => {
    const a = hashPin('4821', FAST);
    const b = hashPin('4821', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('4821');
    expect(verifyPin('4821', a)).toBe(true);
    expect(verifyPin('4822', a)).toBe(false);
    expect(verifyPin('48210', a)).toBe(false);
    expect(() => hashPin('12a4')).toThrow(/4 to 12 digits/);
    expect(() => parsePinHash('md5$abc')).toThrow(/not a staff PIN hash/);
  });

  it('locks after 5 wrong PINs, doubling the lockout each time, and audits every attempt', () => {
    let now = 0;
    const audit = new LogAuditSink();
    const auth = new StaffAuth({ pinHash: hashPin('4821', FAST), lockoutMs: 60_000, now: () => now, audit });
    for (let i = 1; i <= 4; i++) expect(auth.unlock('0000')).toEqual({ kind: 'wrong', failures: i });
    expect(auth.unlock('0000')).toEqual({ kind: 'locked', until: 60_000 });
    expect(auth.unlock('4821').kind).toBe('locked');
    now = 60_000;
    for (let i = 1; i <= 4; i++) auth.unlock('0000');
    expect(auth.unlock('0000')).toEqual({ kind: 'locked', until: 60_000 + 120_000 });
    now = 200_000;
    expect(auth.unlock('4821')).toEqual({ kind: 'unlocked' });
    expect(auth.isUnlocked()).toBe(true);
    expect(audit.entries.filter((e) => e.outcome === 'denied')).toHaveLength(11);
    expect(JSON.stringify(audit.entries)).not.toContain('0000');
  });

  it('staff mode closes after inactivity; touch keeps it open', () => {
    let now = 0;
    const auth = new StaffAuth({ pinHash: hashPin('4821', FAST), idleMs: 1000, now: () => now });
    auth.unlock('4821');
    now = 900;
    auth.touch();
    now = 1800;
    expect(auth.isUnlocked()).toBe(true);
    now = 2901;
    expect(auth.isUnlocked()).toBe(false);
  });

  it('reboot is a configured argv run without a shell', async () => {
    expect(rebootArgv({})).toBeUndefined();
    expect(rebootArgv({ KIOSK_REBOOT_ARGV: '["systemctl","reboot"]' })).toEqual(['systemctl', 'reboot']);
    for (const bad of ['systemctl reboot', '[]', '[1]', '[""]', '{"a":1}']) expect(() => rebootArgv({ KIOSK_REBOOT_ARGV: bad })).toThrow(/JSON array/);
    const ran: unknown[][] = [];
    await rebootCommand(['/sbin/shutdown', '-r', 'now'], (async (...a: unknown[]) => void ran.push(a)) as never)!();
    expect(ran[0]!.slice(0, 2)).toEqual(['/sbin/shutdown', ['-r', 'now']]);
    expect(ran[0]![2]).toMatchObject({ shell: false });
  });
});

describe('customer session in the core', () => {
  it('ends itself after the idle limit and wipes what it held', () => {
    let now = 0;
    const ended: string[] = [];
    const s = new CustomerSession({ maxIdleMs: 1000, now: () => now, onEnded: (r) => ended.push(r) });
    s.start();
    s.setCustomer({ displayName: '张*三', maskedId: '1101**********1234', method: 'idcard' });
    s.scratch.set('orders', [1, 2]);
    now = 999;
    s.checkIdle();
    expect(s.active).toBe(true);
    now = 1999;
    s.checkIdle();
    expect(ended).toEqual(['idle']);
    expect(s.customer).toBeNull();
    expect(s.scratch.size).toBe(0);
    expect(s.state()).toEqual({ active: false, startedAt: null, identified: false });
    s.dispose();
  });

  it('refuses customer data without a session', () => {
    const s = new CustomerSession({ maxIdleMs: 1000 });
    expect(() => s.setCustomer({ displayName: 'x', maskedId: 'y', method: 'sms' })).toThrow(/no active session/);
  });
});

describe('logs', () => {
  it('rotates by size and keeps maxFiles old files', () => {
    const dir = tempDir();
    const log = createLogger({ dir, maxBytes: 2048, maxFiles: 2 });
    for (let i = 0; i < 200; i++) log.logger.info({ i }, 'line of the kiosk log');
    log.close();
    expect(existsSync(join(dir, 'kiosk.log'))).toBe(true);
    expect(existsSync(join(dir, 'kiosk.log.1'))).toBe(true);
    expect(existsSync(join(dir, 'kiosk.log.2'))).toBe(true);
    expect(existsSync(join(dir, 'kiosk.log.3'))).toBe(false);
    expect(readFileSync(join(dir, 'kiosk.log')).length).toBeLessThanOrEqual(2048);
    const last = readFileSync(join(dir, 'kiosk.log'), 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(last)).toMatchObject({ level: 'info', i: 199, msg: 'line of the kiosk log' });
  });

  it('redacts personal fields that slip into a log call, in the file and in the staff view', () => {
    const dir = tempDir();
    const log = createLogger({ dir });
    log.logger.info({ pin: '4821', customer: { name: '张三', idNumber: '110101199001011234' }, args: { phone: '13800138000' }, query: '我的身份证110101199001011234' }, 'call');
    log.close();
    const text = readFileSync(join(dir, 'kiosk.log'), 'utf8');
    for (const secret of ['4821', '张三', '110101199001011234', '13800138000']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(JSON.stringify(log.ring.recent())).not.toContain('13800138000');
  });
});
