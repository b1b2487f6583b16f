// A temp folder that lives for the whole test file (the kiosk child process writes into it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDirKept(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
