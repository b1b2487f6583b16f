// `kiosk update check --feed URL [--channel C] [--json]`: asks a generic update feed what it offers
// this machine, with electron-updater's real Linux updater (the same code the app runs), without
// downloading or installing anything. For central IT checking a feed before a rollout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageVersion } from '../../kiosk-core.ts';
import { dataDir } from '../../db/paths.ts';
import { NodeAppAdapter, createLinuxUpdater } from '../../update/node-updater.ts';
import { CommandError, UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk update check --feed URL [--channel latest] [--current VERSION] [--json]
  Reads <feed>/<channel>-linux.yml and says whether it offers an update to this kiosk (version,
  staged rollout against this kiosk's updater id). Downloads and installs nothing.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    writeLine(command ? io.stdout : io.stderr, USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'check') throw new UsageError(`unknown update command '${command}'\n${USAGE}`);
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { feed: { type: 'string' }, channel: { type: 'string', default: 'latest' }, current: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (!values.feed) throw new UsageError(`--feed is required\n${USAGE}`);
  let feed: URL;
  try {
    feed = new URL(values.feed);
  } catch {
    throw new UsageError('--feed must be an http(s) URL');
  }
  if (feed.protocol !== 'http:' && feed.protocol !== 'https:') throw new UsageError('--feed must be an http(s) URL');
  if (!/^[a-z0-9-]{1,32}$/.test(values.channel)) throw new UsageError('--channel is letters, digits and -');

  const current = values.current ?? packageVersion();
  const cache = mkdtempSync(join(tmpdir(), 'kiosk-update-check-'));
  try {
    const app = new NodeAppAdapter({ version: current, userDataPath: join(dataDir(io.env), 'updater'), cachePath: cache });
    const updater = createLinuxUpdater({ app, feed: { url: feed.toString(), channel: values.channel } });
    let result;
    try {
      result = await updater.checkForUpdates();
    } catch (err) {
      throw new CommandError(`update check failed: ${(err as Error).message.split('\n')[0]}`);
    }
    const info = result?.updateInfo;
    const out = {
      feed: feed.toString(),
      channel: values.channel,
      currentVersion: current,
      latestVersion: info?.version ?? null,
      updateAvailable: !!result?.isUpdateAvailable,
      stagingPercentage: info?.stagingPercentage ?? null,
      releaseDate: info?.releaseDate ?? null,
      files: (info?.files ?? []).map((f) => ({ url: f.url, size: f.size ?? null })),
    };
    if (values.json) writeLine(io.stdout, JSON.stringify(out));
    else {
      writeLine(io.stdout, `feed ${out.feed} (${out.channel}): latest ${out.latestVersion ?? '?'}, this kiosk runs ${current}`);
      writeLine(io.stdout, out.updateAvailable ? `update offered to this kiosk: ${out.latestVersion}` : 'no update offered to this kiosk');
      if (out.stagingPercentage !== null) writeLine(io.stdout, `staged rollout: ${out.stagingPercentage}%`);
    }
    return 0;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
