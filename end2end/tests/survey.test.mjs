// The anonymous survey in real Chromium: respondents answer on their own phones by
// the public link, a kiosk tablet takes answers offline and clears after each person,
// and the coordinator reads the results (charts beside the numbers), prints them to
// PDF and downloads the exports. The server's log must hold nothing of the respondents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, shellCached, pdfText, unlock } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;
const PHONE_UA = `Telefon-Respondenta-${stamp}`;

/** A respondent's own phone: small screen, touch, no account, a browser of its own. */
async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'pl-PL', userAgent: PHONE_UA });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return { context, page };
}

async function choose(page, question, option) {
  await page.tap(`label[for="s-${question}-${option.replaceAll('_', '-')}"]`);
}

/** One person's answers, by touch. `i` varies them. */
async function answer(page, i, text) {
  await page.waitForSelector('#survey-form');
  await choose(page, 'q1', i % 3 === 0 ? 'no' : 'yes');
  if (i % 3 !== 0) await choose(page, 'q2', 'over10');
  await choose(page, 'q3', 'yes');
  await choose(page, 'q5', 'trainings');
  await choose(page, 'q5', 'other');
  await page.waitForSelector('#s-q5-text');
  await page.fill('#s-q5-text', text);
  await choose(page, 'q12', i % 2 === 0 ? 'def_yes' : 'rather_yes');
  await choose(page, 'sex', i % 2 === 0 ? 'woman' : 'man');
  await page.tap('#survey-submit');
}

async function openRound(page, base) {
  await page.goto(`${base}/surveys`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.waitForSelector('#open-round-submit');
  await page.click('#open-round-submit');
  // The demo's past rounds are listed already: wait for this month's, which the click
  // opens (the page's month is the browser's), not the first one listed.
  const month = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`; });
  const round = `#rounds li.round[data-period="${month}"]`;
  await page.waitForSelector(round);
  return page.$eval(`${round} a.public-link`, (a) => a.getAttribute('href'));
}

const thisMonth = (page) => page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`; });

/** Closes this month's round from the coordinator's list. */
async function closeRound(page, base) {
  await page.goto(`${base}/surveys`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  const month = await thisMonth(page);
  await page.click(`#close-${month}`);
  await page.waitForSelector(`#close-${month}`, { state: 'detached' });
}

/** This month's round as the coordinator's API reports it (results, answers waiting). */
async function roundReport(page, base) {
  await page.goto(`${base}/surveys`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  const month = await thisMonth(page);
  // The list arrives after hydration (and a server just restarted answers slowly).
  const link = `#rounds li.round[data-period="${month}"] a[href^="/surveys/"]:not([href$="/slips"])`;
  await page.waitForSelector(link, { timeout: 30000 });
  const href = await page.$eval(link, (a) => a.getAttribute('href'));
  return page.evaluate(async (id) => (await fetch(`/api/v1/surveys/${id}/results`)).json(), href.split('/')[2]);
}

/** Whether the phone still keeps a sealed answer for the survey. */
const keeps = (page) => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('sciezka.phone.')));

