// The monthly monitoring report in Chromium: sections IX–XI generated from what a
// consultant's device synced (a service on the month's last day counts, one on the
// next day does not; an ending with its reason), the narrative written offline and
// surviving a reload with the server gone, marked final and frozen with "changed
// since", printed to PDF, the XLSX downloaded and read back, the yearly indicators.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { launch, tablet, signInAt, ownServer, shellCached, unlock, pdfText, push, docMutation, clientLinks, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;
const iso = (d) => d.toISOString().slice(0, 10);
const now = new Date();
const [y, m] = [now.getUTCFullYear(), now.getUTCMonth()];
const prevFirst = new Date(Date.UTC(y, m - 1, 1));
const prevLast = new Date(Date.UTC(y, m, 0));
const curFirst = new Date(Date.UTC(y, m, 1));
const days = (d, n) => new Date(d.getTime() + n * 86400000);
const MONTH = iso(prevFirst).slice(0, 7);

async function readSheet(path, name) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await readFile(path));
  const rows = [];
  book.getWorksheet(name).eachRow((row) => rows.push(row.values.slice(1).map((v) => String(v ?? ''))));
  return rows;
}

test('a coordinator generates the monthly report, writes it offline, marks it final, prints it and reads the XLSX back', async () => {
  const server = await ownServer();
  const consultant = await tablet(browser);
  const coord = await tablet(browser);
  try {
    await signInAt(consultant.page, server.base, 'anna.nowak@mops.demo');
    const [a, b] = await consultant.page.evaluate(async () => (await (await fetch('/api/v1/sync/caseload')).json()).clients.slice(0, 2).map((c) => c.id));
    const outcomes = await push(consultant.page, [
      await docMutation(a, 'support', { labour: 'long_term_unemployed', features: ['single_parent'], periods: [{ id: 'p1', from: iso(days(prevFirst, -30)) }] }),
      await docMutation(a, 'services', { rows: [
        { id: 's1', date: iso(prevLast), service: 'job_club', scope: `Warsztaty CV ${stamp}`, finished: true },
        { id: 's2', date: iso(curFirst), service: 'internship', scope: `Staż ${stamp}` },
      ] }),
      await docMutation(b, 'support', { labour: 'unemployed', periods: [
        { id: 'p1', from: iso(days(prevFirst, -60)), to: iso(days(prevFirst, 9)), reason: 'employment', situation: `Pracuje jako magazynier ${stamp}` },
      ] }),
    ]);
    assert.deepEqual(outcomes, ['applied', 'applied', 'applied']);

    const page = coord.page;
    await signInAt(page, server.base, 'koordynator@mops.demo');
    await nav(page, '/reports');
    assert.equal(await page.inputValue('#report-month'), MONTH);
    await page.waitForSelector('#report-ix tbody tr');
    assert.equal(await page.locator('#report-ix tbody tr').count(), 2);
    assert.match(await page.textContent('#report-ix'), /Długotrwale bezrobotny\/a/);
    const x = await page.textContent('#report-x');
    assert.ok(x.includes(`Warsztaty CV ${stamp}`), x);
    assert.ok(!x.includes(`Staż ${stamp}`), 'a service of the next month is not in this one');
    assert.match(await page.textContent('#report-xi'), new RegExp(`Podjęcie zatrudnienia.*Pracuje jako magazynier ${stamp}`));

    // The narrative: typed, kept on the device, sent by itself.
    await page.fill('#rn-author', 'Ewa Koordynator, tel. 600 100 200');
    await page.fill('#rn-realised', `Spotkanie partnerów ${stamp}`);
    await page.waitForSelector('#report-status[data-state="saved"]', { timeout: 20000 });

    // The server goes away: the text waits on the device, survives a reload, and is
    // sent when the server is back.
    await shellCached(page);
    await server.stop();
    await page.fill('#rn-next_month', `Plan na kolejny miesiąc ${stamp}`);
    await page.waitForSelector('#report-status[data-state="waiting"]');
    await page.waitForTimeout(800);
    await page.reload();
    await unlock(page);
    await page.waitForSelector('#rn-next_month');
    await page.waitForFunction((t) => document.querySelector('#rn-next_month')?.value === t, `Plan na kolejny miesiąc ${stamp}`);
    assert.match(await page.textContent('#report-ix'), /Klient 1/, 'the tables open offline from the device');
    await server.start();
    await page.waitForSelector('#report-status[data-state="saved"]', { timeout: 40000 });
    const stored = await page.evaluate(async (u) => (await (await fetch(u)).json()).narrative, `/api/v1/partnerships/${await partnershipOf(page)}/reports/${MONTH}`);
    assert.equal(stored.next_month, `Plan na kolejny miesiąc ${stamp}`);
    assert.equal(stored.realised, `Spotkanie partnerów ${stamp}`);

    // Final: the tables freeze; a service recorded later is listed as changed since.
    page.once('dialog', (d) => d.accept());
    await page.click('#report-finalise');
    await page.waitForSelector('#report-status[data-status="final"]', { timeout: 20000 });
    assert.equal(await page.isDisabled('#rn-realised'), true);
    assert.deepEqual(await push(consultant.page, [await docMutation(b, 'services', { rows: [{ id: 'late', date: iso(days(prevFirst, 3)), service: 'job_placement' }] })]), ['applied']);
    await page.reload();
    await page.waitForSelector('#report-changed');
    assert.match(await page.textContent('#report-changed'), /X — Klient \d+: doszedł/);
    assert.ok(!(await page.textContent('#report-x')).includes('Pośrednictwo pracy'), 'the frozen report keeps its tables');

    // Print: A4, the official sections, no navigation.
    await page.emulateMedia({ media: 'print' });
    const pdf = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
    await page.emulateMedia({ media: 'screen' });
    for (const want of ['Raport z monitoringu działań Partnerstwa', 'IX. Podstawowa charakterystyka klientów Partnerstwa', 'Klient 1', `Warsztaty CV ${stamp}`,
      `Pracuje jako magazynier ${stamp}`, `Plan na kolejny miesiąc ${stamp}`, 'XIII. Inne uwagi']) {
      assert.ok(pdf.text.includes(want), `the PDF lacks ${want}`);
    }
    assert.ok(!pdf.text.includes('Wyloguj'), 'no navigation in print');

    // XLSX: named after the partnership and month, read back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-xlsx')]);
    assert.match(download.suggestedFilename(), new RegExp(`^raport-monitoringu-.+-${MONTH}\\.xlsx$`));
    const file = await download.path();
    const ix = await readSheet(file, 'IX');
    assert.deepEqual(ix[0].slice(0, 3), ['Klient', 'Płeć', 'Wiek']);
    assert.equal(ix.length, 3);
    assert.ok(ix.some((r) => r.includes('Długotrwale bezrobotny/a') && r.includes('tak')), JSON.stringify(ix));
    const xi = await readSheet(file, 'XI');
    assert.ok(xi[1].includes('Podjęcie zatrudnienia') && xi[1].includes(`Pracuje jako magazynier ${stamp}`), JSON.stringify(xi));

    // The yearly indicators for ROPS.
    await page.waitForSelector('#rops-table tbody tr');
    assert.equal(await page.locator('#rops-table tbody tr').count(), 10);
    const [rops] = await Promise.all([page.waitForEvent('download'), page.click('#rops-xlsx')]);
    assert.match(rops.suggestedFilename(), /^wskazniki-rops-.+-\d{4}\.xlsx$/);
    assert.deepEqual(page.errors, []);
  } finally {
    await consultant.context.close();
    await coord.context.close();
    await server.stop();
  }
});

