// `kiosk kb …`: import bundles, search, suggest, evaluate and inspect the local knowledge base.
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ParseArgsConfig } from 'node:util';
import { argParser, intOption } from '../args.ts';
import { Locale } from '../../../contracts/kb-bundle.ts';
import { BundleError, readBundle } from '../../../contracts/node/kb-bundle-reader.ts';
import { seedDefaultKb } from '../../kb/default-kb.ts';
import { importBundle } from '../../kb/importer.ts';
import { defaultDbPath, kioskDbFile } from '../../db/paths.ts';
import type { KbStore } from '../../kb/store.ts';
import { openKbStore } from '../../kiosk-db.ts';
import { EvalQuery, evaluate } from '../../search/eval.ts';
import { lexicalIndexOf } from '../../search/lexical-index.ts';
import { Searcher } from '../../search/searcher.ts';
import { Suggester } from '../../search/suggester.ts';
import { CommandError, UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk kb <command> [options]
  import <bundle.jsonl|dir> [--db F] [--replace] [--json]   import a KB bundle (all or nothing)
  search "<query>" [--limit N] [--locale L] [--category C] [--json] [--db F]
  search --stdin --json [--limit N] [--locale L]            one query a line in, one JSON line out
  suggest "<prefix>" [--limit N] [--locale L] [--json] [--db F]
  eval <queries.jsonl> [--db F] [--json] [--verbose]        top1, recall5, mrr10, p50Ms, p95Ms
  stats [--json] [--db F]
--db defaults to the kiosk's own data file (${defaultDbPath()}); it gets the embedded starter KB
on first use, like the app.`;

const COMMON = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

const parse = argParser(USAGE, COMMON);


function localeOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = Locale.safeParse(value);
  if (!parsed.success) throw new UsageError(`--locale must be one of ${Locale.options.join(', ')}`);
  return parsed.data;
}

/** Opens the KB; the app's own file gets the starter KB on first use, an explicit --db does not. */
function openStore(db: string | undefined, { seed }: { seed: boolean }): KbStore {
  const store = openKbStore(kioskDbFile(db));
  if (seed && db === undefined) seedDefaultKb(store);
  return store;
}

async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { replace: { type: 'boolean', default: false } });
  const [bundlePath, ...extra] = positionals;
  if (!bundlePath || extra.length) throw new UsageError('kb import needs exactly one bundle file or folder');
  let bundle;
  try {
    bundle = readBundle(bundlePath);
  } catch (err) {
    if (err instanceof BundleError) {
      for (const p of err.problems.slice(1)) writeLine(io.stderr, `  ${p.file}:${p.line}: ${p.message}`);
      throw new CommandError(err.message);
    }
    throw err;
  }
  const store = openStore(values.db, { seed: false });
  try {
    const summary = importBundle(store, bundle, { replace: values.replace });
    if (values.json) writeLine(io.stdout, JSON.stringify(summary));
    else
      writeLine(
        io.stdout,
        `imported ${bundlePath}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed; ` +
          `${summary.categories} categories, ${summary.synonymGroups} synonym groups, ${summary.images} images`,
      );
    return 0;
  } catch (err) {
    if (err instanceof BundleError) throw new CommandError(err.message);
    throw err;
  } finally {
    store.close();
  }
}

async function searchCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    limit: { type: 'string' },
    locale: { type: 'string' },
    category: { type: 'string' },
    stdin: { type: 'boolean', default: false },
  });
  const limit = intOption(values.limit, 'limit', 10, 1, 100);
  const locale = localeOption(values.locale);
  if (values.stdin ? positionals.length > 0 : positionals.length !== 1) {
    throw new UsageError(values.stdin ? 'kb search --stdin takes no query argument' : 'kb search needs one query (quote it)');
  }
  const store = openStore(values.db, { seed: true });
  const searcher = new Searcher(store);
  const opts = { limit, ...(locale ? { locale } : {}), ...(values.category ? { categoryId: values.category } : {}) };
  const asJson = (q: string) =>
    JSON.stringify({ q, results: searcher.search(q, opts).map((h) => ({ id: h.id, title: h.title, score: h.score })) });
  try {
    if (values.stdin) {
      const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (values.json) writeLine(io.stdout, asJson(line));
        else printHits(io, line, searcher.search(line, opts));
      }
      return 0;
    }
    const q = positionals[0]!;
    if (values.json) writeLine(io.stdout, asJson(q));
    else printHits(io, q, searcher.search(q, opts));
    return 0;
  } finally {
    store.close();
  }
}

function printHits(io: CliIo, q: string, hits: ReturnType<Searcher['search']>): void {
  if (hits.length === 0) {
    writeLine(io.stdout, `no articles match "${q}"`);
    return;
  }
  hits.forEach((h, i) => {
    const plain = (segs: typeof h.snippet) => segs.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('');
    writeLine(io.stdout, `${String(i + 1).padStart(2)}. ${plain(h.titleHighlighted)}  (${h.id}, ${h.locale}, score ${h.score})`);
    if (h.snippet.length) writeLine(io.stdout, `    ${plain(h.snippet)}`);
  });
}

async function suggestCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { limit: { type: 'string' }, locale: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('kb suggest needs one prefix (quote it)');
  const locale = localeOption(values.locale);
  const store = openStore(values.db, { seed: true });
  try {
    const list = new Suggester(store).suggest(positionals[0]!, { limit: intOption(values.limit, 'limit', 8, 1, 50), ...(locale ? { locale } : {}) });
    if (values.json) writeLine(io.stdout, JSON.stringify({ prefix: positionals[0], suggestions: list }));
    else if (list.length === 0) writeLine(io.stdout, `no suggestions for "${positionals[0]}"`);
    else for (const s of list) writeLine(io.stdout, `${s.text}  (${s.articleId}, ${s.locale}, by ${s.match})`);
    return 0;
  } finally {
    store.close();
  }
}

function readEvalQueries(file: string): EvalQuery[] {
  if (!existsSync(file)) throw new CommandError(`${file}: no such file`);
  const out: EvalQuery[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new CommandError(`${file}:${i + 1}: not valid JSON`);
      }
      const parsed = EvalQuery.safeParse(json);
      if (!parsed.success) throw new CommandError(`${file}:${i + 1}: expected {"q": string, "expect": [ids]}`);
      out.push(parsed.data);
    });
  if (out.length === 0) throw new CommandError(`${file}: no queries`);
  return out;
}

async function evalCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { verbose: { type: 'boolean', default: false }, locale: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('kb eval needs one queries.jsonl file');
  const queries = readEvalQueries(positionals[0]!);
  const locale = localeOption(values.locale);
  const store = openStore(values.db, { seed: true });
  try {
    const searcher = new Searcher(store);
    const { metrics, misses } = evaluate(queries, (q) => searcher.search(q, { limit: 10, ...(locale ? { locale } : {}) }).map((h) => h.id));
    if (values.json) writeLine(io.stdout, JSON.stringify(metrics));
    else
      writeLine(
        io.stdout,
        `${queries.length} queries: top1 ${metrics.top1}  recall5 ${metrics.recall5}  mrr10 ${metrics.mrr10}  p50 ${metrics.p50Ms} ms  p95 ${metrics.p95Ms} ms`,
      );
    if (values.verbose) {
      // Misses go to stderr under --json so stdout stays one JSON object.
      const out = values.json ? io.stderr : io.stdout;
      writeLine(out, `${misses.length} misses (expected article not first):`);
      for (const m of misses) writeLine(out, `  ${m.q}  expected ${m.expect.join(',')}  rank ${m.rank ?? '-'}  got ${m.got.join(',') || '(nothing)'}`);
    }
    return 0;
  } finally {
    store.close();
  }
}

async function statsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (positionals.length) throw new UsageError('kb stats takes no arguments');
  const store = openStore(values.db, { seed: true });
  try {
    const stats = {
      db: store.db.name,
      schemaVersion: store.db.pragma('user_version', { simple: true }) as number,
      ...store.counts(),
      suggestEntries: lexicalIndexOf(store).suggestEntryCount(),
      locales: store.countsByLocale(),
      topQueries: store.topQueries(undefined, 10),
      noResultQueries: store.topQueries(undefined, 10, true),
    };
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(stats));
      return 0;
    }
    writeLine(io.stdout, `database ${stats.db} (schema ${stats.schemaVersion})`);
    writeLine(io.stdout, `articles ${stats.articles}, categories ${stats.categories}, synonym groups ${stats.synonymGroups}, images ${stats.blobs}`);
    for (const l of stats.locales) writeLine(io.stdout, `  ${l.locale}: ${l.articles} articles, ${l.categories} categories`);
    writeLine(io.stdout, `searches recorded ${stats.searches}`);
    for (const q of stats.topQueries) writeLine(io.stdout, `  ${q.count}× ${q.query} (${q.locale})`);
    if (stats.noResultQueries.length) writeLine(io.stdout, 'queries with no result (content gaps):');
    for (const q of stats.noResultQueries) writeLine(io.stdout, `  ${q.noResults}× ${q.query} (${q.locale})`);
    return 0;
  } finally {
    store.close();
  }
}

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  import: importCommand,
  search: searchCommand,
  suggest: suggestCommand,
  eval: evalCommand,
  stats: statsCommand,
};

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    writeLine(cmd ? io.stdout : io.stderr, USAGE);
    return cmd ? 0 : 2;
  }
  const command = COMMANDS[cmd];
  if (!command) throw new UsageError(`unknown kb command '${cmd}'\n${USAGE}`);
  return command(rest, io);
}

