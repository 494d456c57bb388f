// People and accounts (issue 19) as a coordinator and a new colleague use them on a
// tablet: the coordinator invites a job counsellor of the PUP, the invitee opens the
// single-use link on their own device, chooses a password and signs in with the role
// given; the link then no longer works; switching an account off ends a live session
// on another tablet at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, nav } from './helpers.mjs';

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

    // The coordinator sees the account active, then switches Piotr's account off.
    await p.reload();
    await p.waitForSelector('#people-table tr[data-email="jan.doradca@pup.demo"][data-state="active"]');
    await p.click('#people-table tr[data-email="piotr.lis@pup.demo"] button.deactivate');
    await p.waitForSelector('#people-table tr[data-email="piotr.lis@pup.demo"][data-state="inactive"]');
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
