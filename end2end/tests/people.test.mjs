// People and accounts (issue 19) as a coordinator and a new colleague use them on a
// tablet: the coordinator invites a job counsellor of the PUP, the invitee opens the
// single-use link on their own device, chooses a password and signs in with the role
// given; the link then no longer works; switching an account off ends a live session
// on another tablet at once; an authorisation to process personal data recorded with
// a past end blocks sign-in with a message saying so, and prints as the document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, nav, pdfText, clientLinks, push } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = 'moje własne hasło 2026';

test('a coordinator invites a job counsellor, who chooses their own password by the link and signs in; switching an account off ends its session', async () => {
  const server = await ownServer();
  const coord = await tablet(browser);
  const invitee = await tablet(browser);
  const piotr = await tablet(browser);
  try {
    // Piotr works on his tablet meanwhile.
    await signInAt(piotr.page, server.base, 'piotr.lis@pup.demo');
    // His tablet has synced once, so the server knows it.
    assert.deepEqual(await push(piotr.page, []), []);

    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    await nav(coord.page, '/people');
    const p = coord.page;
    await p.waitForSelector('#people-table tr[data-email="piotr.lis@pup.demo"]');
    // A refused invitation says why, next to the field, and focus goes there.
    await p.fill('#display_name', 'Jan Doradca');
    await p.fill('#email', 'jan.doradca');
    await p.click('#invite-form button[type=submit]');
    await p.waitForSelector('#email-error:not(:empty)');
    await p.waitForFunction(() => document.activeElement?.id === 'email' || document.activeElement?.getAttribute('aria-invalid') === 'true');
    await p.fill('#email', 'Jan.Doradca@pup.demo');
    await p.selectOption('#organisation_id', { label: 'Powiatowy Urząd Pracy w Kielcach (demo)' });
    await p.selectOption('#role', 'job_counsellor');
    await p.click('#invite-form button[type=submit]');
    await p.waitForSelector('#handover-link');
    const link = await p.inputValue('#handover-link');
    assert.match(link, /\/konto\/[A-Za-z0-9_-]{20,}$/);
    await p.waitForSelector('#people-table tr[data-email="jan.doradca@pup.demo"][data-state="invited"]');

    // The invitee, on their own device, not signed in: the link's page.
    const q = invitee.page;
    await q.goto(link);
    await q.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await q.waitForSelector('#link-email');
    assert.equal(await q.textContent('#link-email'), 'jan.doradca@pup.demo');
    assert.equal(await q.locator('#main-nav').count(), 0, 'nothing of the app before an account exists');
    await q.fill('#password', NEW_PASSWORD);
    await q.fill('#repeat', 'inne hasło niż pierwsze');
    await q.click('#link-form button[type=submit]');
    await q.waitForSelector('#repeat-error:not(:empty)');
    await q.fill('#repeat', NEW_PASSWORD);
    await q.click('#link-form button[type=submit]');
    await q.waitForSelector('#link-done');
    await signInAt(q, server.base, 'jan.doradca@pup.demo', NEW_PASSWORD);
    await q.waitForSelector('#caseload-count');
    // Used once: the link no longer opens anything.
    await q.goto(link);
    await q.waitForSelector('#link-gone');

    // Ewa's authorisation ended yesterday: recorded by the coordinator, it blocks her
    // sign-in with a message that says so; printed, it is the document she signed.
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    const ewa = await p.$eval('#people-table tr[data-email="ewa.zajac@razem.demo"]', (tr) => tr.querySelector('select').id.replace('role-', ''));
    await p.selectOption('#person', ewa);
    await p.fill('#number', '14/2026');
    await p.fill('#issued', '2026-01-02');
    await p.fill('#expires', yesterday);
    await p.click('#authorisation-form button[type=submit]');
    await p.waitForSelector('#people-table tr[data-email="ewa.zajac@razem.demo"] .auth-number');
    await p.click('#people-table tr[data-email="ewa.zajac@razem.demo"] a.print-authorisation');
    await p.waitForSelector('article.print-doc[data-doc="authorisation"] #auth-number');
    await p.emulateMedia({ media: 'print' });
    const { text: printed } = await pdfText(await p.pdf({ format: "A4", printBackground: true }));
    await p.emulateMedia({ media: 'screen' });
    assert.match(printed, /UPOWAŻNIENIE nr 14\/2026/);
    assert.match(printed, /Ewa Zając/);
    assert.match(printed, /art\. 9 RODO/);
    const blocked = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'pl-PL' });
    const b = await blocked.newPage();
    await b.goto(`${server.base}/login`);
    await b.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await b.fill('#email', 'ewa.zajac@razem.demo');
    await b.fill('#password', 'demo-sciezka-2026');
    await b.click('button[type=submit]');
    await b.waitForFunction(() => /upoważnienie do przetwarzania danych osobowych obowiązywało do/.test(document.querySelector('.form-error')?.textContent ?? ''));
    assert.equal(new URL(b.url()).pathname, '/login');
    await blocked.close();

    // The coordinator sees the account active, then switches Piotr's account off.
    await p.goto(`${server.base}/people`);
    await p.waitForSelector('#people-table tr[data-email="jan.doradca@pup.demo"][data-state="active"]');
    await p.click('#people-table tr[data-email="piotr.lis@pup.demo"] button.deactivate');
    await p.waitForSelector('#people-table tr[data-email="piotr.lis@pup.demo"][data-state="inactive"]');
    // His tablet, revoked with the account, stays listed with when it last synced: what
    // it may still send waits for a coordinator.
    const row = p.locator('#people-table tr[data-email="piotr.lis@pup.demo"]');
    assert.match(await row.locator('.devices').textContent(), /Urządzenia \(ostatnia synchronizacja\): \d{2}\.\d{2}\.\d{4}/);
    assert.equal(await row.locator('.unsent a[href="/devices"]').count(), 1);
    // Piotr's next step on his tablet finds him signed out.
    await piotr.page.goto(`${server.base}/clients`);
    await piotr.page.waitForURL(`${server.base}/login`, { timeout: 15000 });
    assert.deepEqual(coord.page.errors, []);
    assert.deepEqual(q.errors, []);
  } finally {
    await coord.context.close();
    await invitee.context.close();
    await piotr.context.close();
    await server.stop();
  }
});

