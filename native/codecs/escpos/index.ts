export * from './ops.ts';
export * from './builder.ts';
export * from './status.ts';
export * from './decoder.ts';
export * from './template.ts';
