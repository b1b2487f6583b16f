// The reference reader of the KB bundle format, shared by the kiosk (import) and the hub (publish).
// Reads a KB bundle (a .jsonl file, or a folder of them with images beside) into validated records.
// Every problem is collected with its file and line; if there is any, nothing is returned to import.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, normalize as normalizePath, relative } from 'node:path';
import { BLOB_URL_PREFIX, BundleRecord } from '../kb-bundle.ts';

export interface BundleImage {
  data: Buffer;
  mediaType: string;
}

export interface LocatedRecord {
  record: BundleRecord;
  file: string;
  line: number;
}

export interface Bundle {
  records: LocatedRecord[];
  /** Relative image path as written in Markdown (resolved per file) → bytes. Keyed by absolute path. */
  images: Map<string, BundleImage>;
}

export interface BundleProblem {
  file: string;
  line: number;
  message: string;
}

export class BundleError extends Error {
  override name = 'BundleError';
  /** `outcome` ends the message: the kiosk imports, the hub publishes. */
  constructor(
    readonly problems: BundleProblem[],
    outcome = 'nothing was imported',
  ) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(`${basename(first.file)}:${first.line}: ${first.message}${more}; ${outcome}`);
  }
}

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_LINE_CHARS = 1_000_000;
const MAX_PROBLEMS = 50;
/** Markdown image: ![alt](url "title") */
export const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

export function isLocalImageRef(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//') && !url.startsWith('#');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function splitLines(raw: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(10); i !== -1; i = raw.indexOf(10, start)) {
    out.push(raw.subarray(start, i > start && raw[i - 1] === 13 ? i - 1 : i));
    start = i + 1;
  }
  out.push(raw.subarray(start));
  return out;
}

function bundleFiles(path: string): string[] {
  if (!existsSync(path)) throw new BundleError([{ file: path, line: 0, message: 'no such file or folder' }]);
  if (statSync(path).isFile()) return [path];
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new BundleError([{ file: path, line: 0, message: 'the folder holds no .jsonl file' }]);
  return files;
}

export function readBundle(path: string): Bundle {
  const problems: BundleProblem[] = [];
  const records: LocatedRecord[] = [];
  const images = new Map<string, BundleImage>();
  const seen = new Map<string, string>();
  const report = (file: string, line: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, line, message });
  };

  for (const file of bundleFiles(path)) {
    splitLines(readFileSync(file)).forEach((bytes, i) => {
      const line = i + 1;
      if (bytes.length > MAX_LINE_CHARS * 4) return report(file, line, `line longer than ${MAX_LINE_CHARS} characters`);
      let content: string;
      try {
        content = utf8.decode(bytes).replace(/^\uFEFF/, '');
      } catch {
        return report(file, line, 'not valid UTF-8');
      }
      if (!content.trim()) return;
      if (content.length > MAX_LINE_CHARS) return report(file, line, `line longer than ${MAX_LINE_CHARS} characters`);
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch (err) {
        return report(file, line, `not valid JSON (${(err as Error).message})`);
      }
      const parsed = BundleRecord.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length ? `field '${issue.path.join('.')}': ` : '';
        return report(file, line, `${where}${issue.message}`);
      }
      const record = parsed.data;
      if (record.type !== 'synonyms') {
        const key = `${record.type}:${record.locale}:${record.id}`;
        const before = seen.get(key);
        if (before) return report(file, line, `${record.type} '${record.id}' (${record.locale}) appears twice (first at ${before})`);
        seen.set(key, `line ${line}`);
      }
      if (record.type === 'article') {
        for (const m of record.body.matchAll(MARKDOWN_IMAGE)) {
          const url = m[1]!;
          if (url.startsWith(BLOB_URL_PREFIX) || !isLocalImageRef(url)) continue;
          const abs = normalizePath(join(dirname(file), decodeURIComponent(url)));
          const rel = relative(dirname(file), abs);
          if (isAbsolute(url) || rel.startsWith('..')) {
            report(file, line, `image '${url}' is outside the bundle folder`);
            continue;
          }
          const mediaType = MEDIA_TYPES[extname(abs).toLowerCase()];
          if (!mediaType) {
            report(file, line, `image '${url}' is not a supported image type (${Object.keys(MEDIA_TYPES).join(' ')})`);
            continue;
          }
          if (images.has(abs)) continue;
          if (!existsSync(abs) || !statSync(abs).isFile()) {
            report(file, line, `image '${url}' not found beside the bundle`);
            continue;
          }
          if (statSync(abs).size > MAX_IMAGE_BYTES) {
            report(file, line, `image '${url}' is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB`);
            continue;
          }
          images.set(abs, { data: readFileSync(abs), mediaType });
        }
      }
      records.push({ record, file, line });
    });
  }
  if (problems.length) throw new BundleError(problems);
  return { records, images };
}

/** Resolves a Markdown image URL of `file` to the key used in Bundle.images. */
export function imageKey(file: string, url: string): string {
  return normalizePath(join(dirname(file), decodeURIComponent(url)));
}
