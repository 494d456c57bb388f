// The device under stress: a server that answers 500, storage that fills up or
// refuses a write, an app upgrade while changes wait, the drafts' lock, and the
// history of versions on the card.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, tablet, signIn, syncState, clientLinks, stored, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });



test('a server answering 500 is retried with backoff and nothing is lost', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'piotr.lis@pup.demo');
  const [href] = await clientLinks(page);
  await page.goto(`${BASE}${href}/edit`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(page, 'saved');
  let failures = 0;
  await page.route('**/api/v1/sync/push', (route) => {
    if (failures < 2) {
      failures += 1;
      return route.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"type":"internal","title":"x","status":500}' });
    }
    return route.continue();
  });
  const city = `Radom ${Date.now() % 1000}`;
  await page.fill('#city', city);
  await page.waitForSelector('#sync-status:has-text("Serwer odmówił zapisu")');
  await syncState(page, 'saved', 30000);
  assert.equal(failures, 2);
  assert.equal((await stored(page, href)).city, city);
  await context.close();
});

test('a server that never answers times out and the change is retried', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'piotr.lis@pup.demo');
  const href = (await clientLinks(page))[3];
  await page.goto(`${BASE}${href}/edit`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(page, 'saved');
  let hung = 0;
  await page.route('**/api/v1/sync/push', (route) => {
    if (hung === 0) {
      hung += 1;
      return; // accepted, never answered
    }
    return route.continue();
  });
  await page.fill('#city', 'Ostrowiec');
  await page.waitForSelector('#sync-status[data-state="unreachable"]:has-text("Serwer nie odpowiada")', { timeout: 40000 });
  await syncState(page, 'saved', 40000);
  assert.equal((await stored(page, href)).city, 'Ostrowiec');
  await context.close();
});

test('storage running out is reported, and a write that fails keeps the previous version and says so', async () => {
  const { context, page } = await tablet(browser);
  await context.addInitScript(() => {
    navigator.storage.estimate = async () => ({ usage: 90 * 1024 * 1024, quota: 100 * 1024 * 1024 });
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (window.__failWrites && k.startsWith('sciezka.data.')) throw new DOMException('full', 'QuotaExceededError');
      return real.call(this, k, v);
    };
  });
  await signIn(page, 'piotr.lis@pup.demo');
  const [, href] = await clientLinks(page);
  await nav(page, '/device');
  await page.waitForSelector('#storage-usage');
  assert.match(await page.textContent('#storage-usage'), /90,0\sMB \/ 100,0\sMB \(90,0\s%\)/);
  assert.ok(await page.isVisible('text=Pamięć urządzenia jest prawie pełna'));

  await page.goto(`${BASE}${href}/edit`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(page, 'saved');
  await context.setOffline(true);
  await page.fill('#street_address', 'ul. Zapisana 1');
  await page.waitForSelector('#draft-status:has-text("Zapisano na tym urządzeniu")');
  const before = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('sciezka.data.'))[1]);
  await page.evaluate(() => { window.__failWrites = true; });
  await page.fill('#street_address', 'ul. Niezapisana 2');
  await page.waitForSelector('#draft-status:has-text("Nie udało się zapisać")');
  const after = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('sciezka.data.'))[1]);
  assert.equal(after, before, 'the previous saved version is intact');
  await page.evaluate(() => { window.__failWrites = false; });
  await page.fill('#street_address', 'ul. Zapisana 3');
  await page.waitForSelector('#draft-status:has-text("Zapisano na tym urządzeniu")');
  await context.setOffline(false);
  await syncState(page, 'saved');
  assert.equal((await stored(page, href)).street_address, 'ul. Zapisana 3');
  await context.close();
});

test('an app upgrade while changes wait loses nothing', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'piotr.lis@pup.demo');
  const [, , href] = await clientLinks(page);
  await page.goto(`${BASE}${href}/edit`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(page, 'saved');
  await context.setOffline(true);
  await page.fill('#city', 'Sandomierz');
  await page.waitForSelector('#draft-status:has-text("Zapisano na tym urządzeniu")');
  // A new version replaces the worker and every cached file of the old one.
  await page.evaluate(async () => {
    for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    for (const name of await caches.keys()) await caches.delete(name);
  });
  await context.setOffline(false);
  await page.reload();
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(page, 'saved');
  assert.equal((await stored(page, href)).city, 'Sandomierz');
  await context.close();
});

test('drafts lock on demand, refuse a wrong password and open with the right one', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'piotr.lis@pup.demo');
  await clientLinks(page);
  await nav(page, '/device');
  await page.click('text=Zablokuj teraz');
  await page.waitForSelector('#unlock-password');
  assert.equal(await page.getAttribute('#sync-status', 'data-state'), 'locked');
  await page.fill('#unlock-password', 'nie-to-haslo');
  await page.click('.unlock button[type=submit]');
  await page.waitForSelector('.unlock .form-error:has-text("Nieprawidłowe hasło")');
  await page.fill('#unlock-password', PASSWORD);
  await page.click('.unlock button[type=submit]');
  await page.waitForSelector('#unlock-password', { state: 'detached' });
  await syncState(page, 'saved');
  await context.close();
});

test('the card shows the history of versions with who changed what from which device', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'piotr.lis@pup.demo');
  const [href] = await clientLinks(page);
  await page.goto(`${BASE}${href}`);
  await page.waitForSelector('.history summary');
  await page.click('.history summary');
  const text = await page.textContent('#history-list');
  assert.match(text, /Wersja \d+/);
  assert.match(text, /Piotr Lis/);
  assert.match(text, /\/city/);
  assert.match(text, /urządzenie/);
  await context.close();
});

test('a coordinator revokes a lost tablet: its later changes are held, then applied by the coordinator', async () => {
  const consultant = await tablet(browser);
  await signIn(consultant.page, 'anna.nowak@mops.demo');
  const href = (await clientLinks(consultant.page))[6];
  await consultant.page.goto(`${BASE}${href}/edit`);
  await consultant.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await syncState(consultant.page, 'saved');
  await consultant.page.fill('#city', 'Przed blokadą');
  await syncState(consultant.page, 'saved');

  const coord = await tablet(browser);
  await signIn(coord.page, 'koordynator@mops.demo');
  await nav(coord.page, '/devices');
  await coord.page.waitForSelector('#device-table');
  const rows = await coord.page.$$('#device-table tbody tr:has(th:text("Anna Nowak")) button.revoke');
  for (const b of rows) await b.click();
  await coord.page.waitForSelector('#device-table tbody tr:has(th:text("Anna Nowak")) :text("Zablokowane")');

  await consultant.page.fill('#city', 'Po blokadzie');
  await nav(consultant.page, '/device');
  await consultant.page.waitForSelector('#rejected-list :text("Zmiana czeka na serwerze na decyzję koordynatora")');
  assert.notEqual((await stored(consultant.page, href)).city, 'Po blokadzie', 'nothing applied while held');

  await coord.page.reload();
  await coord.page.waitForSelector('#held-list li');
  assert.match(await coord.page.textContent('#held-list'), /Po blokadzie/);
  await coord.page.click('#held-list li button:text("Zastosuj")');
  await coord.page.waitForSelector('#held-list :text("Zastosowano")');
  assert.equal((await stored(coord.page, href)).city, 'Po blokadzie');
  await consultant.context.close();
  await coord.context.close();
});
