// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core.
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const PASSWORD = 'demo-sciezka-2026';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A tablet in portrait, with touch. */
export async function tablet(browser, locale = 'pl-PL') {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return { context, page };
}

/** Signs a browser context in through the API (its cookies then serve every page of
 * the context); returns the answer. */
export async function signInByApi(context, email, base = BASE) {
  return context.request.post(`${base}/api/v1/auth/login`, { data: { email, password: PASSWORD }, headers: { origin: base } });
}

/** Signs in through the form: works only once the page has hydrated. */
export async function signIn(page, email) {
  await page.goto(`${BASE}/login`);
  // Typing before the wasm has hydrated the form would post it natively instead.
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  // A consultant lands on the caseload, a coordinator on the dashboard.
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** Follows a link of the main navigation, opening the menu first where it is folded. */
export async function nav(page, href) {
  // A page that was still arriving (the one after sign-in) can replace the document
  // whose menu was opened, with its own menu folded: open it again and retry.
  for (let attempt = 1; ; attempt++) {
    // The menu button works once the page has hydrated.
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    const toggle = page.locator('#menu-toggle');
    if (await toggle.isVisible() && (await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
      await page.waitForSelector('#main-nav.open', { timeout: 5000 }).catch(() => {});
    }
    try {
      await page.click(`nav a[href="${href}"]`, { timeout: 5000 });
      return;
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
}

/** A valid fictional PESEL for a date and serial. */
export function pesel(year, month, day, serial, female = true) {
  const mm = month + (year >= 2000 ? 20 : 0);
  const sexDigit = female ? (serial % 5) * 2 : (serial % 5) * 2 + 1;
  const body = [year % 100, mm, day].map((n) => String(n).padStart(2, '0')).join('') + String(serial % 1000).padStart(3, '0') + sexDigit;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + String((10 - (sum % 10)) % 10);
}

/**
 * A server of its own, on a fresh SQLite database with the demo data, that a test can
 * stop, kill and start again on the same port and database: really offline, also for
 * the service worker (Playwright's setOffline does not cut a worker's requests).
 */
// The tests' own databases go when the test process ends, whatever happened.
const ownDirs = [];
process.once('exit', () => { for (const d of ownDirs) rmSync(d, { recursive: true, force: true }); });

/** A server of the test's own on a new SQLite database: with the demo's people and
 * clients (no case work), or with nothing at all (`{ empty: true }`), as a new
 * installation starts. */
export async function ownServer({ empty = false, env: extra = {} } = {}) {
  const { spawn, execFileSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const net = await import('node:net');
  const root = resolve(import.meta.dirname, '..', '..');
  const bin = join(root, 'target', 'debug', 'sciezka');
  const dir = mkdtempSync(join(tmpdir(), 'sciezka-own-'));
  ownDirs.push(dir);
  const port = await new Promise((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/own.db`,
    SCIEZKA_BIND: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    // Where e-mailed links lead (required with SCIEZKA_SMTP_URL).
    SCIEZKA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...extra,
  };
  // Tests on a server of their own write case documents from nothing: the demo's
  // people and clients without its three months of case work.
  if (!empty) execFileSync(bin, ['seed-demo', '--without-casework'], { env, cwd: root, stdio: 'ignore' });
  let child;
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base,
    log: '',
    dir,
    async start() {
      // Everything the server prints is kept, for tests that check what it logs.
      child = spawn(bin, ['serve'], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => { server.log += d; });
      child.stderr.on('data', (d) => { server.log += d; });
      for (let i = 0; i < 100; i++) {
        try { if ((await fetch(`${base}/login`)).ok) return; } catch { /* not yet */ }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('server did not start');
    },
    async stop(signal = 'SIGTERM') {
      if (!child) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await done;
      child = undefined;
    },
  };
  await server.start();
  return server;
}

/** Signs in at `base` (another server than BASE). */
export async function signInAt(page, base, email, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  // A consultant lands on the caseload, a coordinator on the dashboard.
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** The password step of the sign-in form, then whatever the server asks next. */
export async function passwordStep(page, base, email, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

/** Adds the authenticator app the page offers, signs in with its code, and returns
 * the recovery codes shown. */
export async function enrol(page) {
  await page.waitForSelector('#enrol-secret');
  if (await page.locator('.qr svg').count() !== 1) throw new Error('no QR code for the app');
  const secret = await page.textContent('#enrol-secret');
  await page.fill('#code', await totp(secret));
  await page.click('button[type=submit]');
  await page.waitForSelector('#recovery-codes li');
  const codes = await page.$$eval('#recovery-codes code', (l) => l.map((c) => c.textContent));
  if (codes.length !== 10) throw new Error(`${codes.length} recovery codes`);
  await page.click('#codes-continue');
  await page.waitForURL((u) => u.pathname !== '/login');
  return codes;
}

/** Signs in where the installation requires a second factor and the account has
 * none yet: the password, then the app added; returns the recovery codes. */
export async function signInEnrolling(page, base, email, password = PASSWORD) {
  await passwordStep(page, base, email, password);
  return enrol(page);
}

/** Waits until the service worker controls the page and has the app shell cached: the
 * shell goes into the cache last, after every file (and wasm chunk) of the build. */
export async function shellCached(page, timeout = 60000) {
  const until = Date.now() + timeout;
  // Polled from here: an async predicate given to waitForFunction resolves at once.
  while (!(await page.evaluate(async () => {
    if (!navigator.serviceWorker.controller) return false;
    const cache = await caches.open('sciezka-shell-v1');
    const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return keys.includes('/offline') && keys.some((k) => k.endsWith('.wasm'));
  }).catch(() => false))) {
    if (Date.now() > until) throw new Error('the service worker did not cache the app shell');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the sync indicator to reach a state (offline, waiting, syncing, saved, conflicts, locked). */
export async function syncState(page, state, timeout = 20000) {
  await page.waitForSelector(`#sync-status[data-state="${state}"]`, { timeout });
}

/** The client links of the table on the page, in the order shown. */
export async function clientLinks(page) {
  await page.waitForSelector('table.clients a[href^="/clients/"]');
  return page.$$eval('table.clients a[href^="/clients/"]', (as) => as.map((a) => a.getAttribute('href')));
}

/** A client's data as the server has it, read with the page's own session. */
export async function stored(page, href) {
  return page.evaluate(async (u) => (await (await fetch(u)).json()).data, `/api/v1${href}`);
}

/**
 * A client's data once the server has it as `wanted` says, or as it is after `timeout`.
 * Read from Node with the page's cookies, so a navigation of the page (a sign-in landing,
 * an unlock) cannot cut the wait short the way it does an in-page `waitForFunction`.
 */
export async function storedWhen(page, href, wanted, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await page.request.get(`${new URL(page.url()).origin}/api/v1${href}`);
    const data = answer.ok() ? (await answer.json()).data : undefined;
    if ((data && wanted(data)) || Date.now() > deadline) return data;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The text of a PDF made by `page.pdf()`, pages joined, whitespace collapsed. */
export async function pdfText(buffer) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, disableFontFace: true }).promise;
  const parts = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    parts.push(content.items.map((it) => it.str).join(' '));
  }
  return { pages: pdf.numPages, text: parts.join(' ').replace(/\s+/g, ' ') };
}

/** Opens the unlock form that a reload brings and types the password. */
export async function unlock(page) {
  await page.waitForSelector('#unlock-password');
  await page.fill('#unlock-password', PASSWORD);
  await page.click('.unlock button[type=submit]');
  await page.waitForSelector('#unlock-password', { state: 'detached' });
}

/** UUID v5 (RFC 9562): how a client's documents get their ids from the client's. */
export async function uuidv5(namespace, name) {
  const { createHash } = await import('node:crypto');
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name)])).digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Pushes sync mutations with the page's session, as a device would; returns the outcomes. */
export async function push(page, mutations) {
  return page.evaluate(async (mutations) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('sciezka_csrf='))?.split('=')[1];
    const r = await (await fetch('/api/v1/sync/push', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ device_id: crypto.randomUUID(), mutations }),
    })).json();
    return r.results.map((x) => x.outcome.status);
  }, mutations);
}

