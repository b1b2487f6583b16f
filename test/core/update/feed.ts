// A real generic update feed over HTTP: <channel>-linux.yml + the artifact, with its real sha512.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latestLinuxYml } from '../../hub/releases-fixture.ts';

export interface Feed {
  url: string;
  artifact: Buffer;
  requests: string[];
  close(): Promise<void>;
}

export async function startFeed(options: { version: string; stagingPercentage?: number; tamper?: boolean; channel?: string }): Promise<Feed> {
  const artifact = randomBytes(256 * 1024);
  const name = `lobby-kiosk_${options.version}_amd64.deb`;
  const sha512 = createHash('sha512').update(artifact).digest('base64');
  const served = options.tamper ? Buffer.concat([artifact.subarray(0, artifact.length - 1), Buffer.from([artifact[artifact.length - 1]! ^ 0xff])]) : artifact;
  const yml = latestLinuxYml({ version: options.version, name, sha512, size: artifact.length, stagingPercentage: options.stagingPercentage });
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (path === `/${options.channel ?? 'latest'}-linux.yml`) res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(yml);
    else if (path === `/${name}`) res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': served.length }).end(served);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    artifact,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
