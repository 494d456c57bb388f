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
      await page.waitForSelector('#sync-status a');
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
