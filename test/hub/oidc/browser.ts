// A very small browser for SSO tests without Chromium: a cookie jar per origin, manual redirects,
// forms posted as application/x-www-form-urlencoded, and trust in the test provider's certificate
// (this test process cannot take NODE_EXTRA_CA_CERTS after start-up, so the CA is passed per request).
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Page {
  status: number;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class TestBrowser {
  /** origin → cookie name → value */
  readonly jar = new Map<string, Map<string, string>>();
  private readonly ca: Buffer | undefined;

  constructor(caFile?: string) {
    this.ca = caFile ? readFileSync(caFile) : undefined;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  /** One request, no redirects followed. */
  request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const headers: Record<string, string> = { ...(cookies ? { cookie: cookies } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers };
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(u, { method: init.method ?? (body ? 'POST' : 'GET'), headers, ...(this.ca ? { ca: this.ca } : {}) }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) this.store(u.origin, line);
          resolve({ status: res.statusCode ?? 0, url, headers: res.headers, body: text });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Follows redirects (up to 20) and returns the first page that is not one. */
  async navigate(url: string, init: { form?: Record<string, string> } = {}): Promise<Page> {
    let page = await this.request(url, init);
    for (let i = 0; i < 20 && page.status >= 300 && page.status < 400 && page.headers.location; i++) {
      page = await this.request(new URL(String(page.headers.location), page.url).href);
    }
    return page;
  }

  /**
   * Like navigate, but stops before requesting a URL for which `stop` is true and returns it
   * (to tamper with a redirect before following it).
   */
  async navigateUntil(url: string, stop: (next: URL) => boolean, init: { form?: Record<string, string> } = {}): Promise<URL> {
    let page = await this.request(url, init);
    for (let i = 0; i < 20; i++) {
      if (!(page.status >= 300 && page.status < 400 && page.headers.location)) throw new Error(`no redirect matched; stopped at ${page.status} ${page.url}: ${page.body.slice(0, 300)}`);
      const next = new URL(String(page.headers.location), page.url);
      if (stop(next)) return next;
      page = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }

  private store(origin: string, line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const jar = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, jar);
    const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}