test('respondents answer on their phones; results show from five, print to PDF and export', async () => {
  process.env.RUST_LOG = 'debug';
  const server = await ownServer();
  delete process.env.RUST_LOG;
  const coord = await tablet(browser);
  try {
    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    const link = await openRound(coord.page, server.base);
    let lastPhone;
    assert.match(link, /\/ankieta\/[A-Za-z0-9_-]{20,}$/);
    // The QR code for the slips is a real image.
    await coord.page.waitForFunction(() => document.querySelector('img.qr')?.naturalWidth > 0);

    for (let i = 0; i < 5; i++) {
      const p = await phone();
      const logs = [];
      p.page.on('console', (m) => logs.push(m.type() + ' ' + m.text().slice(0, 200)));
      p.page.on('requestfailed', (r) => logs.push('failed ' + r.url() + ' ' + r.failure()?.errorText));
      p.page.on('response', (r) => logs.push(`resp ${r.status()} ${new URL(r.url()).pathname}`));
      await p.page.goto(link);
      // If the form never appears, what the phone saw is printed.
      try { await p.page.waitForSelector('#survey-form'); } catch (e) {
        const h = await p.page.content();
        console.log('PHONE', i, JSON.stringify(logs), h.slice(h.indexOf('<main'), h.indexOf('<main') + 800));
        throw e;
      }
      // Nothing of the consultants' app shows to a respondent.
      assert.equal(await p.page.locator('nav[aria-label]').count(), 0);
      if (i === 0) {
        // An empty survey is refused with a clear message, before anything is sent.
        await p.page.tap('#survey-submit');
        await p.page.waitForSelector('#survey-errors');
        assert.match(await p.page.textContent('#survey-errors'), /co najmniej jedną/);
        // The summary takes the focus, so a screen reader reads it first.
        assert.equal(await p.page.evaluate(() => document.activeElement?.id), 'survey-errors');
        // "No" to question 1 skips question 2.
        await choose(p.page, 'q1', 'no');
        assert.equal(await p.page.$eval('#s-q2', (f) => f.disabled), true);
        // The warning comes before a text box is typed into.
        await choose(p.page, 'q5', 'other');
        assert.match(await p.page.textContent('#s-q5-warn'), /może pozwolić kogoś rozpoznać/);
        await choose(p.page, 'q5', 'other');
        // Fits a small phone: no sideways scrolling.
        assert.ok(await p.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
      }
      await answer(p.page, i, `Opinia telefonu ${i} ${stamp}`);
      await p.page.waitForSelector('#survey-thanks');
      // A plain page: no app was loaded to answer.
      assert.equal(await p.page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm'))), false);
      // Until the server has counted it, the phone keeps the answer sealed: unreadable here.
      await p.page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('sciezka.phone.')));
      assert.match(await p.page.textContent('#survey-kept'), /przechowuje ją zaszyfrowaną/);
      const kept = await p.page.evaluate(() => JSON.stringify(localStorage) + document.cookie);
      assert.ok(!kept.includes(`Opinia telefonu ${i}`) && !kept.includes('s-q1='), 'the phone stored the answer readable');
      assert.deepEqual(p.page.errors, []);
      if (i < 4) await p.context.close();
      else lastPhone = p;
    }
    // Slips to hand out: the QR code and link, and single-use codes shown this once.
    await coord.page.goto(`${server.base}/surveys`);
    await coord.page.click(`#rounds li.round[data-period="${await thisMonth(coord.page)}"] a[href$="/slips"]`);
    await coord.page.waitForSelector('#issue-codes-submit');
    await coord.page.fill('#codes-count', '4');
    await coord.page.click('#issue-codes-submit');
    await coord.page.waitForFunction(() => document.querySelectorAll('#slips .slip .code').length === 4);
    const codes = await coord.page.$$eval('#slips .code', (c) => c.map((x) => x.textContent));
    assert.ok(codes.every((c) => /^[2-9A-Z]{5}-[2-9A-Z]{5}$/.test(c)), codes.join(' '));
    await coord.page.waitForFunction(() => [...document.querySelectorAll('#slips img')].every((i) => i.naturalWidth > 0));
    await coord.page.emulateMedia({ media: 'print' });
    const slips = await pdfText(await coord.page.pdf({ format: 'A4' }));
    await coord.page.emulateMedia({ media: 'screen' });
    const printedText = slips.text.replace(/\s/g, '');
    assert.ok(codes.every((c) => printedText.includes(c)), `every code is on a printed slip: ${slips.text.slice(0, 400)}`);
    assert.match(slips.text, /Ankieta jest anonimowa/);

    // Five answers wait in the server's memory; closing the round counts them as its last batch.
    assert.equal((await roundReport(coord.page, server.base)).waiting, 5);
    await closeRound(coord.page, server.base);
    // The phone opens the link again: the round is closed, and it forgets its copy.
    await lastPhone.page.goto(link);
    await lastPhone.page.waitForSelector('#survey-closed');
    await lastPhone.page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('sciezka.phone.')));
    await lastPhone.context.close();

    await coord.page.goto(`${server.base}/surveys`);
    await coord.page.click(`#rounds li.round[data-period="${await thisMonth(coord.page)}"] a[href^="/surveys/"]:not([href$="/slips"])`);
    await coord.page.waitForSelector('#survey-results #respondents');
    assert.match(await coord.page.textContent('#respondents'), /5/);
    // Question 1: 3 of 5 said yes, drawn as a bar beside the numbers.
    const q1 = await coord.page.textContent('#result-q1 tbody tr:first-child');
    assert.match(q1, /3/);
    // Polish writes a decimal comma and a space before the percent sign.
    assert.match(q1, /60,0\s%/);
    assert.equal(await coord.page.locator('#result-q1 svg.bar').count(), 2);
    const texts = await coord.page.$$eval('#result-q5 ul.texts li', (li) => li.map((x) => x.textContent));
    assert.deepEqual([...texts].sort(), [0, 1, 2, 3, 4].map((i) => `Opinia telefonu ${i} ${stamp}`));
    const sex = await coord.page.textContent('#result-sex tbody');
    assert.match(sex, /Kobieta\s*3/);

    await coord.page.emulateMedia({ media: 'print' });
    const pdf = await pdfText(await coord.page.pdf({ format: 'A4', printBackground: true }));
    await coord.page.emulateMedia({ media: 'screen' });
    assert.match(pdf.text, /Wyniki ankiety/);
    assert.match(pdf.text, /Czy Pani \/Pan -i pracował\/a kiedykolwiek zawodowo\?/);
    assert.match(pdf.text, /60,0\s%/);
    // The change beside the previous month is printed whole, not cut at the page edge.
    assert.match(pdf.text, /66,7\s% \(−6,7\)/);
    assert.match(pdf.text, /Metryczka/);
    assert.ok(!pdf.text.includes('Pobierz CSV'), 'controls are not printed');

    const [csvDownload] = await Promise.all([coord.page.waitForEvent('download'), coord.page.click('#export-csv')]);
    assert.match(csvDownload.suggestedFilename(), /^ankieta-.*-\d{4}-\d{2}\.csv$/);
    const csv = (await import('node:fs')).readFileSync(await csvDownload.path(), 'utf8');
    assert.match(csv, /Kobieta,3,60\.0,5/);
    const [xlsxDownload] = await Promise.all([coord.page.waitForEvent('download'), coord.page.click('#export-xlsx')]);
    assert.match(xlsxDownload.suggestedFilename(), /\.xlsx$/);
    const xlsx = (await import('node:fs')).readFileSync(await xlsxDownload.path());
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK');

    // Nothing the respondents sent or were is in the server's output.
    assert.ok(server.log.length > 0, 'the server logged nothing at all: the check would be empty');
    assert.ok(!server.log.includes(PHONE_UA), 'the log holds a respondent\'s browser');
    assert.ok(!server.log.includes('Opinia telefonu'), 'the log holds an answer');
    assert.deepEqual(coord.page.errors, []);
  } finally {
    await coord.context.close();
    await server.stop();
  }
});

