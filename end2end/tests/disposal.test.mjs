// Retention and disposal (issue 20) as a coordinator and a consultant's tablet see
// them, on a server whose retention clock is set years ahead (SCIEZKA_TEST_TODAY, a
// test-only setting): a client whose support ended in 2025 is due; the coordinator
// approves the disposal with a justification (a missing confirmation is named) and the
// register shows it without the name; the tablet, which held the client for offline
// work and wrote a note while offline, sends it at the next sync, where it is held for
// a coordinator, and the client leaves the tablet's caseload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, syncState, push, docMutation, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a coordinator disposes of a due client; the tablet that held it lets it go at the next sync', async () => {
  const server = await ownServer({ env: { SCIEZKA_TEST_TODAY: '2040-01-02' } });
  const coordinator = await tablet(browser);
  const consultant = await tablet(browser);
  try {
    const k = consultant.page;
    const c = coordinator.page;
    await signInAt(k, server.base, 'anna.nowak@mops.demo');
    const list = await (await consultant.context.request.get(`${server.base}/api/v1/clients?mine=true&limit=3&status=active`)).json();
    const [gone, stays] = list.items;
    // The tablet takes the caseload for offline work.
    await k.goto(`${server.base}/clients/${gone.id}`);
    await k.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await k.waitForSelector('#note-text');
    await syncState(k, 'saved');

    // Her support ended in June 2025 (written from another device): the case is closed.
    const support = await docMutation(gone.id, 'support', { labour: 'unemployed', periods: [{ id: 'p1', from: '2025-01-02', to: '2025-06-30', reason: 'employment', situation: 'Pracuje' }] });
    assert.deepEqual(await push(k, [support]), ['applied']);

    // Offline, the tablet still writes a note on her card.
    await consultant.context.setOffline(true);
    const text = `Telefon od klientki ${Date.now() % 10000}`;
    await k.fill('#note-text', text);
    await k.click('#add-note');
    await k.waitForSelector(`.note[data-pending="true"] :text("${text}")`);

    // The coordinator: the rules, the list, the approval.
    await signInAt(c, server.base, 'koordynator@mops.demo');
    await nav(c, '/disposal');
    await c.waitForSelector('html[data-hydrated]', { state: 'attached' });
    const row = `#disposal-due tr[data-client="${gone.id}"]`;
    await c.waitForSelector(row);
    assert.equal(await c.locator(`#disposal-due tr[data-client="${stays.id}"]`).count(), 0, 'an open case is not due');
    assert.match(await c.textContent(row), new RegExp(gone.display_name));
    assert.match(await c.textContent(row), /30\.06\.2025/);
    assert.match(await c.textContent(row), /B10/);
    assert.match(await c.textContent('#disposal-organisations'), /BE10/);
    await c.check(`#dispose-${gone.id}`);
    await c.fill('#justification', 'Upływ okresu przechowywania wg JRWA (B10, BE10, B5) i umowy projektu');
    await c.click('#disposal-approve');
    // Disposal cannot be undone: it asks for a confirmation first, and says where.
    await c.waitForFunction(() => document.activeElement?.id === 'confirm');
    assert.match(await c.textContent('#confirm-error'), /\S/);
    await c.check('#confirm');
    await c.click('#disposal-approve');
    const entry = `#register-table tr[data-client="${gone.id}"]`;
    await c.waitForSelector(entry);
    assert.match(await c.textContent('#disposal-message'), /Zbrakowano akta: 1/);
    assert.match(await c.textContent(entry), /Upływ okresu przechowywania/);
    assert.match(await c.textContent(entry), /Barbara Wiśniewska/);
    assert.ok(!(await c.textContent('#disposal-register')).includes(gone.display_name), 'the register names nobody');
    await c.waitForSelector(row, { state: 'detached' });
    // The protocol prints: the register, with the lines to sign.
    const pdf = await c.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000);

    // Back online: the note is held for a coordinator, and she leaves the tablet.
    await consultant.context.setOffline(false);
    await nav(k, '/device');
    await k.waitForSelector('#rejected-list', { timeout: 30000 });
    await k.waitForFunction(() => /zbrakowane/.test(document.querySelector('#rejected-list')?.textContent ?? ''), null, { timeout: 30000 });
    await syncState(k, 'saved');
    // The caseload the device keeps for offline work no longer has her (the list's
    // page is loaded online first: offline, only its copy of the caseload is read).
    await nav(k, '/');
    await k.waitForSelector(`a[href="/clients/${stays.id}"]`);
    await consultant.context.setOffline(true);
    await nav(k, '/device');
    await nav(k, '/');
    await k.waitForSelector('#caseload-offline');
    await k.waitForSelector(`a[href="/clients/${stays.id}"]`);
    assert.equal(await k.locator(`a[href="/clients/${gone.id}"]`).count(), 0, 'the disposed client left the device');
    await consultant.context.setOffline(false);
    assert.equal((await consultant.context.request.get(`${server.base}/api/v1/clients/${gone.id}`)).status(), 404);
    assert.deepEqual(c.errors, []);
  } finally {
    await coordinator.context.close();
    await consultant.context.close();
    await server.stop();
  }
});
