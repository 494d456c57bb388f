// The foundation as a consultant uses it on a tablet: sign in, register a client with
// a PESEL mistake, see it in the caseload, hit the limit of 15, switch the language,
// and a user of another partnership who cannot see the client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, tablet, signIn, signInAt, ownServer, pesel, nav, pdfText } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const surname = `Świątek${Date.now() % 100000}`;
let clientUrl;

test('sign-in works only after hydration and opens the caseload', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'ewa.zajac@razem.demo');
  await page.waitForSelector('#caseload-count');
  assert.match(await page.textContent('#caseload-count'), /Prowadzisz\s+14\s+z\s+15/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a wrong PESEL is explained in Polish next to the field; a valid client lands in the caseload', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'ewa.zajac@razem.demo');
  await nav(page, '/clients/new');
  await page.waitForSelector('#surname');
  await page.fill('#surname', surname);
  await page.fill('#first_names', 'Maria');
  const good = pesel(1990, 5, 17, 123);
  const bad = good.slice(0, 10) + String((Number(good[10]) + 1) % 10);
  await page.fill('#pesel', bad);
  await page.selectOption('#legal_basis', 'consent');
  await page.fill('#consent_date', '2026-11-02');
  await page.click('button[type=submit]');
  await page.waitForSelector('#pesel-error:not(:empty)');
  assert.equal(await page.textContent('#pesel-error'), 'Nieprawidłowa cyfra kontrolna.');
  assert.equal(await page.getAttribute('#pesel', 'aria-invalid'), 'true');
  assert.match(await page.getAttribute('#pesel', 'aria-describedby'), /pesel-error/);
  // Focus lands on the field to correct, not on the button pressed.
  await page.waitForFunction(() => document.activeElement?.id === 'pesel');

  await page.fill('#pesel', good);
  await page.click('button[type=submit]');
  await page.waitForSelector('#client-name');
  assert.equal(await page.textContent('#client-name'), `${surname} Maria`);
  // After the navigation focus is on the new page's heading: the next Tab starts at
  // its top, and a screen reader announces it.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.match(await page.textContent('dl.facts'), /17\.05\.1990/);
  // The legal basis chosen, and the information clause given today by the one who registered her.
  assert.equal(await page.textContent('#legal-basis'), 'Zgoda osoby');
  assert.match(await page.textContent('dl.facts'), /Klauzulę informacyjną.*Ewa Zając/);
  clientUrl = page.url();
  // The information clause she was given: one per organisation of the partnership, each
  // its own controller with its file plan's retention, printable.
  await page.click('#print-clause');
  await page.waitForSelector('article.clause');
  const clauses = await page.$$eval('article.clause', (as) => as.map((a) => a.textContent));
  assert.equal(clauses.length, 3, 'one per organisation of the partnership');
  assert.match(clauses[0], /Administratorem Pani\/Pana danych osobowych jest/);
  assert.match(clauses[0], new RegExp(`Dotyczy: ${surname} Maria`));
  assert.match(clauses.join(' '), /kategoria archiwalna B10/);
  assert.match(clauses[0], /zgoda w zakresie/);
  assert.match(clauses[0], /Klauzulę przekazano dnia .* — Ewa Zając/);
  const { text } = await pdfText(await page.pdf({ format: 'A4' }));
  assert.match(text, /Klauzula informacyjna/);
  assert.doesNotMatch(text, /Drukuj|Wróć/, 'the buttons stay off the paper');

  await nav(page, '/');
  await page.waitForSelector('#caseload-count');
  assert.match(await page.textContent('#caseload-count'), /Prowadzisz\s+15\s+z\s+15/);
  assert.ok(await page.isVisible(`text=${surname} Maria`));
  await context.close();
});

test('the 16th client is refused with a clear message', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'ewa.zajac@razem.demo');
  await page.goto(`${BASE}/clients/new`);
  // Typed before the page has hydrated, text is redrawn from the form's state (empty).
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.waitForSelector('#surname');
  await page.fill('#surname', 'Szesnasta');
  await page.fill('#first_names', 'Zofia');
  await page.fill('#pesel', pesel(1991, 6, 18, 321));
  await page.selectOption('#legal_basis', 'consent');
  await page.fill('#consent_date', '2026-11-02');
  // Wait until the consultant list shows the full caseload, then save.
  await page.waitForSelector('#key_consultant_id option:has-text("15/15")', { state: 'attached' });
  await page.click('button[type=submit]');
  await page.waitForSelector('#key_consultant_id-error:not(:empty)');
  assert.match(await page.textContent('#key_consultant_id-error'), /limit 15/);
  assert.equal(new URL(page.url()).pathname, '/clients/new');
  await context.close();
});

test('the interface switches to English and stays so after a reload', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'ewa.zajac@razem.demo');
  await page.waitForSelector('#caseload-count');
  // The caseload is drawn by the server: its buttons answer once the page has hydrated.
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.click('#lang-toggle');
  await page.waitForSelector('h1:has-text("My caseload")');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await page.waitForSelector('#caseload-count');
  assert.match(await page.textContent('#caseload-count'), /You lead\s+15\s+of\s+15/);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.click('#lang-toggle');
  await page.waitForSelector('h1:has-text("Moi klienci")');
  await context.close();
});

