// Every byte under a folder (database, WAL, logs …): what privacy tests grep for personal data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function bytesUnder(dir: string): Buffer {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  // A file may vanish between listing and reading (a WAL checkpoint): skip it.
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}
