// `kiosk outbox …`: what the kiosk still has to send the hub, and sending it now.
// Listings never show personal fields (they are sealed at rest); only kind, state and errors.
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { argParser } from '../args.ts';
import { kioskDbFile } from '../../db/paths.ts';
import { openKbStore } from '../../kiosk-db.ts';
import { openOutbox } from '../../outbox/open.ts';
import { OutboxError } from '../../outbox/outbox.ts';
import { loadToken } from '../../sync/credentials.ts';
import { SyncError } from '../../hub-client/errors.ts';
import { hubUrl } from '../../hub-client/http.ts';
import { readSyncState } from '../../sync/state.ts';
import { CommandError, UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk outbox list [--quarantined] [--json] [--db F]
       kiosk outbox retry [--quarantined] [--json] [--hub URL] [--token T] [--db F]
            make every pending item due and deliver now; --quarantined also re-queues rejected items
       kiosk outbox add <kind> <payload.json|->   queue one item (staff tools, tests); - reads stdin
The hub and token default to those \`kiosk sync\` remembered.`;

const OPTIONS = {
  db: { type: 'string' },
  hub: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  quarantined: { type: 'boolean', default: false },
  'allow-insecure-http': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals: p } = argParser(USAGE, OPTIONS)(argv, {});
  if (o.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  const dbFile = kioskDbFile(o.db, io.env);
  const cmd = p[0];
  if (cmd !== 'list' && cmd !== 'retry' && cmd !== 'add') throw new UsageError(cmd ? `unknown outbox command '${cmd}'\n${USAGE}` : USAGE);
  const store = openKbStore(dbFile);
  try {
    let outbox;
    try {
      outbox = openOutbox(store.db);
      if (cmd === 'add') outbox.counts();
    } catch (err) {
      throw new CommandError((err as Error).message);
    }
    if (cmd === 'list') {
      const items = outbox.list(o.quarantined ? { state: 'quarantined' } : {});
      if (o.json) for (const i of items) writeLine(io.stdout, JSON.stringify(i));
      else if (items.length === 0) writeLine(io.stdout, o.quarantined ? 'no quarantined items' : 'the outbox is empty');
      else
        for (const i of items)
          writeLine(
            io.stdout,
            `${i.key}  ${i.kind.padEnd(20)} ${i.state.padEnd(11)} attempts ${i.attempts}` +
              (i.state === 'quarantined' ? `  ${i.quarantineReason}` : `  next ${i.nextAttemptAt}${i.lastError ? `  last error: ${i.lastError}` : ''}`),
          );
      return 0;
    }
    if (cmd === 'add') {
      if (p.length !== 3) throw new UsageError('outbox add needs a kind and a JSON file (or - for stdin)');
      const text = p[2] === '-' ? await readStdin(io.stdin) : readFileSync(p[2]!, 'utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (err) {
        throw new CommandError(`payload is not valid JSON: ${(err as Error).message}`);
      }
      try {
        writeLine(io.stdout, outbox.enqueue(p[1]!, payload));
      } catch (err) {
        if (err instanceof OutboxError) throw new CommandError(err.message);
        throw err;
      }
      return 0;
    }
    // retry
    const made = outbox.retry({ quarantined: o.quarantined });
    const hub = o.hub ?? io.env.KIOSK_HUB_URL ?? readSyncState(store.db).hubUrl;
    const token = o.token ?? io.env.KIOSK_HUB_TOKEN ?? loadToken(dbFile);
    if (!hub || !token) throw new UsageError('no hub or token known: give --hub URL --token T (or run `kiosk sync` with them once)');
    let report;
    try {
      const url = hubUrl(hub, { allowInsecureHttp: o['allow-insecure-http'] || io.env.KIOSK_ALLOW_INSECURE_HTTP === '1' });
      report = await outbox.deliver({ url, token, timeoutMs: 30_000 });
    } catch (err) {
      if (err instanceof SyncError) throw new CommandError(`delivery failed (${err.code}): ${err.message}`);
      throw err;
    }
    const left = outbox.counts();
    if (o.json) writeLine(io.stdout, JSON.stringify({ requeued: made, ...report, ...left }));
    else {
      writeLine(
        io.stdout,
        `sent ${report.sent}: ${report.accepted} accepted, ${report.duplicate} already delivered, ${report.rejected} rejected (quarantined); ` +
          `${left.pending} pending, ${left.quarantined} quarantined`,
      );
      if (report.error) writeLine(io.stderr, `kiosk: delivery stopped: ${report.error}; pending items retry with backoff`);
    }
    return report.error ? 1 : 0;
  } finally {
    store.close();
  }
}
