// Account security (issue 19) on tablets, with a real SMTP server: the administrator
// requires two-factor sign-in; the coordinator's next sign-in adds an authenticator
// app (QR code and key), shows ten recovery codes once; the coordinator invites a job
// counsellor by e-mail; the counsellor reads the invitation, chooses a password,
// enrols their own app and signs in; on another tablet a recovery code signs them in
// once. A person who forgot their password gets the link by e-mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, nav, mailSink, passwordStep, enrol, clientLinks, syncState, storedWhen, totp, PASSWORD } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = 'hasło doradcy zawodowego 2026';

test('two-factor sign-in required by the administrator; an invitation read from the mailbox; a recovery code used once', async () => {
  const sink = await mailSink();
  const server = await ownServer({ env: { SCIEZKA_SMTP_URL: sink.url } });
  const admin = await tablet(browser);
  const coord = await tablet(browser);
  const jan = await tablet(browser);
  const spare = await tablet(browser);
  try {
    await signInAt(admin.page, server.base, 'admin@mops.demo');
    const a = admin.page;
    await a.waitForSelector('#two-factor-required');
    assert.equal(await a.isChecked('#two-factor-required'), false, 'the demo signs in with a password alone');
    await a.check('#two-factor-required');
    await a.waitForFunction(() => document.querySelector('#admin-message')?.textContent.trim().length > 0);

    // The coordinator's next sign-in adds the app before anything else.
    const p = coord.page;
    await passwordStep(p, server.base, 'koordynator@mops.demo');
    await enrol(p);
    await p.waitForURL((u) => u.pathname === '/dashboard');

    // The invitation goes by e-mail: the coordinator never sees the link.
    await nav(p, '/people');
    await p.waitForSelector('#people-table');
    await p.fill('#display_name', 'Jan Doradca');
    await p.fill('#email', 'jan.doradca@pup.demo');
    await p.selectOption('#organisation_id', { label: 'Powiatowy Urząd Pracy w Kielcach (demo)' });
    await p.selectOption('#role', 'job_counsellor');
    await p.click('#invite-form button[type=submit]');
    await p.waitForSelector('#handover');
    assert.match(await p.textContent('#handover'), /jan\.doradca@pup\.demo/);
    assert.equal(await p.locator('#handover-link').count(), 0);

    const mail = await sink.lastTo('jan.doradca@pup.demo');
    assert.match(mail.subject, /Zaproszenie/);
    const link = mail.text.match(/http:\/\/\S+\/konto\/\S+/)?.[0];
    assert.ok(link?.startsWith(server.base), mail.text);

    const q = jan.page;
    await q.goto(link);
    await q.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await q.fill('#password', NEW_PASSWORD);
    await q.fill('#repeat', NEW_PASSWORD);
    await q.click('#link-form button[type=submit]');
    await q.waitForSelector('#link-done');
    await passwordStep(q, server.base, 'jan.doradca@pup.demo', NEW_PASSWORD);
    const codes = await enrol(q);
    await q.waitForSelector('#caseload-count');

    // Without the phone: a recovery code instead of the app's code, once.
    const r = spare.page;
    await passwordStep(r, server.base, 'jan.doradca@pup.demo', NEW_PASSWORD);
    await r.waitForSelector('#code');
    await r.fill('#code', codes[0]);
    await r.click('button[type=submit]');
    await r.waitForSelector('#caseload-count');
    const again = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'pl-PL' });
    const s = await again.newPage();
    await passwordStep(s, server.base, 'jan.doradca@pup.demo', NEW_PASSWORD);
    await s.waitForSelector('#code');
    await s.fill('#code', codes[0]);
    await s.click('button[type=submit]');
    await s.waitForFunction(() => document.querySelector('.form-error')?.textContent.trim().length > 0);
    assert.match(await s.textContent('.form-error'), /nieprawidłowy|użyty/);
    await again.close();
    for (const t of [admin, coord, jan, spare]) assert.deepEqual(t.page.errors, []);
  } finally {
    for (const t of [admin, coord, jan, spare]) await t.context.close();
    await server.stop();
    sink.stop();
  }
});

