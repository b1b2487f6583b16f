// `npm run screens`: screenshots of every kiosk screen in zh-CN and en, portrait 1080×1920 and
// landscape 1920×1080, into docs/screens/<screen>-<locale>-<orientation>.jpg, and the gallery
// docs/screens/README.md. Not a test (not *.test.ts, so not in `npm test`): a walker over real parts
// — a `hub serve` process on a SQLite file (starter KB, demo customers, branch name, one kiosk), the
// three device simulators on socat pty pairs (core/devices/simulated.ts, which test/e2e/devices.ts
// wraps for vitest), browser mode (core, bridge, static server) serving a renderer built into
// out/screens-renderer (an E2E run rebuilding out/renderer cannot pull files from under the walk),
// and Debian Chromium through playwright-core. A second kiosk, pointed at a dead hub, shows the
// offline banner. Each step starts from a fresh session on the home screen; a step that fails is
// reported and the others still run (exit 1 if any failed).
// `npm run screens -- orders refund` retakes only the named screens.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../core/browser-mode/build.ts';
import { startBrowserMode, type BrowserMode } from '../../core/browser-mode/run.ts';
import { DEMO_CUSTOMERS } from '../../hub/identity/demo.ts';
import { startSimulatedDevices, type SimulatedDevices } from '../../core/devices/simulated.ts';
import { runCli, startHubProcess } from '../hub/processes.ts';
import { CHROMIUM, CHROMIUM_ARGS, LANDSCAPE, PORTRAIT, ROOT, STAFF_PIN } from './util.ts';

const OUT = join(ROOT, 'docs', 'screens');
const RENDERER = join(ROOT, 'out', 'screens-renderer');
const JPEG_QUALITY = 70;
/** The branch the screenshots show (hub configuration, synced like a real branch's). */
const BRANCH = '示例银行 中关村支行';
const LOCALES = ['zh-CN', 'en'] as const;
const ORIENTATIONS = { portrait: PORTRAIT, landscape: LANDSCAPE } as const;
type Locale = (typeof LOCALES)[number];
type Orientation = keyof typeof ORIENTATIONS;

interface Ctx {
  page: Page;
  locale: Locale;
  orientation: Orientation;
  devices: SimulatedDevices;
  /** Saves the page as <screen>-<locale>-<orientation>.jpg. */
  shot(screen: string): Promise<void>;
  /** A fresh session on the home screen in this context's language. */
  home(): Promise<void>;
  key(k: string): Promise<void>;
}

interface Step {
  /** The screens this step saves, with their gallery captions (also the command-line filter). */
  screens: Record<string, string>;
  /** Only these locales (a screen that cannot be shown in the other). */
  locales?: Locale[];
  /** Runs on the kiosk whose hub cannot be reached. */
  offline?: boolean;
  /** The page gets Playwright's controllable clock (installed before the page loads). */
  clock?: boolean;
  run(c: Ctx): Promise<void>;
}

/** A demo customer's phone number (hub/identity/demo.ts: fictitious people, the simulator's cards). */
function demoPhone(profile: string): string {
  const c = DEMO_CUSTOMERS.find((x) => x.profile === profile);
  if (!c) throw new Error(`no demo customer '${profile}' in hub/identity/demo.ts`);
  return c.phone;
}