test('a user of another partnership cannot see the client', async () => {
  assert.ok(clientUrl, 'the registration test ran first');
  const { context, page } = await tablet(browser);
  await signIn(page, 'marek.sowa@owes.demo');
  await page.goto(clientUrl);
  await page.waitForSelector('.notice.error');
  assert.ok(!(await page.content()).includes(surname));
  await page.goto(`${BASE}/clients`);
  // Typing before the page has hydrated would not reach the search.
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.fill('#q', surname.slice(0, 6));
  await page.waitForSelector('text=Brak klientów spełniających kryteria.');
  const api = await page.evaluate(async (url) => (await fetch(url)).status, `/api/v1/clients/${clientUrl.split('/').pop()}`);
  assert.equal(api, 404);
  await context.close();
});

test('the coordinator reads who opened the client, on a tablet with 44 px touch targets', async () => {
  const { context, page } = await tablet(browser);
  await signIn(page, 'koordynator@mops.demo');
  await nav(page, '/audit');
  await page.waitForSelector('table.audit');
  assert.ok(await page.isVisible(`table.audit >> text=${surname} Maria`));
  for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(viewport);
    for (const el of await page.$$('button:visible, nav a:visible, input:visible, select:visible')) {
      const box = await el.boundingBox();
      assert.ok(box.height >= 44, `touch target ${await el.evaluate((e) => e.outerHTML.slice(0, 80))} is ${box.height}px high`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at ${viewport.width}×${viewport.height}`);
  }
  await context.close();
});

test('the client list pages forward and back in Polish order', async () => {
  const server = await ownServer();
  const { context, page } = await tablet(browser);
  try {
    await signInAt(page, server.base, 'koordynator@mops.demo');
    // Enough clients for three pages of 50.
    const made = await page.evaluate(async (pesels) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('sciezka_csrf='))?.split('=')[1];
      const me = await (await fetch('/api/v1/auth/me')).json();
      const partnership = me.memberships[0].partnership_id;
      const surnames = ['Łoś', 'Lis', 'Ćwik', 'Cebula', 'Żuk', 'Zych', 'Śliwa', 'Sowa'];
      let ok = 0;
      const failed = [];
      for (const [i, pesel] of pesels.entries()) {
        const post = () => fetch('/api/v1/clients', {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ partnership_id: partnership, kind: 'person', work_form: 'individual', surname: `${surnames[i % 8]}${i}`,
            first_names: 'Anna', pesel, consent: true, consent_date: '2026-11-02', city: 'Kielce' }),
        });
        // Once, in CI, one of the 110 was not stored: what the server answered is kept,
        // so the next time says why. A refusal of this client (409, 422) is not retried.
        let r = await post();
        if (r.status >= 500) {
          failed.push(`${i}: ${r.status} ${await r.text()}`);
          r = await post();
        }
        if (r.ok) ok++;
        else failed.push(`${i}: ${r.status} ${await r.text()}`);
      }
      return { ok, failed };
    }, Array.from({ length: 110 }, (_, i) => pesel(1970 + (i % 30), 1 + (i % 12), 1 + (i % 28), 500 + i)));
    if (made.failed.length) console.log(`# client creation answered: ${made.failed.join(' | ')}`);
    assert.equal(made.ok, 110, made.failed.join('\n'));
    await nav(page, '/clients');
    await page.waitForSelector('table.clients tbody tr');
    const count = async () => (await page.textContent('p.count')).replace(/\s+/g, ' ');
    const names = async () => page.$$eval('table.clients tbody tr th', (tds) => tds.map((td) => td.textContent.trim()));
    const total = Number((await count()).match(/: (\d+)/)[1]);
    assert.ok(total > 100, `${total} clients`);
    assert.match(await count(), /\(1–50\)/);
    const first = await names();
    assert.equal(first.length, 50);
    await page.click('#clients-next');
    await page.waitForFunction(() => document.querySelector('p.count')?.textContent.includes('(51–100)'));
    const second = await names();
    assert.equal(second.length, 50);
    assert.ok(second.every((n) => !first.includes(n)), 'page two repeats no one of page one');
    const collator = new Intl.Collator('pl');
    assert.ok(collator.compare(first[49], second[0]) <= 0, `${first[49]} before ${second[0]}`);
    await page.click('#clients-next');
    await page.waitForFunction(() => document.querySelector('p.count')?.textContent.includes('(101–'));
    await page.click('#clients-prev');
    await page.waitForFunction(() => document.querySelector('p.count')?.textContent.includes('(51–100)'));
    assert.deepEqual(await names(), second);
    await page.click('#clients-prev');
    await page.waitForFunction(() => document.querySelector('p.count')?.textContent.includes('(1–50)'));
    assert.deepEqual(await names(), first);
    assert.ok(await page.isDisabled('#clients-prev'));
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