test('a forgotten password: the link arrives by e-mail and the new password signs in', async () => {
  const sink = await mailSink();
  const server = await ownServer({ env: { SCIEZKA_SMTP_URL: sink.url } });
  const { context, page } = await tablet(browser);
  try {
    await page.goto(`${server.base}/login`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.click('#forgot-link');
    await page.waitForSelector('#forgot-form');
    await page.fill('#email', 'anna.nowak@mops.demo');
    await page.click('#forgot-form button[type=submit]');
    await page.waitForSelector('#forgot-answer');
    assert.match(await page.textContent('#forgot-answer'), /Jeśli ten adres ma konto/);
    const mail = await sink.lastTo('anna.nowak@mops.demo');
    const link = mail.text.match(/http:\/\/\S+\/konto\/\S+/)?.[0];
    await page.goto(link);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.fill('#password', 'nowe hasło Anny Nowak');
    await page.fill('#repeat', 'nowe hasło Anny Nowak');
    await page.click('#link-form button[type=submit]');
    await page.waitForSelector('#link-done');
    await signInAt(page, server.base, 'anna.nowak@mops.demo', 'nowe hasło Anny Nowak');
    await page.waitForSelector('#caseload-count');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await server.stop();
    sink.stop();
  }
});

test('a password reset while a change waits on the tablet loses nothing, and the drafts then unlock with the new password', async () => {
  const sink = await mailSink();
  const server = await ownServer({ env: { SCIEZKA_SMTP_URL: sink.url } });
  const { context, page } = await tablet(browser);
  const other = await browser.newContext();
  try {
    await signInAt(page, server.base, 'anna.nowak@mops.demo');
    const href = (await clientLinks(page))[2];
    await page.goto(`${server.base}${href}/edit`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.waitForSelector('#city');
    await syncState(page, 'saved');
    // In a home with no network, a change waits on the tablet...
    await context.setOffline(true);
    const street = 'ul. Po Zmianie Hasła 7';
    await page.fill('#street_address', street);
    await page.waitForSelector('#draft-status:has-text("Zapisano na tym urządzeniu")');
    // ...while, elsewhere, the password is reset by the link from the mailbox: every
    // session of the account ends.
    const asked = await other.request.post(`${server.base}/api/v1/auth/forgotten-password`, { data: { email: 'anna.nowak@mops.demo' }, headers: { origin: server.base } });
    assert.equal(asked.status(), 202);
    const mail = await sink.lastTo('anna.nowak@mops.demo');
    const token = mail.text.match(/\/konto\/(\S+)/)[1];
    const NEW = 'hasło Anny po resecie 2026';
    const chosen = await other.request.post(`${server.base}/api/v1/account-links/${token}`, { data: { password: NEW }, headers: { origin: server.base } });
    assert.equal(chosen.status(), 204);

    // Back online, the tablet's session is gone: signing in with the new password
    // opens the drafts (the server's key) and sends the waiting change.
    await context.setOffline(false);
    await page.reload();
    await page.waitForURL(`${server.base}/login`);
    await signInAt(page, server.base, 'anna.nowak@mops.demo', NEW);
    assert.equal((await storedWhen(page, href, (d) => d.street_address === street))?.street_address, street);
    // The drafts' key is now wrapped under the new password: locked, the old one is
    // refused and the new one opens them.
    await nav(page, '/device');
    await page.click('text=Zablokuj teraz');
    await page.waitForSelector('#unlock-password');
    await page.fill('#unlock-password', PASSWORD);
    await page.click('.unlock button[type=submit]');
    await page.waitForSelector('.unlock .form-error:has-text("Nieprawidłowe hasło")');
    await page.fill('#unlock-password', NEW);
    await page.click('.unlock button[type=submit]');
    await page.waitForSelector('#unlock-password', { state: 'detached' });
    await syncState(page, 'saved');
  } finally {
    await other.close();
    await context.close();
    await server.stop();
    sink.stop();
  }
});

test('a consultant adds a second factor on the account page, renews the recovery codes and switches it off', async () => {
  // The demo installation does not require a second factor: Anna adds one herself.
  const server = await ownServer();
  const { context, page } = await tablet(browser);
  const other = await tablet(browser);
  const signInWithCode = async (code) => {
    const c = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'pl-PL' });
    const p = await c.newPage();
    await passwordStep(p, server.base, 'anna.nowak@mops.demo');
    await p.waitForSelector('#code');
    await p.fill('#code', code);
    await p.click('button[type=submit]');
    await Promise.race([
      p.waitForSelector('#caseload-count'),
      p.waitForFunction(() => document.querySelector('.form-error')?.textContent.trim().length > 0),
    ]);
    const signedIn = await p.locator('#caseload-count').count() === 1;
    await c.close();
    return signedIn;
  };
  try {
    await signInAt(page, server.base, 'anna.nowak@mops.demo');
    await nav(page, '/account');
    await page.waitForSelector('#factor-state');
    assert.match(await page.textContent('#factor-state'), /samym hasłem/);
    // The key for the app only after the password.
    await page.fill('#password', 'nie moje hasło');
    await page.click('#factor-add');
    await page.waitForFunction(() => /nieprawidłowe/.test(document.querySelector('#password-error')?.textContent ?? ''));
    await page.fill('#password', PASSWORD);
    await page.click('#factor-add');
    await page.waitForSelector('#enrol-secret');
    assert.equal(await page.locator('#second-factor .qr svg').count(), 1);
    const secret = await page.textContent('#enrol-secret');
    // Three app codes are used below, each a later time step than the one before.
    await page.fill('#code', await totp(secret, -1));
    await page.click('#factor-confirm');
    await page.waitForSelector('#recovery-codes li');
    const codes = await page.$$eval('#recovery-codes code', (l) => l.map((c) => c.textContent));
    assert.equal(codes.length, 10);
    await page.click('#codes-saved');
    await page.waitForSelector('#factor-state');
    assert.match(await page.textContent('#factor-state'), /kodem z aplikacji[\s\S]*: 10\./);

    // On another tablet the password alone is not enough now; a recovery code is.
    await passwordStep(other.page, server.base, 'anna.nowak@mops.demo');
    await other.page.waitForSelector('#code');
    await other.page.fill('#code', codes[0]);
    await other.page.click('button[type=submit]');
    await other.page.waitForSelector('#caseload-count');

    // New recovery codes for a code from the app: the earlier ones stop working.
    await page.fill('#code', await totp(secret, 0));
    await page.click('#codes-renew');
    await page.waitForSelector('#recovery-codes li');
    const renewed = await page.$$eval('#recovery-codes code', (l) => l.map((c) => c.textContent));
    assert.equal(renewed.length, 10);
    assert.ok(renewed.every((c) => !codes.includes(c)));
    await page.click('#codes-saved');
    assert.equal(await signInWithCode(codes[1]), false, 'an earlier recovery code is refused');
    assert.equal(await signInWithCode(renewed[0]), true, 'a new recovery code signs in');

    // Switched off with a fresh code: the password alone signs in again.
    await page.waitForSelector('#factor-remove');
    await page.fill('#code', await totp(secret, 1));
    await page.click('#factor-remove');
    await page.waitForSelector('#factor-add');
    assert.match(await page.textContent('#factor-message'), /wyłączone/);
    const c = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'pl-PL' });
    await signInAt(await c.newPage(), server.base, 'anna.nowak@mops.demo');
    await c.close();
    for (const t of [{ page }, other]) assert.deepEqual(t.page.errors, []);
  } finally {
    await context.close();
    await other.context.close();
    await server.stop();
  }
});
