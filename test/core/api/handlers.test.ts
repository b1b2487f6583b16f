// The handler registry against the contract: every method of KIOSK_METHODS has exactly one
// handler, no handler exists without a method, and each namespace module holds only its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIOSK_METHOD_NAMES } from '../../../contracts/kiosk-api.ts';
import type { HandlerContext } from '../../../core/api/handlers/context.ts';
import { HANDLER_MODULES } from '../../../core/api/handlers/index.ts';
import { createKioskService } from '../../../core/api/service.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { tempDir } from '../../helpers/tmp.ts';

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('kiosk API handlers', () => {
  it('cover every method of the contract, and nothing else', () => {
    const store = openKbStore(join(tempDir(), 'kiosk.db'));
    const service = createKioskService({ store, appVersion: '0.0.0-test', mode: 'browser' });
    try {
      expect(sorted(Object.keys(service.handlers))).toEqual(sorted(KIOSK_METHOD_NAMES));
      for (const m of KIOSK_METHOD_NAMES) expect(typeof service.handlers[m], m).toBe('function');
    } finally {
      service.dispose();
      store.close();
    }
  });

  it('come one module per namespace, each with the methods of its namespace only', () => {
    const namespaces = new Set(KIOSK_METHOD_NAMES.map((m) => m.split('.')[0]!));
    expect(sorted(Object.keys(HANDLER_MODULES))).toEqual(sorted(namespaces));
    const seen: string[] = [];
    for (const [ns, handlersOf] of Object.entries(HANDLER_MODULES)) {
      // Building a module only reads the context (nothing is called): the methods it declares.
      const methods = Object.keys(handlersOf({} as HandlerContext));
      expect(methods.length, ns).toBeGreaterThan(0);
      for (const m of methods) expect(m.startsWith(`${ns}.`), `${m} in the ${ns} module`).toBe(true);
      seen.push(...methods);
    }
    expect(sorted(seen)).toEqual(sorted(KIOSK_METHOD_NAMES));
  });
});