test('the phone survey works with JavaScript switched off and transfers at most 30 KB compressed', async () => {
  const server = await ownServer();
  const coord = await tablet(browser);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'pl-PL', javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    const link = await openRound(coord.page, server.base);
    // Every byte the phone receives on its first visit, as sent (compressed).
    let bytes = 0;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    await page.goto(link, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    assert.ok(bytes > 1000 && bytes <= 30 * 1024, `the first visit transferred ${bytes} B`);
    console.log(`phone survey, first visit: ${bytes} B transferred`);
    assert.equal(await page.locator('script[src$=".js"][src*="pkg"]').count(), 0, 'no app script');

    // Without a script: the text box opens with its answer by CSS, and question 2 steps back.
    assert.equal(await page.isVisible('#s-q5-text'), false);
    await page.click('label[for="s-q5-other"]');
    assert.equal(await page.isVisible('#s-q5-text'), true);
    assert.match(await page.textContent('#s-q5-warn'), /może pozwolić kogoś rozpoznać/);
    await page.fill('#s-q5-text', `Bez skryptu ${stamp}`);
    await page.click('label[for="s-q1-no"]');
    assert.equal(await page.isVisible('#s-q2 .skip-note'), true);
    // Sent as a plain form: the thank-you page follows the redirect.
    await page.click('#survey-submit');
    await page.waitForSelector('#survey-thanks');
    assert.match(await page.textContent('#survey-thanks'), /Dziękujemy/);
    assert.deepEqual(await context.cookies(), [], 'no cookie is set');

    // An empty form comes back with the error summary, still without a script.
    await page.goto(link);
    await page.click('#survey-submit');
    await page.waitForSelector('#survey-errors');
    assert.match(await page.textContent('#survey-errors'), /co najmniej jedną/);
    const size = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    assert.ok(size, 'fits a 360 px screen');
    // Touch targets: every answer is at least 44 px high.
    const small = await page.$$eval('label.choice', (ls) => ls.filter((l) => l.getBoundingClientRect().height < 44).length);
    assert.equal(small, 0);
  } finally {
    await context.close();
    await coord.context.close();
    await server.stop();
  }
});

