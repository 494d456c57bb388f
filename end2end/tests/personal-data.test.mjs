// A person's own data (issue 20, GDPR art. 15 and 20) as a coordinator gives it on a
// tablet: from the client's card to one page with everything held about the person
// (the record, the documents and every version, the notes, who read them), printed
// without its buttons, downloaded as JSON and read back, and as a ZIP archive locked
// with a password whose name says nothing about whose it is; every download in the
// access log. A consultant's card has no such link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, tablet, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a coordinator opens a person's data from the card, prints it, and downloads it as JSON and as a locked archive", async () => {
  const { context, page: p } = await tablet(browser);
  try {
    await signIn(p, 'koordynator@mops.demo');
    const list = await (await context.request.get(`${BASE}/api/v1/clients?limit=50&status=active`)).json();
    const client = list.items.find((c) => c.kind === 'person');
    await p.goto(`${BASE}/clients/${client.id}`);
    await p.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await p.click('#personal-data');
    await p.waitForURL(`${BASE}/clients/${client.id}/personal-data`);
    await p.waitForSelector('#personal-dane');
    const record = await p.textContent('#personal-dane-section');
    assert.ok(record.includes('Nazwisko'), record);
    assert.ok(record.includes(client.display_name.split(' ')[0]), `${client.display_name} in ${record}`);
    assert.match(await p.textContent('#personal-exported'), /Zestawienie z dnia \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}, sporządził\(a\): .+, partnerstwo: .+/);
    // Who read the data: the coordinator's own reading of this page is already there.
    await p.reload();
    await p.waitForSelector('#personal-dostep-section table');
    assert.match(await p.textContent('#personal-dostep-section'), /personal data \(GDPR art\. 15\) read/);

    // On paper: the tables without the downloads and the navigation.
    await p.emulateMedia({ media: 'print' });
    assert.equal(await p.isVisible('#personal-downloads'), false);
    assert.equal(await p.isVisible('#personal-dane'), true);
    await p.emulateMedia({ media: 'screen' });

    const [json] = await Promise.all([p.waitForEvent('download'), p.click('#personal-json')]);
    assert.match(json.suggestedFilename(), /^dane-osoby-.+-\d{4}-\d{2}-\d{2}\.json$/);
    const held = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert.equal(held.format, 'sciezka-personal-data-1');
    assert.equal(held.client.id, client.id);
    assert.ok(Array.isArray(held.versions) && Array.isArray(held.notes) && held.access.length > 0);

    // A password too short is named at its field, before anything is sent.
    await p.fill('#personal-password', 'krotkie');
    await p.click('#personal-protected-download');
    await p.waitForSelector('#personal-password-error');
    await p.fill('#personal-password', 'zielony-parasol-2026');
    const [zip] = await Promise.all([p.waitForEvent('download'), p.click('#personal-protected-download')]);
    assert.match(zip.suggestedFilename(), /^dane-osoby-\d{4}-\d{2}-\d{2}\.zip$/, 'the archive is not named after the person');
    const bytes = readFileSync(await zip.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.ok(!bytes.includes(Buffer.from(held.client.data.surname)), 'the surname is not readable in the archive');
    assert.equal(await p.inputValue('#personal-password'), '', 'the password does not stay on the screen');

    const log = await (await context.request.get(`${BASE}/api/v1/partnerships/${held.client.data.partnership_id}/audit?client=${client.id}`)).json();
    const details = log.items.map((e) => e.detail);
    for (const how of ['exported as JSON', 'exported as a ZIP archive locked with a password']) {
      assert.ok(details.includes(`personal data (GDPR art. 15) ${how}`), `${how} in ${details}`);
    }
    assert.deepEqual(p.errors, []);
  } finally {
    await context.close();
  }
});

test("a consultant's card has no link to the person's data, and the page refuses them", async () => {
  const { context, page: p } = await tablet(browser);
  try {
    await signIn(p, 'anna.nowak@mops.demo');
    const list = await (await context.request.get(`${BASE}/api/v1/clients?mine=true&limit=1&status=active`)).json();
    const id = list.items[0].id;
    await p.goto(`${BASE}/clients/${id}`);
    await p.waitForSelector('#client-name');
    assert.equal(await p.locator('#personal-data').count(), 0);
    await p.goto(`${BASE}/clients/${id}/personal-data`);
    await p.waitForSelector('#main h1, main h1');
    await p.waitForSelector('.error[role="alert"]');
    assert.equal(await p.locator('#personal-dane').count(), 0);
  } finally {
    await context.close();
  }
});
