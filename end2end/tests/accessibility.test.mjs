// WCAG 2.1 AA as a test (issue 17): axe-core runs on every page and every tab, for
// each role — signed out, consultant, coordinator, a respondent on a phone, the kiosk —
// in Polish and in English, on a tablet; any violation fails with the page, the rule
// and the elements named. The same walk measures every touch target (44 × 44 px) and
// checks that no page scrolls sideways; a second walk repeats that at 360 and 1024 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, BASE, PASSWORD, passwordStep, totp } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function context(lang, viewport = { width: 768, height: 1024 }) {
  const ctx = await browser.newContext({ viewport, hasTouch: true, locale: lang === 'pl' ? 'pl-PL' : 'en-GB' });
  await ctx.addCookies([{ name: 'lang', value: lang, url: BASE }]);
  return ctx;
}

async function signedIn(lang, email) {
  const ctx = await context(lang);
  const r = await ctx.request.post(`${BASE}/api/v1/auth/login`, { data: { email, password: PASSWORD } });
  assert.equal(r.status(), 200, `sign-in of ${email}`);
  const page = await ctx.newPage();
  return { ctx, page };
}

/** Opens a page, waits until it has hydrated and its data has arrived. */
async function open(page, path) {
  await page.goto(`${BASE}${path}`);
  await settle(page);
}

async function settle(page) {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 30000 }).catch(() => {});
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 15000 }).catch(() => {});
}

/** axe-core's WCAG 2.1 A and AA rules on what the page shows now. */
async function audit(page, label, problems) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  }, TAGS);
  for (const v of violations) problems.push(`${label}: ${v.id} — ${v.help}: ${v.targets.join(' | ')}`);
  await targets(page, label, problems);
  // A compact header on a tablet: the page, not the navigation, fills the screen.
  const header = await page.evaluate(() => document.querySelector('header.top')?.getBoundingClientRect().height ?? 0);
  if (page.viewportSize().width === 768 && header > 120) problems.push(`${label}: the header is ${Math.round(header)} px high at 768 px wide (at most 120)`);
  // No sideways scroll on a phone, a tablet in portrait and one in landscape.
  const viewport = page.viewportSize();
  for (const width of [360, viewport.width, 1024]) {
    await page.setViewportSize({ width, height: viewport.height });
    await noSidewaysScroll(page, label, problems);
  }
  await page.setViewportSize(viewport);
}

/**
 * Every interactive element at least 44 × 44 CSS px (WCAG 2.5.5), or one of its
 * exceptions: a link inline in a sentence, a control the browser draws (a checkbox or
 * radio counts with its label, which activates it too), or one hidden until focused
 * (the skip link). Names each offender with its text.
 */
