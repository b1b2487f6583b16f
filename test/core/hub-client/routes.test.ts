// The kiosk's table of hub routes: paths filled in the way every caller relies on.
import { describe, expect, it } from 'vitest';
import { hubUrl } from '../../../core/hub-client/http.ts';
import { KIOSK_HUB_ROUTES, hubPath } from '../../../core/hub-client/routes.ts';

describe('hub routes', () => {
  it('fill parameters URI-encoded and append the query', () => {
    expect(hubPath('orders.get', { id: 'A 1/2' })).toBe('v1/customer/orders/A%201%2F2');
    expect(hubPath('sync.changes', {}, new URLSearchParams({ since: '0', limit: '50' }))).toBe('v1/sync/changes?since=0&limit=50');
    expect(hubPath('inbox.outbox')).toBe('v1/outbox');
  });

  it('refuse a missing parameter instead of calling a wrong path', () => {
    expect(() => hubPath('fleet.commandResult')).toThrow(/:id/);
  });

  it('stay under a hub served below a path prefix', () => {
    expect(new URL(hubPath('queue.take'), hubUrl('https://hub.example.test/kiosk-hub')).href).toBe('https://hub.example.test/kiosk-hub/v1/queue/take');
  });

  it('are all under /v1/ with GET or POST', () => {
    for (const [id, r] of Object.entries(KIOSK_HUB_ROUTES)) {
      expect(r.path, id).toMatch(/^\/v1\//);
      expect(['GET', 'POST'], id).toContain(r.method);
    }
  });
});