test('who saw a client\'s data: from the card to the access log filtered to that client, paged and exported', async () => {
  const server = await ownServer();
  const anna = await tablet(browser);
  const coord = await tablet(browser);
  try {
    // A social worker opens her client's card: the opening is in the log.
    await signInAt(anna.page, server.base, 'anna.nowak@mops.demo');
    const [href] = await clientLinks(anna.page);
    await anna.page.goto(`${server.base}${href}`);
    await anna.page.waitForSelector('#client-name');
    const name = (await anna.page.textContent('#client-name')).trim();
    // She does not steer the partnership: no "who saw" for her.
    assert.equal(await anna.page.locator('#who-saw').count(), 0);

    const p = coord.page;
    await signInAt(p, server.base, 'koordynator@mops.demo');
    await p.goto(`${server.base}${href}`);
    await p.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await p.click('#who-saw');
    await p.waitForSelector('#audit-table tbody tr');
    await p.waitForFunction((n) => document.querySelector('h1')?.textContent.includes(n), name);
    const clients = await p.$$eval('#audit-table tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent.trim()));
    assert.ok(clients.length >= 2 && clients.every((c) => c === name), clients.join(' | '));
    const who = await p.$$eval('#audit-table tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent.trim()));
    assert.ok(who.includes('Anna Nowak') && who.includes('Barbara Wiśniewska'), who.join(' | '));

    // Only Anna's reads of this client.
    await p.selectOption('#audit-person', { label: 'Anna Nowak' });
    await p.selectOption('#audit-action', 'read');
    await p.click('#audit-apply');
    await p.waitForFunction(() => [...document.querySelectorAll('#audit-table tbody tr td:nth-child(2)')].every((c) => c.textContent.trim() === 'Anna Nowak'));
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('#audit-csv')]);
    assert.match(download.suggestedFilename(), /^rejestr-dostepu-.+\.csv$/);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(csv[0], 'Kiedy,Kto,Czynność,Klient,Szczegóły');
    assert.ok(csv.length >= 2 && csv.slice(1).every((l) => l.includes('Anna Nowak') && l.includes(name) && l.includes('odczyt')), csv.join('\n'));
    // The same, locked with a password: a ZIP whose name and bytes do not show the client.
    await p.fill('#audit-password', 'zielony-parasol-2026');
    const [locked] = await Promise.all([p.waitForEvent('download'), p.click('#audit-protected-download')]);
    assert.match(locked.suggestedFilename(), /^rejestr-dostepu-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = readFileSync(await locked.path());
    assert.equal(zip.subarray(0, 2).toString(), 'PK');
    assert.ok(!zip.includes(Buffer.from(name)), 'the client is not readable in the archive');

    // Back to everyone and every client of the partnership: more than this one person.
    await p.selectOption('#audit-person', '');
    await p.selectOption('#audit-action', '');
    await p.click('#audit-all-clients');
    await p.waitForFunction((n) => [...document.querySelectorAll('#audit-table tbody tr td:nth-child(4)')].some((c) => c.textContent.trim() !== n), name);
    assert.deepEqual(p.errors, []);
  } finally {
    await anna.context.close();
    await coord.context.close();
    await server.stop();
  }
});
