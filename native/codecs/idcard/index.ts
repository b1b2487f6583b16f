export * from './frame.ts';
export * from './status.ts';
export * from './scanner.ts';
export * from './text.ts';
export * from './read-reply.ts';
export * from './mask.ts';