/** A mutation that writes a case document of a client (fields merge into an existing one). */
export async function docMutation(client, docType, data) {
  return { id: crypto.randomUUID(), written_at: Date.now(), op: 'create', doc_type: docType, doc_id: await uuidv5(client, docType), data: { ...data, client_id: client } };
}

/** A real SMTP server (aiosmtpd, `.ci/smtp-sink.py`) keeping what it takes, to read
 * the e-mail a person would get. */
export async function mailSink() {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const net = await import('node:net');
  const root = resolve(import.meta.dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'sciezka-mail-'));
  ownDirs.push(dir);
  const port = await new Promise((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
  const child = spawn(join(root, '.ci', '.venv', 'bin', 'python'), [join(root, '.ci', 'smtp-sink.py'), String(port), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    child.stdout.once('data', (d) => (String(d).includes('ready') ? ok() : fail(new Error(String(d)))));
    child.once('exit', (c) => fail(new Error(`mail sink exited ${c}`)));
  });
  process.once('exit', () => child.kill());
  const messages = () => readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** The newest message to `to`, waiting up to ten seconds for it. */
    async lastTo(to) {
      for (let i = 0; i < 100; i++) {
        const m = messages().filter((x) => x.to.includes(to)).pop();
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no e-mail to ${to}`);
    },
    stop() { child.kill(); },
  };
}

/** What an authenticator app shows for a base32 secret `steps` time steps from now
 * (RFC 6238: HMAC-SHA1, 30-second steps, six digits). */
export async function totp(secret, steps = 0) {
  const { createHmac } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + steps));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}