test('a kiosk tablet clears after each person, keeps answers sealed offline and sends them when the server is back', async () => {
  const server = await ownServer();
  const t = await tablet(browser);
  const { page } = t;
  try {
    await signInAt(page, server.base, 'anna.nowak@mops.demo');
    await shellCached(page);
    await openRound(page, server.base);
    await page.click('#rounds li.round a[href^="/kiosk/"]');
    await page.waitForSelector('#kiosk-start');
    await page.tap('#kiosk-start');

    await answer(page, 1, `Kiosk pierwsza osoba ${stamp}`);
    await page.waitForSelector('#survey-thanks');
    await page.waitForSelector('#kiosk-waiting[data-waiting="0"]');
    await page.tap('#kiosk-next');
    await page.waitForSelector('#survey-form');
    // The next person sees an empty form: nothing checked, no text, nothing in the page.
    assert.equal(await page.locator('#survey-form input:checked').count(), 0);
    assert.ok(!(await page.content()).includes('Kiosk pierwsza osoba'));

    // The server goes away: answers wait on the tablet, sealed.
    await server.stop();
    for (let i = 0; i < 5; i++) {
      await answer(page, i, `Kiosk offline ${i} ${stamp}`);
      await page.waitForSelector('#survey-thanks');
      await page.tap('#kiosk-next');
      await page.waitForSelector('#survey-form');
    }
    await page.waitForSelector('#kiosk-waiting[data-waiting="5"]');
    const storage = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!storage.includes('Kiosk offline'), 'a queued answer is readable on the tablet');
    assert.ok(!storage.includes('"choices"'), 'a queued answer is readable on the tablet');

    // A reload with no server: the kiosk opens from the cached shell with its queue.
    await page.reload();
    await page.waitForSelector('#kiosk-waiting[data-waiting="5"]', { timeout: 20000 });

    await server.start();
    await page.waitForSelector('#kiosk-waiting[data-waiting="0"]', { timeout: 40000 });
    // Sent, but held in the server's memory until it can count at least 5 together:
    // the tablet keeps its sealed copies until then.
    await page.waitForSelector('#kiosk-uncounted[data-uncounted="6"]');

    const coord = await tablet(browser);
    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    assert.equal((await roundReport(coord.page, server.base)).waiting, 6);
    await closeRound(coord.page, server.base);
    // The next upload hears that the round is closed: the tablet keeps nothing more.
    await page.waitForSelector('#kiosk-uncounted[data-uncounted="0"]', { timeout: 40000 });

    // Leaving the kiosk needs the consultant's password: the drafts were locked.
    await page.tap('#kiosk-exit');
    await unlock(page);

    await coord.page.goto(`${server.base}/surveys`);
    await coord.page.click(`#rounds li.round[data-period="${await thisMonth(coord.page)}"] a[href^="/surveys/"]:not([href$="/slips"])`);
    await coord.page.waitForSelector('#survey-results #respondents');
    assert.match(await coord.page.textContent('#respondents'), /6/);
    const texts = await coord.page.$$eval('#result-q5 ul.texts li', (li) => li.map((x) => x.textContent));
    assert.equal(texts.filter((x) => x.includes(String(stamp))).length, 6);
    await coord.context.close();
  } finally {
    await t.context.close();
    await server.stop();
  }
});

