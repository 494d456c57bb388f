// The server renders a page for the person who asked for it, so what the browser shows
// before the app has started is what it shows after: the header does not grow and
// push the page down when the app learns who is signed in (the layout shift Lighthouse
// measured). The page carries who it is for, never the session's secrets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signInByApi } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const headerBox = (page) => page.evaluate(() => {
  const r = document.querySelector('header.top').getBoundingClientRect();
  return { height: Math.round(r.height), mainTop: Math.round(document.querySelector('main').getBoundingClientRect().top) };
});

for (const [device, viewport] of [['phone', { width: 412, height: 823 }], ['tablet', { width: 768, height: 1024 }]]) {
  test(`on a ${device}, the signed-in header is drawn by the server and stays put after the app starts`, async () => {
    const context = await browser.newContext({ viewport, locale: 'pl-PL', serviceWorkers: 'block' });
    try {
      const r = await signInByApi(context, 'anna.nowak@mops.demo');
      assert.equal(r.status(), 200);
      const page = await context.newPage();

      // The server's page alone (no script runs).
      await page.route(/\.(js|wasm)$/, (route) => route.abort());
      await page.goto(`${BASE}/`);
      assert.equal(await page.locator('#logout').count(), 1, 'the server draws the signed-in header');
      assert.equal(await page.locator('#main-nav a[href="/clients/new"]').count(), 1);
      const me = JSON.parse(await page.getAttribute('meta[name="sciezka-signed-in"]', 'content'));
      assert.equal(me.display_name, 'Anna Nowak');
      assert.equal(me.csrf_token, '', 'no CSRF token in the page');
      assert.equal(me.device_key, '', 'no device key in the page');
      const served = await headerBox(page);

      // The same page with the app running, once the device's state is shown.
      await page.unroute(/\.(js|wasm)$/);
      await page.goto(`${BASE}/`);
      await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
      await page.waitForSelector('#sync-status:not([data-state="starting"]) a');
      await page.waitForSelector('#caseload-count');
      assert.deepEqual(await headerBox(page), served);
      assert.equal(await page.locator('#app-failed').count(), 0);
    } finally {
      await context.close();
    }
  });
}

test('the offline shell the service worker keeps names nobody', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    await signInByApi(context, 'anna.nowak@mops.demo');
    const html = await (await context.request.get(`${BASE}/offline`)).text();
    assert.ok(!html.includes('sciezka-signed-in'));
    assert.ok(!html.includes('Anna Nowak'));
  } finally {
    await context.close();
  }
});

