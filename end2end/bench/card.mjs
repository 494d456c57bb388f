// Benchmark (not a test): how long a client card with every case document and 200
// notes takes to show in Chromium, after navigation and hydration, and to open the
// IPD tab. Usage: node bench/card.mjs <base> <client id>
import { launch, signInAt } from '../tests/helpers.mjs';

const [base, client] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'pl-PL' });
const page = await context.newPage();
await signInAt(page, base, 'anna.nowak@mops.demo');
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const card = [], hydrated = [], ipd = [];
for (let i = 0; i < 7; i++) {
  const t = Date.now();
  await page.goto(`${base}/clients/${client}`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  hydrated.push(Date.now() - t);
  await page.waitForFunction(() => document.querySelectorAll('#note-list li').length >= 200 && document.querySelector('#client-name'));
  card.push(Date.now() - t);
  const u = Date.now();
  await page.click('nav.doc-tabs a[data-tab="ipd"]');
  await page.waitForFunction(() => document.querySelector('#f-goal')?.value);
  ipd.push(Date.now() - u);
}
console.log(`client card (6 documents, 200 notes) in Chromium: hydrated ${median(hydrated)} ms, `
  + `card with all notes shown ${median(card)} ms, IPD tab filled ${median(ipd)} ms (medians of 7)`);
await browser.close();
