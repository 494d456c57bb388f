// The register of personal-data breaches (issue 20, GDPR art. 33(5)) as a coordinator
// keeps it on a tablet: an incident recorded the moment it is found (a missing field
// is named, focus goes there), the hours left of the 72 to report it to UODO shown in
// the register and on the dashboard; closing it is refused until the measures and the
// report are written down, and once closed the dashboard no longer warns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A moment `minutes` ago as `<input type="datetime-local">` holds Warsaw time. */
function warsaw(minutesAgo) {
  const local = new Date(Date.now() - minutesAgo * 60000).toLocaleString('sv-SE', { timeZone: 'Europe/Warsaw' });
  return local.replace(' ', 'T').slice(0, 16);
}

test('a breach is recorded, counted down to its 72-hour deadline on the dashboard, and closed once reported', async () => {
  const server = await ownServer();
  const { context, page: p } = await tablet(browser);
  try {
    await signInAt(p, server.base, 'koordynator@mops.demo');
    await nav(p, '/breaches');
    await p.waitForSelector('#breaches-empty');

    // Found two and a half hours ago: the form refuses it without saying what happened.
    await p.fill('#found_at', warsaw(150));
    await p.fill('#data', 'Imiona, nazwiska i adresy klientów, orzeczenia o niepełnosprawności');
    await p.click('#breach-form button[type=submit]');
    await p.waitForFunction(() => document.activeElement?.id === 'what_happened');
    await p.fill('#what_happened', 'Zgubiony pendrive z listą uczestników projektu');
    await p.fill('#people', '12');
    await p.selectOption('#risk', 'risk');
    await p.click('#breach-form button[type=submit]');
    const row = p.locator('#breaches-table tr[data-number="1"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-urgent'), 'true');
    assert.match(await row.locator('.standing').textContent(), /Do zgłoszenia do UODO zostało 69 h/);

    // The dashboard warns with the hours left.
    await nav(p, '/dashboard');
    await p.waitForSelector('#breach-deadlines li[data-number="1"]');
    assert.match(await p.textContent('#breach-deadlines'), /zostało 69 h/);

    // Closing asks for the measures and the report first.
    await nav(p, '/breaches');
    await p.click('#breaches-table tr[data-number="1"] button.edit');
    await p.waitForFunction(() => document.activeElement?.id === 'found_at');
    assert.equal(await p.inputValue('#what_happened'), 'Zgubiony pendrive z listą uczestników projektu');
    await p.check('#closed');
    await p.click('#breach-form button[type=submit]');
    await p.waitForSelector('#reported_at-error:not(:empty)');
    await p.waitForFunction(() => document.activeElement?.id === 'reported_at');
    assert.match(await p.textContent('#measures-error'), /środki/);
    await p.fill('#reported_at', warsaw(10));
    await p.fill('#measures', 'Zmienione hasła do dysku, zawiadomieni uczestnicy, szkolenie zespołu');
    await p.click('#breach-form button[type=submit]');
    await p.waitForSelector('#breaches-table tr[data-number="1"][data-urgent="false"]');
    assert.match(await row.locator('.standing').textContent(), /Zamknięte/);
    await nav(p, '/dashboard');
    await p.waitForSelector('#dash-caseloads tbody tr');
    await p.waitForLoadState('networkidle');
    assert.equal(await p.locator('#breach-deadlines').count(), 0, 'nothing left to report');
    assert.deepEqual(p.errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