// The caseload and a client's card arrive drawn with their data (issue 18: on a slow
// phone the list and the card came seconds after the page, once the app's code, its
// chunks and an API answer had arrived). The app then shows the same without asking the
// API again, and nothing on the page moves while it starts: Lighthouse's layout shift.
test('on a phone, the caseload and the card arrive drawn with their data and do not move when the app starts', async () => {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'pl-PL', serviceWorkers: 'block' });
  try {
    assert.equal((await signInByApi(context, 'anna.nowak@mops.demo')).status(), 200);
    const page = await context.newPage();

    // The server's pages alone.
    await page.route(/\.(js|wasm)$/, (route) => route.abort());
    await page.goto(`${BASE}/`);
    const served = await page.$$eval('table.clients a[href^="/clients/"]', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.ok(served.length > 0, 'the caseload is in the page');
    assert.match(await page.textContent('#caseload-count'), /\d+/);
    const [href, name] = served[0];
    await page.goto(`${BASE}${href}`);
    assert.equal((await page.textContent('#client-name')).trim(), name.trim(), 'the card is in the page');
    assert.match(await page.textContent('#sync-status a'), /Sprawdzanie/, 'the status line has its text from the first paint');
    await page.unroute(/\.(js|wasm)$/);

    // The same pages with the app running: no second request for what the page
    // carried, and no layout shift from the first paint until the card is complete.
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
      // The largest paints, by where they are: the header's sync status, which used to
      // appear only after the first sync, was the card's largest paint on a phone.
      window.__largest = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__largest.push(e.element?.closest('#sync-status') ? 'sync status' : 'page');
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const asked = [];
    page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/v1/clients')) asked.push(u.pathname + u.search); });
    await page.goto(`${BASE}/`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.waitForSelector('#sync-status:not([data-state="starting"]) a');
    assert.deepEqual(await page.$$eval('table.clients a[href^="/clients/"]', (as) => as.map((a) => [a.getAttribute('href'), a.textContent])), served);
    assert.ok(!asked.some((u) => u.startsWith('/api/v1/clients?')), `the caseload was not asked for again: ${asked}`);
    const caseloadShift = await page.evaluate(() => window.__shift);

    asked.length = 0;
    await page.goto(`${BASE}${href}`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    // Until it has hydrated (a sync afterwards may read the record again, when it
    // brings the server's copy to this device for the first time).
    const untilHydrated = [...asked];
    await page.waitForSelector('#sync-status:not([data-state="starting"]) a');
    await page.waitForSelector('#history-list', { state: 'attached' });
    assert.equal((await page.textContent('#client-name')).trim(), name.trim());
    assert.ok(!untilHydrated.includes(new URL(href, BASE).pathname.replace('/clients/', '/api/v1/clients/')), `the record was not asked for again: ${untilHydrated}`);
    assert.ok(asked.some((u) => u.endsWith('/notes')), 'the rest of the card is asked for');
    const cardShift = await page.evaluate(() => window.__shift);
    assert.deepEqual([...new Set(await page.evaluate(() => window.__largest))], ['page'], 'the largest paint is the page, not the status line arriving later');
    assert.ok(caseloadShift < 0.01, `the caseload does not move (layout shift ${caseloadShift})`);
    assert.ok(cardShift < 0.01, `the card does not move (layout shift ${cardShift})`);

    // A card opened from inside the app asks for its record, as before.
    await page.goto(`${BASE}/`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    asked.length = 0;
    await page.click(`table.clients a[href="${href}"]`);
    await page.waitForSelector('#client-name');
    assert.ok(asked.includes(new URL(href, BASE).pathname.replace('/clients/', '/api/v1/clients/')), `${asked}`);
    assert.equal((await page.textContent('#client-name')).trim(), name.trim());
  } finally {
    await context.close();
  }
});

test('on a phone, the sign-in page does not move when the app starts', async () => {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'pl-PL', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${BASE}/login`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    // Until the device has said nobody's drafts are here (the status line's last word).
    await page.waitForFunction(() => document.querySelector('#sync-status')?.dataset.state !== 'starting' || !document.querySelector('#sync-status'));
    await page.waitForTimeout(1000);
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift < 0.01, `the sign-in page does not move (layout shift ${shift})`);
    assert.equal(await page.locator('#sync-status a').count(), 0, 'no status link for nobody');
  } finally {
    await context.close();
  }
});

// The app (its JS, its wasm and the page's chunks) is fetched after the page has
// painted: on a slow link the HTML and the stylesheet paint first, without 600 KiB of
// app sharing the line (and Lighthouse's simulation no longer counts those downloads
// before the largest paint). The held hints are made real at once after the paint, so
// no file is fetched twice, and the page still hydrates.
test('the sign-in page, the caseload and the card paint before the app is downloaded', async () => {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'pl-PL', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const timings = () => page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      app: performance.getEntriesByType('resource')
        .filter((e) => /\/pkg\/.*\.(js|wasm)$/.test(new URL(e.name).pathname))
        .map((e) => ({ file: new URL(e.name).pathname, start: e.startTime })),
    }));
    const check = async (path) => {
      await page.goto(`${BASE}${path}`);
      await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
      const { paint, app } = await timings();
      assert.ok(paint > 0, `${path}: the page painted`);
      assert.ok(app.some((f) => f.file.endsWith('.wasm')), `${path}: the app was fetched`);
      for (const f of app) assert.ok(f.start >= paint, `${path}: ${f.file} started at ${f.start} ms, before the first paint at ${paint} ms`);
      const files = app.map((f) => f.file);
      assert.deepEqual(files, [...new Set(files)], `${path}: no file fetched twice`);
      assert.equal(await page.locator('#app-failed').count(), 0);
    };
    await check('/login');
    assert.equal((await signInByApi(context, 'anna.nowak@mops.demo')).status(), 200);
    // From here the shared files come from the browser's cache: read after the paint too.
    await check('/');
    const href = await page.getAttribute('table.clients a[href^="/clients/"]', 'href');
    await check(href);
    assert.ok(await page.locator('#client-name').count() === 1);
  } finally {
    await context.close();
  }
});
