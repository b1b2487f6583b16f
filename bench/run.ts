// `npm run bench [-- filter…]`: runs every bench/*.bench.ts (default export `run()`) in sequence,
// or only those whose file name contains one of the filters (`npm run bench -- search`).
// Figures, not tests: a failing bench is reported and the others still run; exit 1 if any failed.
import { readdirSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { cpuModel, secondsSince } from './lib/report.ts';

type BenchModule = { default?: unknown };

async function main(argv: string[]): Promise<number> {
  const filters = argv.filter((a) => a && !a.startsWith('-'));
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const files = filters.length === 0 ? all : all.filter((f) => filters.some((x) => f.includes(x)));

  console.log('Lobby Kiosk benchmarks');
  console.log(`node ${process.version} · ${platform()} ${arch()} · ${cpuModel()}`);
  console.log(`date ${new Date().toISOString()}`);
  if (files.length === 0) {
    console.error(`bench: no bench/*.bench.ts matches ${filters.map((f) => `'${f}'`).join(', ') || '(any)'}; found: ${all.join(', ') || 'none'}`);
    return 1;
  }
  console.log(`running ${files.join(', ')}`);

  let failed = 0;
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    const t0 = performance.now();
    try {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
      if (typeof mod.default !== 'function') throw new Error('has no default export `async function run()`');
      await (mod.default as () => Promise<void>)();
      console.log(`=== ${file}: done in ${secondsSince(t0).toFixed(1)} s ===`);
    } catch (err) {
      failed++;
      console.error(`=== ${file}: FAILED after ${secondsSince(t0).toFixed(1)} s: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
