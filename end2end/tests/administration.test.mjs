// Setting up an installation without a shell (issue 19), as the person who installs
// Ścieżka at an OPS does it on a new, empty database: the sign-in page points to the
// first run, which answers only by the link (with its secret) the server printed at
// start; the first-run page (on the server's own machine) registers the OPS and
// makes the administrator, refusing a wrong NIP at its field; the administrator lands
// on the administration page, registers the PUP and an NGO, creates the local
// partnership and hands its first coordinator a single-use link; the coordinator,
// switching her tablet to English, chooses her own password on it and lands on her
// dashboard, where she finds herself among the partnership's people, adds a foundation
// the administrator registered to her partnership and invites one of its staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, ownServer, signInEnrolling } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ADMIN_PASSWORD = 'hasło administratora 2026';
const COORDINATOR_PASSWORD = 'hasło koordynatorki 2026';

async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 30000 });
}

test('a new installation is set up on screen: first administrator, organisations, a partnership and its coordinator', { timeout: 180000 }, async () => {
  const server = await ownServer({ empty: true });
  const admin = await tablet(browser);
  // The administrator works in Polish, the coordinator in English.
  const coordinator = await tablet(browser);
  try {
    const p = admin.page;
    await p.goto(`${server.base}/login`);
    await hydrated(p);
    await p.waitForSelector('#first-run-notice');
    await p.click('#first-run-notice a[href="/setup"]');
    await p.waitForURL(/\/setup$/);
    // Without the secret of the link the server printed, the page only says how.
    await p.waitForSelector('#setup-elsewhere');
    const printed = server.log.match(/First run: on this machine open (http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/);
    assert.ok(printed, `the server prints the first-run link:\n${server.log}`);
    await p.goto(printed[1]);
    await hydrated(p);
    await p.waitForSelector('#setup-form');

    await p.fill('#organisation_name', 'Miejski Ośrodek Pomocy Społecznej w Radomiu');
    await p.selectOption('#organisation_org_type', 'ops');
    await p.fill('#organisation_seat', 'Radom');
    await p.fill('#organisation_regon', '123456785');
    await p.fill('#organisation_nip', '526-000-12-45');
    await p.fill('#display_name', 'Adam Informatyk');
    await p.fill('#email', 'it@mops-radom.example');
    await p.fill('#password', ADMIN_PASSWORD);
    await p.fill('#repeat', ADMIN_PASSWORD);
    await p.click('#setup-form button[type=submit]');
    // A NIP whose check digit is wrong is refused at its field, and focus goes there.
    await p.waitForSelector('#organisation_nip-error:not(:empty)');
    await p.waitForFunction(() => document.activeElement?.id === 'organisation_nip');
    await p.fill('#organisation_nip', '526-000-12-46');
    await p.click('#setup-form button[type=submit]');
    await p.waitForSelector('#setup-done');

    // The administrator signs in and lands on the administration page; no client in
    // sight. A new installation requires two-factor sign-in: the app is added first.
    await signInEnrolling(p, server.base, 'it@mops-radom.example', ADMIN_PASSWORD);
    await p.waitForSelector('#two-factor-required:checked');
    await p.waitForURL(/\/admin$/);
    await p.waitForSelector('#organisations-table tr[data-name="Miejski Ośrodek Pomocy Społecznej w Radomiu"]');
    assert.equal(await p.locator('#main-nav a[href="/clients"]').count(), 0, 'an administrator has no client list');
    assert.match(await p.textContent('#organisations-table'), /NIP 5260001246/);

    // Two more organisations of the partnership.
    for (const [name, type, regon] of [['Powiatowy Urząd Pracy w Radomiu', 'pup', '123456785'], ['Stowarzyszenie „Krok Dalej”', 'ngo', ''], ['Fundacja „Pomocna Dłoń”', 'ngo', '']]) {
      await p.fill('#organisation_name', name);
      await p.selectOption('#organisation_org_type', type);
      await p.fill('#organisation_seat', 'Radom');
      await p.fill('#organisation_regon', regon);
      await p.click('#organisation-form button[type=submit]');
      await p.waitForSelector(`#organisations-table tr[data-name="${name}"]`);
    }

    // The partnership: the three organisations, its coordinator a new person of the PUP.
    const form = p.locator('#partnership-form');
    await p.fill('#partnership_name', 'Partnerstwo Lokalne Radom');
    await p.selectOption('#partnership_kind', 'local');
    for (const name of ['Miejski Ośrodek Pomocy Społecznej w Radomiu', 'Powiatowy Urząd Pracy w Radomiu', 'Stowarzyszenie „Krok Dalej”']) {
      await form.locator(`input[type=checkbox][data-name="${name}"]`).check();
    }
    await p.fill('#coordinator_display_name', 'Joanna Koordynatorka');
    await p.fill('#coordinator_email', 'joanna@pup-radom.example');
    await p.selectOption('#coordinator_organisation_id', { label: 'Powiatowy Urząd Pracy w Radomiu' });
    await form.locator('button[type=submit]').click();
    await p.waitForSelector('#handover-link');
    const link = await p.inputValue('#handover-link');
    assert.match(link, /\/konto\/[A-Za-z0-9_-]{20,}$/);
    const row = p.locator('#partnerships-table tr[data-name="Partnerstwo Lokalne Radom"]');
    await row.waitFor();
    assert.match(await row.textContent(), /Joanna Koordynatorka/);

    // Details corrected later, in place: the association's full name. A member's kind
    // stays what the partnership was checked with.
    await p.click('#organisations-table tr[data-name="Stowarzyszenie „Krok Dalej”"] button.edit');
    await p.waitForFunction(() => document.activeElement?.id === 'organisation_name');
    assert.equal(await p.inputValue('#organisation_name'), 'Stowarzyszenie „Krok Dalej”');
    await p.fill('#organisation_name', 'Stowarzyszenie „Krok Dalej” w Radomiu');
    await p.selectOption('#organisation_org_type', 'pup');
    await p.click('#organisation-form button[type=submit]');
    await p.waitForSelector('#organisation_org_type-error:not(:empty)');
    await p.selectOption('#organisation_org_type', 'ngo');
    await p.click('#organisation-form button[type=submit]');
    await p.waitForSelector('#organisations-table tr[data-name="Stowarzyszenie „Krok Dalej” w Radomiu"]');
    assert.equal(await p.locator('#organisations-table tr[data-name="Stowarzyszenie „Krok Dalej”"]').count(), 0);
    await p.waitForFunction(() => document.querySelector('#partnerships-table')?.textContent.includes('Krok Dalej” w Radomiu'));
    assert.equal(await p.inputValue('#organisation_name'), '', 'the form registers again');
    // The partnership renamed for its extended project.
    await p.click('#partnerships-table tr[data-name="Partnerstwo Lokalne Radom"] button.rename');
    await p.waitForFunction(() => document.activeElement?.id === 'partnership_new_name');
    await p.fill('#partnership_new_name', 'Partnerstwo Lokalne Radom 2027');
    await p.click('#rename-form button[type=submit]');
    await p.waitForSelector('#partnerships-table tr[data-name="Partnerstwo Lokalne Radom 2027"]');
    await p.waitForSelector('#rename-form', { state: 'detached' });

    // The coordinator, on her own tablet: her own password, then her dashboard.
    const q = coordinator.page;
    await q.goto(link);
    await hydrated(q);
    await q.waitForSelector('#link-form');
    await q.click('#lang-toggle');
    await q.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await q.textContent('main h1'), /Choose your account's password/);
    await q.fill('#password', COORDINATOR_PASSWORD);
    await q.fill('#repeat', COORDINATOR_PASSWORD);
    await q.click('#link-form button[type=submit]');
    await q.waitForSelector('#link-done');
    await signInEnrolling(q, server.base, 'joanna@pup-radom.example', COORDINATOR_PASSWORD);
    await q.waitForURL(/\/dashboard$/);
    await q.goto(`${server.base}/people`);
    await hydrated(q);
    await q.waitForSelector('#people-table tr[data-email="joanna@pup-radom.example"][data-state="active"]');
    assert.match(await q.textContent('main'), /People in the partnership/);
    // She adds the foundation, registered by the administrator, to her partnership and
    // invites one of its people at once.
    await q.waitForSelector('#member_organisation_id option:text("Fundacja „Pomocna Dłoń”")', { state: 'attached' });
    await q.selectOption('#member_organisation_id', { label: 'Fundacja „Pomocna Dłoń”' });
    await q.click('#members-form button[type=submit]');
    await q.waitForFunction(() => document.querySelector('#members-list')?.textContent.includes('Pomocna Dłoń'));
    await q.fill('#display_name', 'Marta Asystentka');
    await q.fill('#email', 'marta@pomocna.example');
    await q.selectOption('#organisation_id', { label: 'Fundacja „Pomocna Dłoń”' });
    await q.selectOption('#role', 'key_consultant');
    await q.click('#invite-form button[type=submit]');
    await q.waitForSelector('#people-table tr[data-email="marta@pomocna.example"][data-state="invited"]');

    // The first run is over: the page says so, and the sign-in page no longer points there.
    const fresh = await tablet(browser);
    await fresh.page.goto(`${server.base}/setup`);
    await hydrated(fresh.page);
    await fresh.page.waitForSelector('#setup-not-needed');
    await fresh.page.goto(`${server.base}/login`);
    await hydrated(fresh.page);
    await fresh.page.waitForTimeout(500);
    assert.equal(await fresh.page.locator('#first-run-notice').count(), 0);
    await fresh.context.close();
  } finally {
    await admin.context.close();
    await coordinator.context.close();
    await server.stop();
  }
});
