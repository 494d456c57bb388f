// The case documents in real Chromium: each written offline on one tablet (by
// touch where the form is made for it), kept through a reload, printed offline,
// synced when the server is back, then read, compared and printed to PDF on another device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, shellCached, syncState, clientLinks, pdfText, unlock } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;
const GOAL = `Praca w gastronomii ${stamp}`;
const TASK = `Kurs kucharza ${stamp}`;

async function tab(page, name) {
  await page.click(`nav.doc-tabs a[data-tab="${name}"]`);
  await page.waitForSelector(`section.doc[data-doc="${name}"] #doc-status`);
}

// Signs a social worker in and opens her first client's IPD; returns the card's path.
async function openIpd(page, base) {
  await signInAt(page, base, 'anna.nowak@mops.demo');
  const [href] = await clientLinks(page);
  await page.goto(`${base}${href}?tab=ipd`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.waitForSelector('#f-goal');
  return href;
}

async function addRow(page, table) {
  const rows = page.locator(`#${table} > ol > li.row-item`);
  const before = await rows.count();
  await page.click(`#${table} > button.add-row`);
  await page.waitForFunction(([t, n]) => document.querySelectorAll(`#${t} > ol > li.row-item`).length === n + 1, [table, before]);
  const row = rows.last();
  return { row, id: await row.getAttribute('data-row') };
}

async function waiting(page) {
  await page.waitForSelector('#doc-status[data-state="waiting"]');
}

async function printed(page, base, href, doc) {
  await page.goto(`${base}${href}/print/${doc}`);
  await page.waitForSelector(`article.print-doc[data-doc="${doc}"]`, { timeout: 20000 });
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return pdfText(pdf);
}

test('every case document written offline on one tablet is synced, shown and printed on another', async () => {
  const server = await ownServer();
  const a = await tablet(browser);
  const b = await tablet(browser);
  try {
    const href = await openIpd(a.page, server.base);
    await shellCached(a.page);
    await server.stop();
    const p = a.page;

    // IPD: the goal, a task with the social-assistance centre.
    await p.fill('#f-date', '2026-11-02');
    await p.fill('#f-goal', GOAL);
    const task = await addRow(p, 'f-social-tasks_ops');
    await p.fill(`#f-social-tasks_ops-${task.id}-task`, TASK);
    await p.fill(`#f-social-tasks_ops-${task.id}-from`, '2026-11-03');
    await p.fill(`#f-social-tasks_ops-${task.id}-to`, '2026-11-01');
    // A task ending before it starts: the same rule as on the server, next to the field.
    await p.waitForSelector(`#f-social-tasks_ops-${task.id}-to[aria-invalid="true"]`);
    assert.equal(await p.getAttribute('#doc-status', 'data-state'), 'invalid');
    await p.fill(`#f-social-tasks_ops-${task.id}-to`, '2026-12-20');
    await waiting(p);
    assert.equal(await p.inputValue(`#f-social-tasks_ops-${task.id}-owner`), 'ops');

    // The assessment: ratings by touch.
    await tab(p, 'assessment');
    await p.fill('#f-strengths', 'Punktualna, lubi gotować');
    await p.tap('label[for="f-skills-motivation-8"]');
    await p.tap('label[for="f-skills-stress_resistance-3"]');
    await p.tap('label[for="f-education-upper_secondary"]');
    await p.fill('#f-place', 'Kielce');
    await waiting(p);
    assert.ok(await p.isChecked('#f-skills-motivation-8'));

    // The social contract: the person comes from the client record.
    await tab(p, 'contract');
    assert.notEqual(await p.inputValue('#f-person-surname'), '');
    await p.fill('#f-date', '2026-11-02');
    await p.fill('#f-main_goal', `Zatrudnienie ${stamp}`);
    const act = await addRow(p, 'f-person_actions');
    await p.fill(`#f-person_actions-${act.id}-action`, 'Udział w warsztatach klubu pracy');
    await p.fill(`#f-person_actions-${act.id}-deadline`, '2026-12-15');
    await p.fill('#f-evaluation_date', '2027-01-15');
    await p.check('#f-informed');
    const ev = await addRow(p, 'f-evaluations');
    await p.fill(`#f-evaluations-${ev.id}-date`, '2027-01-15');
    await p.fill(`#f-evaluations-${ev.id}-next_date`, '2027-03-15');
    await waiting(p);

    // Services, effects and the support path.
    await tab(p, 'services');
    const svc = await addRow(p, 'f-rows');
    await p.fill(`#f-rows-${svc.id}-date`, '2026-11-10');
    await p.selectOption(`#f-rows-${svc.id}-service`, 'job_club');
    await p.selectOption(`#f-rows-${svc.id}-partner`, { index: 1 });
    await p.fill(`#f-rows-${svc.id}-scope`, '4 spotkania grupowe');
    await waiting(p);
    await tab(p, 'effects');
    const eff = await addRow(p, 'f-rows');
    await p.selectOption(`#f-rows-${eff.id}-indicator`, 'employment');
    await p.fill(`#f-rows-${eff.id}-date`, '2026-11-20');
    await p.fill('#f-employment_date', '2024-02-29');
    await p.waitForSelector('#reintegration-window:has-text("28.02.2025")');
    await tab(p, 'path');
    await p.tap('label[for="f-directions-reintegration_entities"]');
    await p.tap('label[for="f-work_form-individual"]');
    const ann = await addRow(p, 'f-steps-identification-annotations');
    await p.fill(`#f-steps-identification-annotations-${ann.id}-text`, `Pierwsza rozmowa ${stamp}`);
    await waiting(p);

    // A reload with the server gone: everything is still on the device.
    await p.reload();
    await unlock(p);
    await p.goto(`${server.base}${href}?tab=ipd`);
    await unlock(p);
    await p.waitForSelector('#f-goal');
    await p.waitForFunction((g) => document.querySelector('#f-goal')?.value === g, GOAL);
    assert.equal(await p.inputValue(`#f-social-tasks_ops-${task.id}-task`), TASK);
    // …and prints from the device, offline.
    await p.goto(`${server.base}${href}/print/ipd`);
    await unlock(p);
    await p.waitForSelector('article.print-doc[data-doc="ipd"]');
    const offlinePdf = await pdfText(await p.pdf({ format: 'A4' }));
    assert.ok(offlinePdf.text.includes(GOAL), offlinePdf.text.slice(0, 400));

    // The server is back: the device sends everything by itself.
    await server.start();
    // Signed in still: the server's key opens the device's drafts without a password.
    await p.goto(`${server.base}${href}?tab=ipd`);
    await syncState(p, 'saved', 60000);

    // Another device sees every document and prints each on its official layout.
    await signInAt(b.page, server.base, 'koordynator@mops.demo');
    await b.page.goto(`${server.base}${href}?tab=ipd`);
    await b.page.waitForSelector('#doc-status[data-state="synced"]');
    assert.equal(await b.page.inputValue('#f-goal'), GOAL);
    assert.equal(await b.page.inputValue(`#f-social-tasks_ops-${task.id}-task`), TASK);

    const ipd = await printed(b.page, server.base, href, 'ipd');
    for (const s of ['Formularz Indywidualnego Planu Działania', 'Obszar społeczny', 'Obszar zawodowy', 'Zadania do realizacji z udziałem MOPS',
      'Data (od kiedy)', 'Podpis uczestnika programu', GOAL, TASK, '20.12.2026']) {
      assert.ok(ipd.text.includes(s), `IPD print lacks "${s}"`);
    }
    const as = await printed(b.page, server.base, href, 'assessment');
    for (const s of ['Bilans predyspozycji zawodowych', 'Motywacja do podejmowania działań', 'Odporność na stres', 'Ponadgimnazjalne', 'Punktualna', 'Miejsce i data']) {
      assert.ok(as.text.includes(s), `assessment print lacks "${s}"`);
    }
    const ct = await printed(b.page, server.base, href, 'contract');
    for (const s of ['KONTRAKT SOCJALNY', 'CZĘŚĆ I B', 'art. 11 ust. 2 oraz art. 109', 'dwóch jednobrzmiących egzemplarzach', 'CZĘŚĆ II B',
      'Egzemplarz dla osoby zawierającej kontrakt socjalny', 'Egzemplarz dla ośrodka pomocy społecznej', `Zatrudnienie ${stamp}`, '15.12.2026', '15.03.2027',
      '(data, podpis i pieczętka pracownika socjalnego)']) {
      assert.ok(ct.text.includes(s), `contract print lacks "${s}"`);
    }
    assert.ok(ct.pages >= 4, `two copies, each with its evaluation: ${ct.pages} pages`);
    const sv = await printed(b.page, server.base, href, 'services');
    assert.ok(sv.text.includes('Warsztaty klubu pracy') && sv.text.includes('4 spotkania grupowe') && sv.text.includes('10.11.2026'), sv.text);
    const ef = await printed(b.page, server.base, href, 'effects');
    assert.ok(ef.text.includes('Podjęcie zatrudnienia') && ef.text.includes('28.02.2025'), ef.text);
    const pa = await printed(b.page, server.base, href, 'path');
    assert.ok(pa.text.includes('Tworzenie i wsparcie podmiotów reintegracyjnych') && pa.text.includes(`Pierwsza rozmowa ${stamp}`), pa.text);

    // The history shows who changed what, and any two versions compare.
    await b.page.goto(`${server.base}${href}?tab=ipd`);
    await b.page.waitForSelector('#doc-status[data-state="synced"]');
    await b.page.fill('#f-goal', `${GOAL} i kurs`);
    await b.page.waitForSelector('#doc-status[data-state="synced"]', { timeout: 20000 });
    await b.page.waitForSelector('#doc-versions li.version >> nth=1');
    await b.page.click('#compare');
    await b.page.waitForSelector('#diff');
    const diff = await b.page.textContent('#diff');
    assert.ok(diff.includes('/goal') && diff.includes(`${GOAL} i kurs`), diff);
    assert.deepEqual(a.page.errors, []);
    assert.deepEqual(b.page.errors, []);
  } finally {
    await a.context.close();
    await b.context.close();
    await server.stop();
  }
});

test('marking an incomplete document final takes the keyboard to the first field to complete', async () => {
  const server = await ownServer();
  const a = await tablet(browser);
  try {
    await openIpd(a.page, server.base);
    await a.page.check('#doc-final');
    // Focus leaves the checkbox for a field the final document still lacks, which
    // names its error for a screen reader.
    await a.page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    const described = await a.page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-describedby')?.split(' ').find((id) => id.endsWith('-error')) ?? '')?.textContent ?? '');
    assert.ok(described.trim().length > 0, 'the focused field says what is missing');
    assert.equal(await a.page.getAttribute('#doc-status', 'data-state'), 'invalid');
  } finally {
    await a.context.close();
    await server.stop();
  }
});
