// Release artifacts for the update-feed tests: bytes that start like a real Linux package (an ar
// archive opening with debian-binary, or an ELF file with the AppImage type-2 magic) and the
// latest-linux.yml electron-builder would write for them.
import { createHash, randomBytes } from 'node:crypto';

export interface ReleaseFixture {
  version: string;
  name: string;
  artifact: Buffer;
  sha512: string;
  yml: string;
}

export function debArtifact(size = 64 * 1024): Buffer {
  return Buffer.concat([Buffer.from('!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n', 'latin1'), randomBytes(size)]);
}

export function appImageArtifact(size = 64 * 1024): Buffer {
  const head = Buffer.alloc(16);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x41, 0x49, 0x02]).copy(head);
  return Buffer.concat([head, randomBytes(size)]);
}

export const sha512Of = (b: Buffer) => createHash('sha512').update(b).digest('base64');

export function releaseFixture(version: string, options: { kind?: 'deb' | 'appimage'; size?: number; stagingPercentage?: number; extra?: string } = {}): ReleaseFixture {
  const kind = options.kind ?? 'deb';
  const artifact = kind === 'deb' ? debArtifact(options.size) : appImageArtifact(options.size);
  const name = kind === 'deb' ? `lobby-kiosk_${version}_amd64.deb` : `Lobby-Kiosk-${version}.AppImage`;
  const sha512 = sha512Of(artifact);
  const yml = latestLinuxYml({ version, name, sha512, size: artifact.length, stagingPercentage: options.stagingPercentage, extra: options.extra });
  return { version, name, artifact, sha512, yml };
}

/** latest-linux.yml as electron-builder writes it for one artifact. */
export function latestLinuxYml(o: { version: string; name: string; sha512: string; size: number; stagingPercentage?: number | undefined; extra?: string | undefined }): string {
  return [
    `version: ${o.version}`,
    'files:',
    `  - url: ${o.name}`,
    `    sha512: ${o.sha512}`,
    `    size: ${o.size}`,
    `path: ${o.name}`,
    `sha512: ${o.sha512}`,
    `releaseDate: '2026-11-20T02:00:00.000Z'`,
    ...(o.stagingPercentage === undefined ? [] : [`stagingPercentage: ${o.stagingPercentage}`]),
    ...(o.extra ? [o.extra] : []),
    '',
  ].join('\n');
}
