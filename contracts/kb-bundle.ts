// The KB bundle interchange format (PRODUCT.md "KB bundle"): JSON Lines, one record a line.
// Unknown fields are kept (passthrough) so a newer hub's extra data survives an older kiosk.
// Extensions of ours: `synonyms` records, and Markdown images that point at files beside the bundle.
import { z } from 'zod';

export const LOCALES = ['zh-CN', 'en'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/** Ids appear in URLs, file names and CLI output: keep them boring. */
const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id may use letters, digits, . _ : - and must start with a letter or digit');

const Text = (max: number) => z.string().max(max, `longer than ${max} characters`);

export const CategoryRecord = z.looseObject({
  type: z.literal('category'),
  id: Id,
  parentId: Id.nullish(),
  locale: Locale,
  title: Text(200).min(1, 'title is empty'),
  order: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});
export type CategoryRecord = z.infer<typeof CategoryRecord>;

export const ArticleRecord = z.looseObject({
  type: z.literal('article'),
  id: Id,
  locale: Locale,
  categoryId: Id.nullish(),
  title: Text(300).min(1, 'title is empty'),
  body: Text(200_000),
  tags: z.array(Text(64).min(1)).max(64).optional(),
  questions: z.array(Text(300).min(1)).max(64).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
});
export type ArticleRecord = z.infer<typeof ArticleRecord>;

/** A group of interchangeable terms for one locale (or all when locale is absent). */
export const SynonymsRecord = z.looseObject({
  type: z.literal('synonyms'),
  locale: Locale.optional(),
  terms: z.array(Text(64).min(1)).min(2, 'a synonym group needs at least two terms').max(64),
});
export type SynonymsRecord = z.infer<typeof SynonymsRecord>;

export const BundleRecord = z.discriminatedUnion('type', [CategoryRecord, ArticleRecord, SynonymsRecord]);
export type BundleRecord = z.infer<typeof BundleRecord>;

/** Markdown image URL scheme for content-addressed blobs inside article bodies. */
export const BLOB_URL_PREFIX = 'kb-blob:';