test('a server killed with answers in its memory loses none: phones and the kiosk send them again and each is counted once', async () => {
  const server = await ownServer();
  const coord = await tablet(browser);
  const kiosk = await tablet(browser);
  const phones = [];
  try {
    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    const link = await openRound(coord.page, server.base);
    for (let i = 0; i < 3; i++) {
      const p = await phone();
      await p.page.goto(link);
      await answer(p.page, i, `Telefon przed awarią ${i} ${stamp}`);
      await p.page.waitForSelector('#survey-thanks');
      await p.page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('sciezka.phone.')));
      phones.push(p);
    }
    await signInAt(kiosk.page, server.base, 'anna.nowak@mops.demo');
    await kiosk.page.goto(link.replace('/ankieta/', '/kiosk/'));
    await kiosk.page.waitForSelector('#kiosk-start');
    await kiosk.page.tap('#kiosk-start');
    for (let i = 0; i < 4; i++) {
      await answer(kiosk.page, i, `Kiosk przed awarią ${i} ${stamp}`);
      await kiosk.page.waitForSelector('#survey-thanks');
      await kiosk.page.tap('#kiosk-next');
      await kiosk.page.waitForSelector('#survey-form');
    }
    await kiosk.page.waitForSelector('#kiosk-uncounted[data-uncounted="4"]', { timeout: 20000 });
    assert.equal((await roundReport(coord.page, server.base)).waiting, 7);

    // The server dies with seven answers in its memory and nothing of them on disk.
    await server.stop('SIGKILL');
    await server.start();
    // The phones send their copies when the link is opened again (twice: still once);
    // the kiosk sends its own on its next try.
    for (const p of phones) {
      await p.page.goto(link);
      await p.page.waitForSelector('#survey-form');
      await p.page.goto(link);
      await p.page.waitForSelector('#survey-form');
    }
    for (let t = 0; ; t++) {
      const { waiting } = await roundReport(coord.page, server.base);
      if (waiting === 7) break;
      assert.ok(t < 40 && waiting < 7, `answers held after the restart: ${waiting}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await closeRound(coord.page, server.base);
    const report = await roundReport(coord.page, server.base);
    assert.equal(report.current.respondents, 7, 'every acknowledged answer is counted exactly once');
    const texts = report.current.questions.find((q) => q.question === 'q5').texts;
    assert.equal(texts.filter((x) => x.includes(String(stamp))).length, 7);
    // Told that the round is closed, the devices forget their copies.
    for (const p of phones) {
      await p.page.goto(link);
      await p.page.waitForSelector('#survey-closed');
      await p.page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('sciezka.phone.')));
    }
    await kiosk.page.waitForSelector('#kiosk-uncounted[data-uncounted="0"]', { timeout: 40000 });
  } finally {
    for (const p of phones) await p.context.close();
    await kiosk.context.close();
    await coord.context.close();
    await server.stop();
  }
});
