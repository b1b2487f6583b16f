// `hub user …` as a child process against the database of a running hub (SQLite file): the
// password only ever on stdin, checked before anything is written; the account signs in over
// HTTP at once; disable ends its sessions; every change is audited with the OS user.
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../hub/audit/audit-log.ts';
import { api, freshDbSpec, runCli, startHub, type TestHub } from './harness.ts';

const PASS = 'a long first passphrase';

let t: TestHub | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('hub user', () => {
  it('adds, lists, disables and resets accounts with passwords on stdin only', async () => {
    const spec = await freshDbSpec('sqlite');
    t = await startHub('sqlite', { spec });
    const hub = (args: string[], input = '') => runCli('hub', ['user', ...args, '--db', spec], { input });

    const added = await hub(['add', 'ada', '--role', 'admin', '--password-stdin'], `${PASS}\nignored second line\n`);
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: "user 'ada' added (role admin)\n" });
    // Refused before anything is read or written: a password in argv, none at all, a bad role or
    // branch rule, a short password.
    const refused = [
      await hub(['add', 'bob', '--role', 'editor', '--password', PASS]),
      await hub(['add', 'bob', '--role', 'editor'], `${PASS}\n`),
      await hub(['add', 'bob', '--role', 'root', '--password-stdin'], `${PASS}\n`),
      await hub(['add', 'bob', '--role', 'editor', '--password-stdin'], 'short\n'),
      await hub(['add', '../bob', '--role', 'editor', '--password-stdin'], `${PASS}\n`),
    ];
    expect(refused.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(refused[1]!.stderr).toMatch(/--password-stdin/);
    expect(refused[3]!.stderr).toMatch(/at least 10/);
    const bm = await hub(['add', 'bm', '--role', 'branch-manager', '--password-stdin'], `${PASS}\n`);
    expect(bm).toMatchObject({ code: 1, stderr: 'hub: a branch manager needs a branch\n' });
    expect((await hub(['add', 'Ada', '--role', 'editor', '--password-stdin'], `${PASS}\n`)).code).toBe(1);
    expect((await hub(['add', 'ed', '--role', 'editor', '--password-stdin'], `${PASS}\n`)).code).toBe(0);
    for (const r of [added, ...refused, bm]) expect(r.stdout + r.stderr).not.toContain(PASS);

    const list = await hub(['list', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string; role: string }>).map((u) => [u.name, u.role])).toEqual([
      ['ada', 'admin'],
      ['ed', 'editor'],
    ]);

    // The running hub sees the account at once; disabling it from the CLI ends its session.
    const login = await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ed', password: PASS }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await hub(['disable', 'ed'])).stdout).toBe("user 'ed' disabled; its sessions have ended\n");
    expect((await api(t, '/v1/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await hub(['disable', 'ada'])).stderr).toMatch(/last enabled admin/);
    expect((await hub(['reset-password', 'ghost', '--password-stdin'], 'another passphrase\n')).code).toBe(1);
    expect((await hub(['reset-password', 'ada', '--password-stdin'], 'another passphrase\n')).code).toBe(0);
    expect((await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ada', password: 'another passphrase' }) })).status).toBe(200);

    const audit = await listAudit(t.hub.db, { action: 'cli.user.*' });
    expect(audit.map((e) => [e.action, e.target, e.result])).toEqual([
      ['cli.user.reset-password', 'ada', 'ok'],
      ['cli.user.reset-password', 'ghost', 'failed'],
      ['cli.user.disable', 'ada', 'failed'],
      ['cli.user.disable', 'ed', 'ok'],
      ['cli.user.add', 'ed', 'ok'],
      ['cli.user.add', 'Ada', 'failed'],
      ['cli.user.add', 'bm', 'failed'],
      ['cli.user.add', 'ada', 'ok'],
    ]);
    expect(audit.every((e) => e.actorKind === 'system' && e.actorName?.startsWith('cli:'))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(PASS);
  }, 180_000);
});
