// What every CLI command gets: streams to write to, and the two kinds of failure the CLI knows.
// Exit codes (issue #2): 0 ok, 1 failure, 2 usage. One clear line on stderr for either failure.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** Wrong arguments: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command ran and failed for a reason the user can act on: exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(line + '\n');
}
