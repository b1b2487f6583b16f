// Reads a KB bundle for publishing. The reading and validation are the format's reference reader
// (contracts/node/kb-bundle-reader.ts, shared with the kiosk's import); the hub sorts the records
// and rewrites local image links to kb-blob:<sha256>, as the sync protocol carries them.
import {
  BundleError,
  MARKDOWN_IMAGE,
  imageKey,
  isLocalImageRef,
  readBundle,
  type BundleImage,
  type BundleProblem,
} from '../../contracts/node/kb-bundle-reader.ts';
import { BLOB_URL_PREFIX, type ArticleRecord, type CategoryRecord, type SynonymsRecord } from '../../contracts/kb-bundle.ts';
import { sha256Hex } from '../sync/publish.ts';

export { BundleError, type BundleProblem };

export interface HubBundle {
  categories: CategoryRecord[];
  synonyms: SynonymsRecord[];
  /** Bodies with local images rewritten to kb-blob:<sha256>. */
  articles: Array<{ record: ArticleRecord; file: string; line: number }>;
  images: Map<string, BundleImage>;
}

const PUBLISH_OUTCOME = 'nothing was published';

export function readHubBundle(path: string): HubBundle {
  let bundle;
  try {
    bundle = readBundle(path);
  } catch (err) {
    throw err instanceof BundleError ? new BundleError(err.problems, PUBLISH_OUTCOME) : err;
  }
  const out: HubBundle = { categories: [], synonyms: [], articles: [], images: bundle.images };
  for (const { record, file, line } of bundle.records) {
    if (record.type === 'category') out.categories.push(record);
    else if (record.type === 'synonyms') out.synonyms.push(record);
    else {
      const body = record.body.replace(MARKDOWN_IMAGE, (whole, url: string) => {
        if (url.startsWith(BLOB_URL_PREFIX) || !isLocalImageRef(url)) return whole;
        const image = bundle.images.get(imageKey(file, url))!;
        return whole.replace(url, `${BLOB_URL_PREFIX}${sha256Hex(image.data)}`);
      });
      out.articles.push({ record: { ...record, body }, file, line });
    }
  }
  return out;
}

/** A problem found while publishing (references checked against the hub's current KB). */
export const publishError = (problems: BundleProblem[]) => new BundleError(problems, PUBLISH_OUTCOME);
