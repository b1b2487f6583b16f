// The logger shape drivers accept (pino's, structurally), plus a silent default. Drivers log codes,
// lengths and timings only — never a field read from a card, a template, or a printed text.
export interface DeviceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};
export const silentLogger: DeviceLogger = { debug: noop, info: noop, warn: noop, error: noop };