const STEPS: Step[] = [
  {
    screens: { attract: 'Attract screen: tap to start' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=finish]');
      await c.page.waitForSelector('[data-test=attract]');
      await c.shot('attract');
    },
  },
  { screens: { home: 'Home: what the kiosk offers' }, run: async (c) => (await c.home(), await c.shot('home')) },
  {
    screens: { 'home-accessible': 'Home in large text and high contrast' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=large-text]');
      await c.page.click('[data-test=high-contrast]');
      await c.shot('home-accessible');
    },
  },
  {
    screens: { 'help-tree': 'Help centre: the category tree, one level open' },
    async run(c) {
      await openHelp(c);
      await openFirstCategory(c);
      await c.shot('help-tree');
    },
  },
  {
    screens: { article: 'An article (reached through the tree)' },
    async run(c) {
      await openHelp(c);
      // Down the tree until a level lists articles.
      for (let depth = 0; depth < 4 && !(await openFirstCategory(c)); depth++);
      await c.page.locator('[data-test=category-article]').first().click();
      await c.page.waitForSelector('[data-test=article-title]');
      await c.shot('article');
    },
  },
  {
    screens: { search: 'Search: on-screen keyboard (pinyin initials mmzh / English), candidates, suggestions', 'search-results': 'Search results with highlights' },
    async run(c) {
      await openHelp(c);
      for (const k of c.locale === 'zh-CN' ? 'mmzh' : 'lost') await c.key(k);
      await c.page.waitForSelector('[data-test=suggestions] button');
      if (c.locale === 'zh-CN') await c.page.locator('[data-test=candidate]').first().waitFor();
      await c.shot('search');
      if (c.locale === 'zh-CN') await c.page.locator('[data-test=candidate]').first().click();
      await c.key('{search}');
      await c.page.waitForSelector('[data-test=results] .result');
      await c.shot('search-results');
    },
  },
  {
    screens: { assistant: 'Assistant: a quick question answered' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=tile-assistant]');
      await c.page.click('[data-test=quick-assistantQuick1]');
      await c.page.waitForSelector('[data-test=chat-article], [data-test=chat-choice]');
      await c.shot('assistant');
    },
  },
  {
    screens: { identify: 'Identify: ID card, phone + SMS code, fingerprint', 'identify-card': 'Identify: waiting for the ID card' },
    async run(c) {
      await openIdentify(c);
      await c.shot('identify');
      await c.page.click('[data-test=identify-idcard]'); // no card on the reader yet: the prompt
      await c.page.waitForSelector('[data-test=identify-card]');
      await c.shot('identify-card');
    },
  },
  {
    screens: { 'identify-sms': 'Identify: phone number on the number pad' },
    async run(c) {
      await openIdentify(c);
      await c.page.click('[data-test=identify-sms]');
      for (const d of demoPhone('ouyang')) await c.page.click(`[data-test=pad-${d}]`);
      await c.shot('identify-sms');
    },
  },
  {
    screens: { 'identify-fingerprint': 'Identify: place the finger on the sensor' },
    async run(c) {
      await openIdentify(c);
      await c.page.click('[data-test=identify-fingerprint]');
      for (const d of demoPhone('zhang')) await c.page.click(`[data-test=pad-${d}]`);
      await c.page.click('[data-test=fingerprint-start]');
      await c.page.waitForSelector('[data-test=identify-prompt]');
      await c.shot('identify-fingerprint');
    },
  },
  {
    screens: { orders: 'My orders (demo customer, ID card)', order: 'Order detail: items, delivery, progress, what can be done', refund: 'Refund form: reason, items, amount' },
    async run(c) {
      await identifyByCard(c, 'zhang');
      await c.shot('orders');
      await c.page.click('[data-test=order-DEMO-ZHANG-004]');
      await c.page.waitForSelector('[data-test=order-action-refund]');
      await c.shot('order');
      await c.page.click('[data-test=order-action-refund]');
      await c.page.click('[data-test=reason-damaged]');
      await c.shot('refund');
    },
  },
  {
    screens: { 'order-address': 'Changing the delivery address with the on-screen keyboard' },
    async run(c) {
      await identifyByCard(c, 'li');
      await c.page.click('[data-test=order-DEMO-LI-001]');
      await c.page.click('[data-test=order-action-address]');
      await c.page.waitForSelector('[data-test=order-address-edit] [data-test=keyboard] .hg-button');
      if (c.locale === 'zh-CN') await c.key('{lang}'); // letters and digits without pinyin composition
      for (const k of 'gate') await c.key(k);
      await c.key('{space}');
      await c.key('{123}');
      for (const k of '42') await c.key(k);
      await c.key('{abc}'); // back to the letters
      await c.shot('order-address');
    },
  },
  {
    screens: { 'order-delivery-time': 'Changing the delivery time: a slot of the next days', 'order-result': 'A change sent, with its reference', 'receipt-qr': 'The receipt as a QR code: the printer is out of paper' },
    async run(c) {
      await identifyByCard(c, 'li');
      await c.page.click('[data-test=order-DEMO-LI-001]');
      await c.page.click('[data-test=order-action-delivery-time]');
      await c.page.click('[data-test=slot-2]');
      await c.shot('order-delivery-time');
      await c.page.click('[data-test=slot-save]');
      await c.page.waitForSelector('[data-test=order-result]');
      await c.shot('order-result');
      c.devices.control('printer paper out');
      try {
        await c.page.click('[data-test=receipt-print]');
        await c.page.waitForSelector('[data-test=qr] path');
        await c.shot('receipt-qr');
      } finally {
        c.devices.control('printer paper in');
      }
    },
  },
  {
    screens: { queue: 'Take a number: services', 'queue-number': 'The queue number and the people ahead', 'receipt-printed': 'Its slip printed (printer simulator): take your slip' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=tile-queue]');
      await c.page.waitForSelector('[data-test=queue-general]');
      await c.shot('queue');
      await c.page.click('[data-test=queue-general]');
      await c.page.waitForSelector('[data-test=queue-number]');
      await c.shot('queue-number');
      await c.page.click('[data-test=receipt-print]');
      await c.page.waitForSelector('[data-test=receipt-printed]');
      await c.shot('receipt-printed');
    },
  },
  {
    screens: { ticket: 'Ask for a person: a note for staff' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=tile-ticket]');
      await c.page.click('[data-test=ticket-cat-other]');
      for (const k of 'atm') await c.key(k);
      await c.shot('ticket');
    },
  },
  {
    screens: { rating: 'Rate your visit' },
    async run(c) {
      await c.home();
      await c.page.click('[data-test=tile-rating]');
      await c.page.click('[data-test=rating-5]');
      await c.shot('rating');
    },
  },
  {
    screens: { 'idle-countdown': 'Idle countdown before the session ends' },
    clock: true,
    async run(c) {
      await c.home();
      // The page's clock jumps ahead until the idle timeout (whatever it is configured to) has
      // passed: the app's own timers fire, nothing waits in real time.
      const countdown = c.page.locator('[data-test=idle-countdown]');
      for (let s = 0; s < 3600 && (await countdown.count()) === 0; s += 5) await c.page.clock.fastForward(5000);
      await countdown.waitFor();
      await c.shot('idle-countdown');
      await c.page.click('[data-test=idle-countdown] button');
    },
  },
  {
    screens: { offline: 'Offline banner: the hub cannot be reached' },
    offline: true,
    async run(c) {
      await c.home();
      await c.page.waitForSelector('[data-test=offline-banner]');
      await c.shot('offline');
    },
  },
  {
    screens: { 'staff-pin': 'Staff PIN (from the attract screen, so in the default language only)' },
    locales: ['zh-CN'],
    async run(c) {
      await openStaffPin(c);
      for (const d of STAFF_PIN.slice(0, 3)) await c.page.click(`[data-test=pin-${d}]`);
      await c.shot('staff-pin');
    },
  },
  {
    screens: { 'staff-panel': 'Staff panel: devices, sync, outbox, update, enrolment, system' },
    async run(c) {
      await openStaffPin(c);
      for (const d of STAFF_PIN) await c.page.click(`[data-test=pin-${d}]`);
      await c.page.click('[data-test=pin-ok]');
      await c.page.waitForSelector('[data-test=staff-panel]');
      if (c.locale === 'en') await c.page.click('[data-test=staff-language]');
      await c.page.waitForSelector('[data-test=device-state]');
      await c.shot('staff-panel');
      await c.page.click('[data-test=staff-lock]');
    },
  },
];