async function partnershipOf(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).memberships.find((m) => ['coordinator', 'administrator'].includes(m.role)).partnership_id);
}

test('a consultant ends a client\'s support on the tablet and starts it again: the client is closed, then active', async () => {
  const server = await ownServer();
  const { context, page } = await tablet(browser);
  try {
    await signInAt(page, server.base, 'anna.nowak@mops.demo');
    const [href] = await clientLinks(page);
    const status = () => page.evaluate(async (u) => (await (await fetch(u)).json()).status, `/api/v1${href}`);
    assert.equal(await status(), 'active');
    await page.goto(`${server.base}${href}?tab=support`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
    await page.waitForSelector('section.doc[data-doc="support"] #doc-status');
    await page.tap('label[for="f-labour-long_term_unemployed"]');
    await page.tap('label[for="f-features-single_parent"]');
    const yesterday = iso(days(new Date(), -1));
    await page.tap('#f-periods > button.add-row');
    const first = page.locator('#f-periods li.row-item').last();
    await first.locator('input[id$="-from"]').fill(iso(days(new Date(), -90)));
    await first.locator('input[id$="-to"]').fill(yesterday);
    await first.locator('label[for$="-reason-employment"]').tap();
    await first.locator('textarea[id$="-situation"]').fill(`Pracuje w sklepie ${stamp}`);
    await page.waitForSelector('#doc-status[data-state="synced"]', { timeout: 20000 });
    assert.equal(await status(), 'closed');

    // Support starts again today: a second period.
    await page.tap('#f-periods > button.add-row');
    await page.waitForFunction(() => document.querySelectorAll('#f-periods li.row-item').length === 2);
    await page.waitForTimeout(300);
    await page.waitForSelector('#doc-status[data-state="synced"]', { timeout: 20000 });
    assert.equal(await status(), 'active');
    // A period may not start before the previous one ended: refused next to the field.
    await page.locator('#f-periods li.row-item').last().locator('input[id$="-from"]').fill(iso(days(new Date(), -30)));
    await page.waitForSelector('#doc-status[data-state="invalid"]');
    assert.match(await page.textContent('#f-periods'), /zaczyna się przed końcem poprzedniego/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