async function targets(page, label, problems) {
  const small = await page.evaluate(() => {
    const visible = (r) => r.width > 0 && r.height > 0;
    const out = [];
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=tab]')) {
      if (el.closest('[hidden], .sr-only') || el.classList.contains('skip')) continue;
      let r = el.getBoundingClientRect();
      if (!visible(r)) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      if (el.matches('input[type=checkbox], input[type=radio]')) {
        const lab = el.closest('label') ?? (el.id && document.querySelector(`label[for="${el.id}"]`));
        if (lab) {
          const lr = lab.getBoundingClientRect();
          r = { width: Math.max(r.right, lr.right) - Math.min(r.left, lr.left), height: Math.max(r.bottom, lr.bottom) - Math.min(r.top, lr.top) };
        }
      }
      // Inline: a link inside a run of text (the sentence around it is longer than the link).
      if (el.tagName === 'A' && style.display === 'inline') {
        const block = el.closest('p, li, td, dd, figcaption, .hint');
        if (block && block.innerText.trim().length > el.innerText.trim().length + 3) continue;
      }
      if (r.width < 43.5 || r.height < 43.5) out.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
  for (const s of small) problems.push(`${label}: target under 44×44 px: ${s}`);
}

/** The page never scrolls sideways; wide tables scroll inside themselves. */
async function noSidewaysScroll(page, label, problems) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (over > 0) {
    const culprit = await page.evaluate(() => {
      const w = window.innerWidth;
      const el = [...document.querySelectorAll('main *, header *')].find((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'));
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}` : '?';
    });
    problems.push(`${label}: the page scrolls sideways by ${over} px at ${await page.evaluate(() => window.innerWidth)} px wide (${culprit})`);
  }
}

/** The links of a tab strip, to open each tab in turn. */
async function tabs(page, selector) {
  return page.$$eval(selector, (links) => links.map((a) => a.getAttribute('href')));
}

/** A fresh invitation's link (the page a new colleague opens), made as a coordinator. */
async function invitationLink(lang) {
  return (await invitation(lang)).link;
}

/**
 * The sign-in of a new colleague where the installation requires a second factor:
 * the enrolment step (QR code, key, code field) and the recovery codes shown once,
 * each audited. The setting is switched on by the administrator for this walk only.
 */
async function twoFactorScreens(lang, problems) {
  const admin = await context('pl');
  const me = await (await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { email: 'admin@mops.demo', password: PASSWORD } })).json();
  const setting = (on) => admin.request.put(`${BASE}/api/v1/admin/settings`, { data: { two_factor_required: on }, headers: { 'x-csrf-token': me.csrf_token } });
  const { link, email } = await invitation(lang);
  const ctx = await context(lang);
  try {
    assert.equal((await setting(true)).status(), 200);
    const chosen = await ctx.request.post(`${BASE}/api/v1/account-links/${link.split('/konto/')[1]}`, { data: { password: PASSWORD }, headers: { origin: BASE } });
    assert.equal(chosen.status(), 204, await chosen.text());
    const page = await ctx.newPage();
    await passwordStep(page, BASE, email);
    await page.waitForSelector('#enrol-secret');
    await settle(page);
    await audit(page, `${lang} signing in: the second factor's enrolment`, problems);
    await page.fill('#code', await totp(await page.textContent('#enrol-secret')));
    await page.click('button[type=submit]');
    await page.waitForSelector('#recovery-codes li');
    await audit(page, `${lang} signing in: the recovery codes`, problems);
  } finally {
    await setting(false);
    await ctx.close();
    await admin.close();
  }
}

async function invitation(lang) {
  const ctx = await context('pl');
  const login = await ctx.request.post(`${BASE}/api/v1/auth/login`, { data: { email: 'koordynator@mops.demo', password: PASSWORD } });
  const me = await login.json();
  const m = me.memberships.find((x) => x.role === 'coordinator');
  const r = await ctx.request.post(`${BASE}/api/v1/partnerships/${m.partnership_id}/people`, {
    data: { email: `a11y-${lang}-${Date.now()}@razem.demo`, display_name: 'Osoba Zaproszona', organisation_id: m.partners[0].organisation_id, role: 'key_consultant' },
    headers: { 'x-csrf-token': me.csrf_token },
  });
  assert.equal(r.status(), 200, await r.text());
  const { link, person } = await r.json();
  await ctx.close();
  return { link, email: person.email };
}

async function surveyToken() {
  const ctx = await context('pl');
  const login = await ctx.request.post(`${BASE}/api/v1/auth/login`, { data: { email: 'koordynator@mops.demo', password: PASSWORD } });
  const me = await login.json();
  const partnership = me.memberships.find((m) => m.role === 'coordinator').partnership_id;
  const round = await (await ctx.request.post(`${BASE}/api/v1/partnerships/${partnership}/surveys`, {
    data: { period: new Date().toISOString().slice(0, 7) }, headers: { 'x-csrf-token': me.csrf_token },
  })).json();
  await ctx.close();
  return round;
}

for (const lang of ['pl', 'en']) {
  test(`no WCAG 2.1 AA violation on any page, for any role (${lang})`, { timeout: 600000 }, async () => {
    const problems = [];

    // Signed out: sign-in, and the accessibility statement every footer links to.
    {
      const ctx = await context(lang);
      const page = await ctx.newPage();
      await open(page, '/login');
      await audit(page, `${lang} signed out /login`, problems);
      await page.click('footer a#statement-link');
      await page.waitForURL(/\/deklaracja-dostepnosci$/);
      await page.waitForSelector('#accessibility-statement #a11y-kontakt');
      // The official template's ids and ISO dates, which checking tools read.
      assert.match(await page.textContent('#a11y-data-publikacja'), /^\d{4}-\d{2}-\d{2}$/);
      assert.match(await page.textContent('#a11y-data-sporzadzenie'), /^\d{4}-\d{2}-\d{2}$/);
      await settle(page);
      const statement = await page.textContent('#accessibility-statement');
      for (const part of lang === 'pl'
        ? ['Daty', 'Status pod względem zgodności', 'Przygotowanie deklaracji', 'Informacje zwrotne i dane kontaktowe', 'Procedura wnioskowo-skargowa', 'Aplikacje mobilne']
        : ['Dates', 'Compliance status', 'Preparation of this statement', 'Feedback and contact information', 'Requests and complaints', 'Mobile applications']) {
        assert.ok(statement.includes(part), `the statement has its section "${part}"`);
      }
      await audit(page, `${lang} signed out /deklaracja-dostepnosci`, problems);
      // A new colleague's invitation link, and the same link once it no longer works.
      const link = await invitationLink(lang);
      await open(page, link);
      await page.waitForSelector('#link-form');
      await audit(page, `${lang} signed out ${link.slice(0, 10)}…`, problems);
      await open(page, '/konto/nieaktualny-link');
      await page.waitForSelector('#link-gone');
      await audit(page, `${lang} signed out /konto (expired)`, problems);
      // The first-run page of an installation that has its administrator.
      await open(page, '/setup');
      await page.waitForSelector('#setup-not-needed');
      await audit(page, `${lang} signed out /setup`, problems);
      // "I forgot my password", asked and answered.
      await open(page, '/nie-pamietam-hasla');
      await page.waitForSelector('#forgot-form');
      await audit(page, `${lang} signed out /nie-pamietam-hasla`, problems);
      await ctx.close();
      await twoFactorScreens(lang, problems);
    }

    // A consultant: caseload, lists, the client card with every tab, forms, print, device.
    {
      const { ctx, page } = await signedIn(lang, 'anna.nowak@mops.demo');
      for (const path of ['/', '/clients', '/clients/new', '/account', '/device']) {
        await open(page, path);
        await audit(page, `${lang} consultant ${path}`, problems);
      }
      await open(page, '/');
      const card = await page.$eval('a[href^="/clients/"]:not([href$="/new"])', (a) => a.getAttribute('href'));
      await open(page, card);
      await audit(page, `${lang} consultant ${card}`, problems);
      for (const href of await tabs(page, 'nav.doc-tabs a[data-tab]')) {
        if (href === card) continue;
        await open(page, href);
        await audit(page, `${lang} consultant ${href}`, problems);
      }
      for (const path of [`${card}/edit`, `${card}/print/ipd`, `${card}/print/contract`, `${card}/clause`]) {
        await open(page, path);
        await audit(page, `${lang} consultant ${path}`, problems);
      }
      await ctx.close();
    }

    // A coordinator: dashboard, reports, partnership documents, surveys, access log, devices.
    const round = await surveyToken();
    {
      const { ctx, page } = await signedIn(lang, 'koordynator@mops.demo');
      for (const path of ['/dashboard', '/reports', '/surveys', `/surveys/${round.id}`, `/surveys/${round.id}/slips`, '/audit', '/breaches', '/disposal', '/devices', '/people', '/import', '/partnership']) {
        await open(page, path);
        await audit(page, `${lang} coordinator ${path}`, problems);
      }
      // An authorisation as printed (the demo records everyone's).
      await open(page, '/people');
      await page.waitForSelector('a.print-authorisation');
      const printed = await page.$eval('a.print-authorisation', (a) => a.getAttribute('href'));
      await open(page, printed);
      await page.waitForSelector('article.print-doc[data-doc="authorisation"]');
      await audit(page, `${lang} coordinator /people/…/authorisation`, problems);
      await open(page, '/partnership');
      for (const href of await tabs(page, 'a[data-tab][href^="/partnership?tab="]')) {
        await open(page, href);
        await audit(page, `${lang} coordinator ${href}`, problems);
      }
      // A person's own data (GDPR art. 15 and 20), with its tables and downloads.
      const clients = await (await ctx.request.get(`${BASE}/api/v1/clients?limit=1&status=active`)).json();
      await open(page, `/clients/${clients.items[0].id}/personal-data`);
      await page.waitForSelector('#personal-dane');
      await audit(page, `${lang} coordinator /clients/…/personal-data`, problems);
      // The kiosk a coordinator or consultant hands to respondents.
      await open(page, `/kiosk/${round.token}`);
      await audit(page, `${lang} kiosk`, problems);
      await ctx.close();
    }

    // The installation's administrator: organisations and partnerships, no client.
    {
      const { ctx, page } = await signedIn(lang, 'admin@mops.demo');
      await open(page, '/admin');
      await page.waitForSelector('#partnerships-table');
      await page.waitForSelector('#organisations-table');
      await audit(page, `${lang} administrator /admin`, problems);
      // Correcting an organisation and renaming a partnership: the forms as they open.
      await page.click('#organisations-table tbody tr:first-child button.edit');
      await page.waitForFunction(() => document.querySelector('#organisation_name')?.value !== '');
      await page.click('#partnerships-table tbody tr:first-child button.rename');
      await page.waitForSelector('#rename-form');
      await audit(page, `${lang} administrator /admin, correcting and renaming`, problems);
      await ctx.close();
    }

    // A respondent on a phone.
    {
      const ctx = await context(lang, { width: 390, height: 844 });
      const page = await ctx.newPage();
      await page.goto(`${BASE}/ankieta/${round.token}`);
      await page.waitForLoadState('networkidle').catch(() => {});
      await audit(page, `${lang} respondent /ankieta`, problems);
      assert.equal(await page.getAttribute('footer a', 'href'), '/deklaracja-dostepnosci');
      await ctx.close();
    }

    assert.deepEqual(problems, [], `WCAG 2.1 AA violations:\n${problems.join('\n')}`);
  });
}