async function openHelp(c: Ctx): Promise<void> {
  await c.home();
  await c.page.click('[data-test=tile-help]');
  await c.page.waitForSelector('[data-test=keyboard] .hg-button');
  await c.page.waitForSelector('[data-test=category]');
}

/** Opens the first category of the level shown; true when that category lists articles. */
async function openFirstCategory(c: Ctx): Promise<boolean> {
  const first = c.page.locator('[data-test=category]').first();
  const id = await first.getAttribute('data-category-id');
  await first.click();
  await c.page.waitForSelector(`[data-test=category-tree][data-category="${id}"]`);
  // Its sub-categories and articles arrive from the core; an empty level says so.
  const settled = c.page.locator(`[data-test=category-article], [data-test=category-empty], [data-test=category]:not([data-category-id="${id}"])`).first();
  await settled.waitFor();
  // Sub-categories show at once, the level's own articles a moment later (if it has any).
  return c.page
    .waitForSelector('[data-test=category-article]', { timeout: 2000 })
    .then(() => true)
    .catch(() => false);
}

async function openIdentify(c: Ctx): Promise<void> {
  await c.home();
  await c.page.click('[data-test=tile-orders]');
  await c.page.waitForSelector('[data-test=identify-idcard]');
}

async function identifyByCard(c: Ctx, profile: string): Promise<void> {
  c.devices.idcard.insert(profile);
  await openIdentify(c);
  await c.page.click('[data-test=identify-idcard]');
  await c.page.waitForSelector('[data-test=orders] .order-row');
}

