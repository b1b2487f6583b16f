// App update releases hosted by the hub (issue 13 §4): electron-updater's generic feed at
// /updates/<channel>/latest-linux.yml + artifacts, releases uploaded by an admin (yml, then each
// artifact, then publish), staged rollout per channel. docs/deployment.md "Update feed hosting".
import { z } from 'zod';

/** The same rule as the kiosk configuration's update.channel (contracts/sync-config.ts). */
export const ChannelName = z.string().regex(/^[a-z0-9-]{1,32}$/, 'channel: lower-case letters, digits and -');

export const ARTIFACT_KINDS = { deb: '.deb', appimage: '.AppImage' } as const;
export type ArtifactKind = keyof typeof ARTIFACT_KINDS;

/** A file name as it appears in the yml and in the feed URL: no path, a Linux package extension. */
export const ArtifactName = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+~-]*\.(deb|AppImage)$/, 'artifact name: letters, digits . _ + ~ -, ending in .deb or .AppImage (no path)');

/** electron-builder writes sha512 as base64 of the digest (88 characters). */
export const Sha512Base64 = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'sha512 must be base64 of a SHA-512 digest (88 characters)');

/** electron-updater's semver, as electron-builder writes it (no leading v). */
export const ReleaseVersion = z
  .string()
  .max(64)
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'version must be semver, e.g. 1.4.2');

export const UPDATE_LIMITS = {
  /** The uploaded yml (it lists files and hashes; release notes make it longer). */
  maxYmlBytes: 64 * 1024,
  maxFilesPerRelease: 4,
  /** Default artifact size limit; `hub serve --max-artifact-mb` changes it. */
  defaultMaxArtifactBytes: 1024 * 1024 * 1024,
} as const;

/**
 * latest-linux.yml as electron-builder writes it. Keys we do not know are kept and served as they
 * came (a newer electron-builder may add some); `stagingPercentage` is the channel's, not the file's.
 */
export const ReleaseYml = z.looseObject({
  version: ReleaseVersion,
  files: z
    .array(z.looseObject({ url: ArtifactName, sha512: Sha512Base64, size: z.number().int().positive(), blockMapSize: z.number().int().positive().optional() }))
    .min(1, 'the yml lists no files')
    .max(UPDATE_LIMITS.maxFilesPerRelease),
  path: z.string().max(200).optional(),
  sha512: z.string().max(100).optional(),
  releaseDate: z.string().max(40).optional(),
  releaseName: z.string().max(200).optional(),
  stagingPercentage: z.number().min(0).max(100).optional(),
});
export type ReleaseYml = z.infer<typeof ReleaseYml>;

export const ReleaseFile = z.strictObject({
  name: z.string(),
  size: z.number(),
  sha512: z.string(),
  /** When its bytes arrived and matched the yml (null: not uploaded yet). */
  uploadedAt: z.string().nullable(),
});

/** pending: waiting for artifacts; ready: artifacts verified, not published; published. */
export const RELEASE_STATES = ['pending', 'ready', 'published'] as const;

export const ReleaseInfo = z.strictObject({
  id: z.string(),
  channel: z.string(),
  version: z.string(),
  state: z.enum(RELEASE_STATES),
  /** The channel serves this release now. */
  current: z.boolean(),
  files: z.array(ReleaseFile),
  releaseDate: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  publishedAt: z.string().nullable(),
});
export type ReleaseInfo = z.infer<typeof ReleaseInfo>;

export const ChannelInfo = z.strictObject({
  name: z.string(),
  /** What a kiosk's configuration sets as update.feedUrl for this channel (hub-relative path). */
  feedPath: z.string(),
  /** Requests for this channel are redirected here instead of served from hosted releases. */
  externalFeedUrl: z.string().nullable(),
  /** Share of kiosks offered the current release (electron-updater's stagingPercentage). */
  stagingPercentage: z.number(),
  /** Paused: the feed offers the release to nobody more (stagingPercentage 0). */
  paused: z.boolean(),
  release: ReleaseInfo.nullable(),
  updatedAt: z.string(),
});
export type ChannelInfo = z.infer<typeof ChannelInfo>;

export const ChannelParams = z.strictObject({ channel: ChannelName });
export const ReleaseParams = z.strictObject({ id: z.uuid() });
export const ReleaseFileParams = z.strictObject({ id: z.uuid(), file: ArtifactName });

export const CreateReleaseRequest = z.strictObject({
  channel: ChannelName,
  /** The latest-linux.yml electron-builder wrote, as text. */
  yml: z.string().min(1).max(UPDATE_LIMITS.maxYmlBytes),
});

export const PublishReleaseRequest = z.strictObject({
  /** Start the rollout at this share (default: the yml's stagingPercentage, else 100). */
  stagingPercentage: z.number().int().min(0).max(100).optional(),
});

export const UpdateChannelRequest = z.strictObject({
  stagingPercentage: z.number().int().min(0).max(100).optional(),
  paused: z.boolean().optional(),
  externalFeedUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
});

export const ReleaseListQuery = z.strictObject({ channel: ChannelName.optional() });

export const ChannelsResponse = z.strictObject({ channels: z.array(ChannelInfo) });
export const ChannelResponse = z.strictObject({ channel: ChannelInfo });
export const ReleasesResponse = z.strictObject({ releases: z.array(ReleaseInfo) });
export const ReleaseResponse = z.strictObject({ release: ReleaseInfo });
