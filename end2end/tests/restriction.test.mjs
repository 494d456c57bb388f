// Restriction of processing (issue 20, GDPR art. 18) as a coordinator and a consultant
// see it: the coordinator restricts a client's processing from the card, saying why
// (a missing reason is named, focus goes there); the consultant's card then says so,
// offers no edit and takes no note; once the coordinator lifts it, both work again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a coordinator restricts a client from the card; the consultant sees it read-only until it is lifted', async () => {
  const server = await ownServer();
  const coordinator = await tablet(browser);
  const consultant = await tablet(browser);
  try {
    const c = coordinator.page;
    const k = consultant.page;
    await signInAt(k, server.base, 'anna.nowak@mops.demo');
    const list = await (await consultant.context.request.get(`${server.base}/api/v1/clients?mine=true&limit=1&status=active`)).json();
    const id = list.items[0].id;
    await signInAt(c, server.base, 'koordynator@mops.demo');
    await c.goto(`${server.base}/clients/${id}`);
    await c.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await c.click('#restriction-toggle');
    await c.click('#restriction-submit');
    await c.waitForFunction(() => document.activeElement?.id === 'restriction-reason');
    assert.match(await c.textContent('#restriction-reason-error'), /\S/);
    await c.fill('#restriction-reason', 'Osoba kwestionuje prawidłowość danych (wniosek z 30.11.2026)');
    await c.click('#restriction-submit');
    await c.waitForSelector('#restricted-banner');
    assert.match(await c.textContent('#restricted-banner'), /ograniczone \(art\. 18 RODO\).*Osoba kwestionuje prawidłowość danych/);
    assert.equal(await c.locator(`a[href="/clients/${id}/edit"]`).count(), 0, 'no edit while restricted');

    // The consultant's card: the banner, no edit, no note.
    await k.goto(`${server.base}/clients/${id}`);
    await k.waitForSelector('#restricted-banner');
    assert.equal(await k.locator(`a[href="/clients/${id}/edit"]`).count(), 0);
    assert.equal(await k.isDisabled('#note-text'), true);
    assert.equal(await k.isDisabled('#add-note'), true);
    // Its documents say why they are read-only.
    await k.click('nav.doc-tabs a[data-tab="ipd"]');
    await k.waitForSelector('#doc-status[data-state="restricted"]');
    assert.match(await k.textContent('#doc-status'), /art\. 18 RODO/);
    assert.equal(await k.$eval('fieldset.doc-form', (f) => f.disabled), true);
    await k.goto(`${server.base}/clients/${id}`);

    // Lifted: the banner goes, the edit and the notes come back.
    await c.click('#restriction-toggle');
    await c.fill('#restriction-reason', 'Dane sprostowano; osobę poinformowano');
    await c.click('#restriction-submit');
    await c.waitForSelector('#restricted-banner', { state: 'detached' });
    await c.waitForSelector(`a[href="/clients/${id}/edit"]`);
    // The tablet's copy still says restricted until the card's record arrives: once the
    // page has hydrated, the banner goes and the notes open.
    await k.reload();
    await k.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await k.waitForSelector('#restricted-banner', { state: 'detached' });
    await k.waitForSelector('#note-text');
    await k.waitForFunction(() => !document.querySelector('#note-text').closest('fieldset').disabled);
    assert.deepEqual(c.errors, []);
    assert.deepEqual(k.errors, []);
  } finally {
    await coordinator.context.close();
    await consultant.context.close();
    await server.stop();
  }
});
