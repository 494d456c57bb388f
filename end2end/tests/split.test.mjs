// The app loaded by route (wasm chunks, `cargo leptos build --split`): after one online
// visit every area opens with the server gone, since the service worker keeps every
// chunk of the build; a chunk that cannot be fetched leaves a message and a reload
// button, never a page whose buttons no longer answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signIn, signInAt, ownServer, shellCached, clientLinks, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens `path` (a full load, answered by the service worker's shell) and checks the page's own heading. */
async function opensOffline(page, base, path) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.waitForSelector('main h1', { timeout: 15000 });
  assert.equal(await page.locator('#app-failed').count(), 0, `${path}: the app stopped`);
}

test('every area opens offline after a single online visit', async () => {
  const server = await ownServer();
  const consultant = await tablet(browser);
  const coordinator = await tablet(browser);
  try {
    // Online: each person signs in and opens one page; nothing else is visited.
    await signInAt(consultant.page, server.base, 'anna.nowak@mops.demo');
    const [card] = await clientLinks(consultant.page);
    await shellCached(consultant.page);
    await signInAt(coordinator.page, server.base, 'koordynator@mops.demo');
    await shellCached(coordinator.page);

    // Every chunk of the build is in the cache, not only the areas visited.
    const cached = await consultant.page.evaluate(async () => {
      const cache = await caches.open('sciezka-shell-v1');
      return (await cache.keys()).map((r) => new URL(r.url).pathname).filter((p) => /\/split_.*\.wasm$/.test(p));
    });
    assert.ok(cached.length >= 7, `only ${cached.length} area chunks cached`);

    await server.stop();
    for (const path of ['/', '/clients', '/clients/new', card, `${card}/edit`, `${card}/print/ipd`, '/device', '/account',
      '/deklaracja-dostepnosci']) {
      await opensOffline(consultant.page, server.base, path);
    }
    for (const path of ['/dashboard', '/reports', '/partnership', '/surveys', '/devices', '/people', '/audit']) {
      await opensOffline(coordinator.page, server.base, path);
    }
    assert.deepEqual(consultant.page.errors, []);
    assert.deepEqual(coordinator.page.errors, []);
  } finally {
    await consultant.context.close();
    await coordinator.context.close();
    await server.stop();
  }
});

test('a page whose chunk cannot be fetched says so and offers a reload that works', async () => {
  // No service worker: the chunk must come from the network, which refuses it.
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'pl-PL', serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    let refuse = true;
    await page.route(/\/pkg\/split_surveys\./, (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
    await signIn(page, 'koordynator@mops.demo');
    await nav(page, '/surveys');
    const notice = page.locator('#app-failed[role="alert"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Nie udało się wczytać tej części aplikacji/);
    const reload = notice.locator('a.button');
    assert.equal(new URL(await reload.getAttribute('href'), page.url()).pathname, '/surveys');
    const box = await reload.boundingBox();
    assert.ok(box.height >= 44, `the reload button is ${box.height}px high`);

    refuse = false;
    await reload.click();
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.waitForSelector('main h1');
    assert.equal(await page.locator('#app-failed').count(), 0);
    assert.equal(new URL(page.url()).pathname, '/surveys');
  } finally {
    await context.close();
  }
});
