// One dispatcher behind both transports: method name checked against the contract, arguments
// parsed by the method's schema (nothing runs on invalid input), access checked (customer / staff),
// then the handler; its result is parsed by the result schema too, which strips anything the
// contract does not declare (a row id, a stray field) before it leaves the core.
import {
  KIOSK_METHODS,
  KioskApiError,
  describeIssues,
  isKioskMethod,
  type Access,
  type KioskMethod,
  type KioskParsedArgs,
  type KioskResult,
  type WireResult,
} from '../../contracts/kiosk-api.ts';
import type { Logger } from '../log/logger.ts';

export type KioskHandlers = {
  [M in KioskMethod]: (args: KioskParsedArgs<M>) => KioskResult<M> | Promise<KioskResult<M>>;
};

/** The namespaces of the contract ('kb' of 'kb.search', …): one handler module each (handlers/). */
export type KioskNamespace = KioskMethod extends `${infer NS}.${string}` ? NS : never;

/** The handlers of one namespace: exactly its methods of the contract. */
export type NamespaceHandlers<NS extends KioskNamespace> = Pick<KioskHandlers, Extract<KioskMethod, `${NS}.${string}`>>;

export interface AccessGuard {
  /** Throws KioskApiError (no_session / unauthorized) when the caller may not use `access` now. */
  check(access: Access, method: KioskMethod): void;
}

export interface Dispatcher {
  call(method: unknown, args: unknown): Promise<WireResult>;
}

export function createDispatcher(handlers: KioskHandlers, options: { guard?: AccessGuard; logger?: Logger } = {}): Dispatcher {
  return {
    async call(method, args) {
      if (!isKioskMethod(method)) {
        return { ok: false, error: { code: 'unknown_method', message: `unknown kiosk API method '${String(method).slice(0, 64)}'` } };
      }
      const spec = KIOSK_METHODS[method];
      const parsed = spec.args.safeParse(args === undefined ? {} : args);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid_argument', message: `${method}: invalid arguments`, issues: describeIssues(parsed.error) } };
      }
      try {
        options.guard?.check(spec.access, method);
        const handler = handlers[method] as (a: unknown) => unknown;
        const value = await handler(parsed.data);
        const out = spec.result.safeParse(value);
        if (!out.success) {
          options.logger?.error({ method, issues: describeIssues(out.error) }, 'kiosk API result does not match the contract');
          return { ok: false, error: { code: 'internal', message: `${method}: internal error` } };
        }
        return { ok: true, value: out.data };
      } catch (err) {
        if (err instanceof KioskApiError) return { ok: false, error: err.toWire() };
        options.logger?.error({ method, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) }, 'kiosk API handler failed');
        return { ok: false, error: { code: 'internal', message: `${method}: internal error` } };
      }
    },
  };
}
