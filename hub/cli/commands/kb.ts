// `hub kb import`: publish a KB bundle (all or nothing; errors name file and line).
import { BundleError, readHubBundle } from '../../kb/bundle.ts';
import { publishBundle } from '../../kb/publish-kb.ts';
import { CommandError, line, unknownCommand, UsageError, type HubCommand, type HubIo } from '../io.ts';

/** A bundle's problems: the first is the error's message, the rest go to stderr one a line. */
function bundleFailure(err: unknown, io: HubIo): unknown {
  if (!(err instanceof BundleError)) return err;
  for (const x of err.problems.slice(1)) line(io.stderr, `  ${x.file}:${x.line}: ${x.message}`);
  return new CommandError(err.message);
}

export const run: HubCommand = async ({ p, o, io, open }) => {
  if (p[1] !== 'import') throw unknownCommand(p);
  if (p.length !== 3) throw new UsageError('kb import needs exactly one bundle file or folder');
  let bundle;
  try {
    bundle = readHubBundle(p[2]!);
  } catch (err) {
    throw bundleFailure(err, io);
  }
  let s;
  try {
    s = await publishBundle(await open(), bundle, { merge: o.merge, source: p[2]! });
  } catch (err) {
    throw bundleFailure(err, io);
  }
  line(
    io.stdout,
    o.json ? JSON.stringify(s) : `revision ${s.revision} (head ${s.head}): ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.removed} removed, ${s.blobs} new blobs`,
  );
  return 0;
};
