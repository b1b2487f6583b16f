// HTTPS: `hub serve --tls-cert/--tls-key` serves TLS, and a kiosk syncs over it when it trusts the
// certificate (NODE_EXTRA_CA_CERTS), and refuses when it does not. Real processes, real openssl cert.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonl, tempDir, writeFiles } from '../helpers/tmp.ts';
import { article, runCli, startHubProcess } from './harness.ts';

function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

describe('hub over HTTPS', () => {
  it('a kiosk that trusts the certificate syncs; one that does not is refused with a clear error', async () => {
    const dir = tempDir();
    const db = join(dir, 'hub.db');
    const { cert, key } = selfSignedCert(dir);
    writeFiles(dir, { 'kb.jsonl': jsonl(article('tls', 'Secure channel test', 'Served over TLS.')) });
    expect((await runCli('hub', ['kb', 'import', join(dir, 'kb.jsonl'), '--db', db])).code).toBe(0);
    const token = (await runCli('hub', ['kiosk', 'add', 'lobby-tls', '--db', db])).stdout.trim();

    const hub = await startHubProcess(['--db', db, '--tls-cert', cert, '--tls-key', key]);
    try {
      const url = hub.url;
      expect(url).toMatch(/^https:/);
      const untrusted = await runCli('kiosk', ['sync', '--hub', url, '--token', token, '--db', join(dir, 'k1.db')]);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/sync failed/);
      expect(untrusted.stderr.trim().split('\n')).toHaveLength(1);

      const kdb = join(dir, 'k2.db');
      const trusted = await runCli('kiosk', ['sync', '--hub', url, '--token', token, '--db', kdb], { env: { NODE_EXTRA_CA_CERTS: cert } });
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(trusted.stdout).toMatch(/full sync to cursor \d+ .*articles 1 put/);
      const search = await runCli('kiosk', ['kb', 'search', 'secure channel', '--db', kdb, '--json']);
      expect(search.stdout).toContain('"id":"tls"');
    } finally {
      await hub.stop();
    }
  });
});
