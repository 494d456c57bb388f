// What a tablet downloads before a page responds, on an empty cache: the compressed
// bytes of the app's scripts and wasm (the shared part and the page's own chunks),
// counted until the page has hydrated. Run against a release build (`bash .ci/size.sh`,
// part of `bash .ci/test.sh`).
//
// Issue 18's budget is 250 KiB per page; it is not met yet (see the README's
// Performance section: the part every page shares is about 490 KiB on its own). Until it is,
// each page has a ceiling a little above what it loads today, so a change that makes a
// first load grow fails here; lower a ceiling whenever a page gets lighter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signInByApi } from '../tests/helpers.mjs';

const GOAL = 250 * 1024;
// Measured 2026-11-30 on the release build: 581, 587 and 985 KiB once the account
// pages left the sign-in's area (698, 632 and 1004 before that step: see the README);
// 582, 589 and 1002 KiB once the card's area took restriction of processing and the
// link to a person's data (issue 20); the legal basis on the client's form and card and
// the information clause's own area (issue 20) add to the card's area and to the
// chunks areas share. A small change used to make wasm-split move ~55 KB of constants
// into the shared module (README, "wasm-split's read-only data fallback"; fixed by
// `SPLIT_DATA_ROOM`): this test is what catches it if it comes back.
// Measured 2026-12-01: 588.7, 595.8 and 1,020.5 KiB; the ceilings add room for the
// account page's second-factor labels that came after (every label is in the shared
// module). The read-only data fallback's 55 KB still fails them.
const CEILING = { 'sign-in': 604 * 1024, caseload: 610 * 1024, 'client card': 1036 * 1024 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A fresh context (empty cache, no service worker), signed in through the API if `email`. */
async function freshContext(email) {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'pl-PL', serviceWorkers: 'block' });
  if (email) {
    const r = await signInByApi(context, email);
    assert.equal(r.status(), 200, `sign-in of ${email}`);
  }
  return context;
}

/** Opens `path` and sums the transferred bytes of `/pkg/*.js|wasm` until the page has hydrated. */
async function firstLoad(context, path) {
  const page = await context.newPage();
  const responses = [];
  let hydrated = false;
  page.on('response', (r) => { if (!hydrated && /\/pkg\/.*\.(js|wasm)$/.test(new URL(r.url()).pathname)) responses.push(r); });
  await page.goto(`${BASE}${path}`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  hydrated = true;
  let total = 0;
  const files = [];
  for (const r of responses) {
    const body = (await r.request().sizes()).responseBodySize;
    total += body;
    files.push(`${new URL(r.url()).pathname.split('/').pop()} ${body} B (${r.headers()['content-encoding'] ?? 'identity'})`);
  }
  await page.close();
  return { total, files };
}

async function card(email) {
  const context = await freshContext(email);
  const list = await context.request.get(`${BASE}/api/v1/clients?mine=true&status=active&limit=1`);
  const id = (await list.json()).items[0].id;
  await context.close();
  return `/clients/${id}`;
}

const pages = [
  ['sign-in', null, async () => '/login'],
  ['caseload', 'anna.nowak@mops.demo', async () => '/'],
  ['client card', 'anna.nowak@mops.demo', () => card('anna.nowak@mops.demo')],
];

for (const [name, email, where] of pages) {
  test(`${name}: the script and wasm (brotli) loaded before it responds stay under its ceiling`, async () => {
    const path = await where();
    const context = await freshContext(email);
    try {
      const { total, files } = await firstLoad(context, path);
      const over = total > GOAL ? `, ${((total - GOAL) / 1024).toFixed(0)} KiB over the 250 KiB goal` : ', within the 250 KiB goal';
      console.log(`first load, ${name} (${path.replace(/[0-9a-f-]{36}/, '{id}')}): ${total} B (${(total / 1024).toFixed(1)} KiB) in ${files.length} files${over}`);
      assert.ok(files.some((f) => f.includes('(br)')), 'the server sends the brotli files of a release build');
      assert.ok(total <= CEILING[name], `${name} loads ${total} B before it responds, over its ceiling of ${CEILING[name]} B:\n${files.join('\n')}`);
    } finally {
      await context.close();
    }
  });
}