async function openStaffPin(c: Ctx): Promise<void> {
  await c.home();
  await c.page.click('[data-test=finish]');
  await c.page.waitForSelector('[data-test=attract]');
  for (let i = 0; i < 5; i++) await c.page.click('[data-test=staff-corner]');
  await c.page.waitForSelector('[data-test=pin-ok]');
}

// ---- real parts ----------------------------------------------------------------------------------

/** `hub <args>` as its own process; its stdout, or an error with its stderr. */
async function hubCli(args: string[]): Promise<string> {
  const r = await runCli('hub', args);
  if (r.code !== 0) throw new Error(`hub ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `hub serve` on a SQLite file with the starter KB, the demo customers and one kiosk. */
async function startHub(dir: string): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'hub.db');
  await hubCli(['kb', 'import', join(ROOT, 'resources', 'kb', 'default'), '--db', db]);
  await hubCli(['demo', 'seed', '--db', db]);
  const token = (await hubCli(['kiosk', 'add', 'lobby-1', '--db', db])).trim();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ branchName: BRANCH }));
  await hubCli(['config', 'set', 'lobby-1', join(dir, 'config.json'), '--db', db]);
  const hub = await startHubProcess(['--db', db]);
  return { url: hub.url, token, stop: hub.stop };
}

async function startKiosk(data: string, env: Record<string, string>): Promise<BrowserMode> {
  return startBrowserMode({
    staticRoot: RENDERER,
    launch: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KIOSK_DATA_DIR: data, KIOSK_STAFF_PIN: STAFF_PIN, KIOSK_LOG_LEVEL: 'warn', ...env },
  });
}

/** Until the kiosk has synced once (the hub's KB and branch configuration are what it shows). */
async function waitSynced(mode: BrowserMode): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const r = await mode.core.service.dispatcher.call('sync.status', {});
    if (r.ok && (r.value as { lastSyncAt: string | null }).lastSyncAt) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the kiosk did not sync with the hub within a minute');
}

// ---- the walk ------------------------------------------------------------------------------------

interface Shot {
  screen: string;
  locale: Locale;
  orientation: Orientation;
  file: string;
}

async function walk(browser: Browser, url: string, offlineUrl: string, devices: SimulatedDevices, only: string[]): Promise<{ shots: Shot[]; failures: string[] }> {
  const shots: Shot[] = [];
  const failures: string[] = [];
  for (const [orientation, viewport] of Object.entries(ORIENTATIONS) as [Orientation, { width: number; height: number }][]) {
    for (const locale of LOCALES) {
      for (const step of STEPS) {
        if (step.locales && !step.locales.includes(locale)) continue;
        if (only.length && !Object.keys(step.screens).some((s) => only.includes(s))) continue;
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        if (step.clock) await page.clock.install();
        const ctx: Ctx = {
          page,
          locale,
          orientation,
          devices,
          async shot(screen) {
            if (only.length && !only.includes(screen)) return;
            await page.evaluate('document.fonts.ready');
            const file = `${screen}-${locale}-${orientation}.jpg`;
            await page.screenshot({ path: join(OUT, file), type: 'jpeg', quality: JPEG_QUALITY, animations: 'disabled', caret: 'hide' });
            shots.push({ screen, locale, orientation, file });
          },
          async home() {
            await page.goto(step.offline ? offlineUrl : url);
            await page.click('[data-test=attract]');
            await page.waitForSelector('[data-test=tile-help]');
            if (locale !== 'zh-CN') await page.click('[data-test=language]');
          },
          key: (k) => page.click(`[data-test=keyboard] [data-skbtn="${k}"]`),
        };
        const label = `${Object.keys(step.screens).join('+')} ${locale} ${orientation}`;
        try {
          await step.run(ctx);
          console.log(`ok    ${label}`);
        } catch (err) {
          failures.push(`${label}: ${(err as Error).message.split('\n')[0]}`);
          console.log(`FAIL  ${label}: ${(err as Error).message.split('\n')[0]}`);
        } finally {
          // End the customer's session in the core too (a card left on the reader is taken back).
          await page.click('[data-test=finish]', { timeout: 2000 }).catch(() => {});
          devices.idcard.remove();
          await context.close();
        }
      }
    }
  }
  return { shots, failures };
}

// ---- the gallery ---------------------------------------------------------------------------------

function writeGallery(): void {
  const files = new Set(readdirSync(OUT).filter((f) => f.endsWith('.jpg')));
  const lines = [
    '# Screens',
    '',
    'Every kiosk screen in Simplified Chinese and English, portrait 1080×1920 and landscape 1920×1080,',
    'taken by `npm run screens` (test/e2e/screens.ts) from the kiosk in browser mode against real parts:',
    'a `hub serve` process with the starter KB and the demo customers, the device simulators on socat pty',
    'pairs, Debian Chromium. Run it again after changing a screen; the files are JPEG, quality ' + JPEG_QUALITY + '.',
    '',
    '| screen | zh-CN portrait | en portrait | zh-CN landscape | en landscape |',
    '|---|---|---|---|---|',
  ];
  for (const step of STEPS) {
    for (const [screen, caption] of Object.entries(step.screens)) {
      const cell = (locale: Locale, o: Orientation) => {
        const f = `${screen}-${locale}-${o}.jpg`;
        return files.has(f) ? `<a href="${f}"><img src="${f}" width="${o === 'portrait' ? 135 : 240}" alt="${screen}, ${locale}, ${o}"></a>` : '—';
      };
      lines.push(`| **${screen}**<br>${caption} | ${cell('zh-CN', 'portrait')} | ${cell('en', 'portrait')} | ${cell('zh-CN', 'landscape')} | ${cell('en', 'landscape')} |`);
    }
  }
  const bytes = [...files].reduce((n, f) => n + statSync(join(OUT, f)).size, 0);
  lines.push('', `${files.size} screenshots, ${(bytes / 1024 / 1024).toFixed(1)} MB.`, '');
  writeFileSync(join(OUT, 'README.md'), lines.join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const only = argv.filter((a) => !a.startsWith('-'));
  const known = new Set(STEPS.flatMap((s) => Object.keys(s.screens)));
  const unknown = only.filter((s) => !known.has(s));
  if (unknown.length) {
    console.error(`screens: unknown screen ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    return 2;
  }
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'kiosk-screens-'));
  const stops: Array<() => Promise<unknown>> = [];
  try {
    if (await ensureRendererBuilt({ outDir: RENDERER })) console.log(`built the renderer into ${RENDERER}`);
    const hub = await startHub(join(work, 'hub'));
    stops.push(() => hub.stop());
    const devices = await startSimulatedDevices(join(work, 'devices'));
    stops.push(() => devices.stop());
    const kiosk = await startKiosk(join(work, 'kiosk'), { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: hub.token, KIOSK_DEVICES_CONFIG: devices.configPath });
    stops.push(() => kiosk.stop());
    await waitSynced(kiosk);
    // Port 9 on loopback: nothing listens, every sync attempt fails at once.
    const offline = await startKiosk(join(work, 'offline'), { KIOSK_HUB_URL: 'http://127.0.0.1:9', KIOSK_HUB_TOKEN: 'lkk_screens' });
    stops.push(() => offline.stop());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    stops.push(() => browser.close());
    if (only.length === 0) for (const f of readdirSync(OUT)) if (f.endsWith('.jpg')) rmSync(join(OUT, f));
    const { shots, failures } = await walk(browser, kiosk.url, offline.url, devices, only);
    writeGallery();
    console.log(`${shots.length} screenshots in ${OUT}${failures.length ? `; ${failures.length} step(s) failed:\n  ${failures.join('\n  ')}` : ''}`);
    return failures.length ? 1 : 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(`screens: stopping: ${String(err)}`));
    rmSync(work, { recursive: true, force: true });
  }
}

if (!existsSync(CHROMIUM)) {
  console.error(`screens: no Chromium at ${CHROMIUM} (set KIOSK_CHROMIUM)`);
  process.exitCode = 1;
} else {
  process.exitCode = await main(process.argv.slice(2));
}
