export * from './packet.ts';
export * from './commands.ts';
