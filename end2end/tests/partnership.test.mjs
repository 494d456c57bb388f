// The partnership's own documents in Chromium: the agreement of three organisations
// written and signed from three accounts (in force only when all signed), a partner's
// withdrawal refused too late and accepted in time (the others continue), an
// organisation added later joining by an accession the partners consent to, the action
// plan drafted offline with its Gantt chart edited by touch, surviving a reload, sent
// when the server is back and printed; another partnership's user gets nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, shellCached, unlock, pdfText, nav, PASSWORD } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;
const iso = (d) => d.toISOString().slice(0, 10);
const days = (n) => new Date(Date.now() + n * 86400000);

/** A JSON request from a signed-in page, with its CSRF token; returns status and body. */
async function call(page, method, url, body) {
  return page.evaluate(async ([method, url, body]) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('sciezka_csrf='))?.split('=')[1];
    const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [method, url, body]);
}

async function openAgreement(page, base) {
  await page.goto(`${base}/partnership?tab=agreement`);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.waitForSelector('#agreement-state');
}

test('three partners sign the agreement, one withdraws too late and another in time; the plan is drafted offline with its Gantt chart by touch', async () => {
  const server = await ownServer();
  const ops = await tablet(browser);
  const pup = await tablet(browser);
  const ngo = await tablet(browser);
  try {
    await signInAt(ops.page, server.base, 'koordynator@mops.demo');
    await nav(ops.page, '/partnership');
    await ops.page.waitForSelector('section.doc[data-doc="agreement"] #pd-status');
    assert.equal(await ops.page.getAttribute('#agreement-state', 'data-state'), 'draft');
    const p = ops.page;
    await p.fill('#f-date', iso(days(0)));
    await p.fill('#f-place', 'Kielce');
    await p.fill('#f-service', `Integracja społeczno-zawodowa ${stamp}`);
    await p.fill('#f-period_from', iso(days(0)));
    await p.check('#f-indefinite');
    const parties = p.locator('fieldset.party');
    assert.equal(await parties.count(), 3, 'the three member organisations are the parties');
    for (let i = 0; i < 3; i++) {
      const f = parties.nth(i);
      const name = await f.locator('legend').textContent();
      // The NGO's tasks start in 40 days; the others' started 10 days ago.
      const late = /Razem|Stowarzyszenie/i.test(name);
      await f.locator('input[id$="-seat"]').fill('Kielce');
      await f.locator('input[id$="-regon"]').fill('123456785');
      await f.locator('input[id$="-representative"]').fill(`Dyrektor ${i}`);
      await f.locator('input[id$="-function"]').fill('Dyrektor');
      await f.locator('textarea[id$="-obligations"]').fill(`Zadania partnera ${i}`);
      await f.locator('input[id$="-tasks_from"]').fill(iso(days(late ? 40 : -10)));
      await f.locator('input[id$="-tasks_to"]').fill(iso(days(300)));
    }
    await p.waitForSelector('#pd-status[data-state="saved"]', { timeout: 20000 });

    // Each partner signs from its own account; in force only after the third.
    await p.click('#signatures button.sign');
    await p.waitForSelector('#agreement-state[data-state="signing"]');
    assert.equal(await p.locator('#f-service').isDisabled(), true, 'a signed text changes only by amendment');
    for (const [t, email] of [[pup, 'piotr.lis@pup.demo'], [ngo, 'ewa.zajac@razem.demo']]) {
      await signInAt(t.page, server.base, email);
      await openAgreement(t.page, server.base);
      await t.page.tap('#signatures button.sign');
      await t.page.waitForSelector('#signatures li[data-signed="true"] >> nth=1');
    }
    await ngo.page.waitForSelector('#agreement-state[data-state="in_force"]');

    // Withdrawal: the PUP's tasks are under way, so today is too late; the NGO's start in 40 days.
    await pup.page.reload();
    await pup.page.waitForSelector('#withdraw');
    await pup.page.click('#withdraw');
    await pup.page.waitForFunction(() => /30 dni przed rozpoczęciem/.test(document.querySelector('#agreement-error')?.textContent ?? ''));
    await ngo.page.click('#withdraw');
    await ngo.page.waitForSelector('#signatures li:has-text("Wystąpił z umowy")');
    assert.equal(await ngo.page.getAttribute('#agreement-state', 'data-state'), 'in_force', 'the agreement goes on among the others');

    // An organisation registered and added to the partnership after signing joins by an
    // accession: the coordinator proposes it on screen, the bound partners (OPS, PUP)
    // consent, and a person of the newcomer signs it.
    const admin = await tablet(browser);
    const newcomer = await tablet(browser);
    try {
      await signInAt(admin.page, server.base, 'admin@mops.demo');
      const name = `Fundacja Nowy Start ${stamp}`;
      const org = await call(admin.page, 'POST', '/api/v1/admin/organisations', { name, org_type: 'ngo', seat: 'Skarżysko-Kamienna', regon: '123456785' });
      assert.equal(org.status, 201, JSON.stringify(org.body));
      const local = await p.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).memberships[0].partnership_id);
      assert.equal((await call(p, 'POST', `/api/v1/partnerships/${local}/members`, { organisation_id: org.body.id })).status, 200);
      const email = `fundacja-${stamp}@nowystart.demo`;
      const invited = await call(p, 'POST', `/api/v1/partnerships/${local}/people`, { email, display_name: 'Ewa Lis', organisation_id: org.body.id, role: 'key_consultant' });
      assert.equal(invited.status, 200, JSON.stringify(invited.body));
      const token = invited.body.link.split('/konto/')[1];
      const chosen = await newcomer.context.request.post(`${server.base}/api/v1/account-links/${token}`, { data: { password: PASSWORD }, headers: { origin: server.base } });
      assert.equal(chosen.status(), 204, await chosen.text());

      await openAgreement(p, server.base);
      await p.waitForSelector('#accession');
      await p.selectOption('#acc-organisation_id', { label: name });
      await p.fill('#acc-representative', 'Ewa Lis');
      await p.fill('#acc-function', 'Prezes Zarządu');
      await p.fill('#acc-tasks_from', iso(days(45)));
      // What the newcomer undertakes is required: refused at its field, nothing recorded.
      await p.click('#accede');
      await p.waitForFunction(() => (document.querySelector('#acc-obligations-error')?.textContent ?? '').length > 0);
      assert.equal(await p.getAttribute('#acc-obligations', 'aria-invalid'), 'true');
      assert.equal(await p.locator('#amendments li[data-joining]').count(), 0);
      await p.fill('#acc-obligations', `Klub Integracji Społecznej ${stamp}`);
      await p.click('#accede');
      const accession = p.locator('#amendments li[data-joining]');
      await accession.waitFor();
      assert.match(await accession.textContent(), new RegExp(`Do Umowy przystępuje ${name}`));
      await accession.locator('button.consent').click();
      await p.waitForFunction(() => /\(podpis\)/.test(document.querySelector('#amendments li[data-joining] .note-meta')?.textContent ?? ''));
      await openAgreement(pup.page, server.base);
      await pup.page.locator('#amendments li[data-joining] button.consent-email').tap();
      await pup.page.waitForFunction(() => /e-mail/.test(document.querySelector('#amendments li[data-joining] .note-meta')?.textContent ?? ''));
      assert.equal(await pup.page.getAttribute('#amendments li[data-joining]', 'data-in-effect'), 'false', 'waits for the newcomer to sign');
      await signInAt(newcomer.page, server.base, email);
      await openAgreement(newcomer.page, server.base);
      await newcomer.page.locator('#amendments li[data-joining] button.sign-accession').tap();
      await newcomer.page.waitForSelector('#amendments li[data-joining][data-in-effect="true"]');
      await newcomer.page.waitForSelector('#signatures li[data-joined="true"]');
      assert.match(await newcomer.page.textContent('#signatures li[data-joined="true"]'), new RegExp(`${name}.*przystąpiła do umowy aneksem`));
    } finally {
      await admin.context.close();
      await newcomer.context.close();
    }

    // Print the agreement: every party with a signature line, and the accession.
    await p.reload();
    await p.waitForSelector('#print-agreement');
    await p.emulateMedia({ media: 'print' });
    const agreementPdf = await pdfText(await p.pdf({ format: 'A4', printBackground: true }));
    await p.emulateMedia({ media: 'screen' });
    for (const want of ['Umowa Współpracy Partnerskiej', `Integracja społeczno-zawodowa ${stamp}`, 'nie pociąga za sobą żadnych przepływów pieniężnych', 'nie później niż na 30 dni', 'Dyrektor 2',
      'Aneksy do Umowy', 'Aneks nr 1']) {
      assert.ok(agreementPdf.text.includes(want), `the agreement PDF lacks ${want}`);
    }

    // The action plan, drafted with the server gone.
    await p.goto(`${server.base}/partnership?tab=plan`);
    await p.waitForSelector('section.doc[data-doc="plan"] #pd-status');
    await shellCached(p);
    await server.stop();
    await p.fill('#f-goals_now', `Zatrudnienie 5 osób ${stamp}`);
    await p.fill('#f-period_from', '2027-01');
    await p.fill('#f-period_to', '2027-06');
    await p.tap('#f-schedule > button.add-row');
    const activity = p.locator('#f-schedule li.row-item').last();
    await activity.locator('input[id$="-name"]').fill(`Rekrutacja ${stamp}`);
    // By touch: the first tap starts the bar, a later month ends it.
    const row = p.locator('#gantt-editor tr[data-activity]').last();
    await row.locator('button[data-month="2027-02"]').tap();
    await row.locator('button[data-month="2027-04"]').tap();
    for (const [m, on] of [['2027-01', 'false'], ['2027-02', 'true'], ['2027-03', 'true'], ['2027-04', 'true'], ['2027-05', 'false']]) {
      assert.equal(await row.locator(`button[data-month="${m}"]`).getAttribute('aria-pressed'), on, m);
    }
    // A milestone in June.
    await p.tap('#f-schedule > button.add-row');
    const milestone = p.locator('#f-schedule li.row-item').last();
    await milestone.locator('input[id$="-name"]').fill('Konferencja podsumowująca');
    await milestone.locator('label:has-text("Kamień milowy")').tap();
    await p.locator('#gantt-editor tr[data-activity]').last().locator('button[data-month="2027-06"]').tap();
    await p.waitForSelector('#pd-status[data-state="waiting"]');
    await p.waitForTimeout(800);
    await p.reload();
    await unlock(p);
    await p.waitForSelector('#f-goals_now');
    assert.equal(await p.inputValue('#f-goals_now'), `Zatrudnienie 5 osób ${stamp}`);
    assert.equal(await p.locator('#gantt-editor tr[data-activity]').first().locator('button[data-month="2027-03"]').getAttribute('aria-pressed'), 'true');
    await server.start();
    await p.waitForSelector('#pd-status[data-state="saved"]', { timeout: 40000 });

    // Printed: the plan with its Gantt chart.
    await p.emulateMedia({ media: 'print' });
    const planPdf = await pdfText(await p.pdf({ format: 'A4', printBackground: true }));
    await p.emulateMedia({ media: 'screen' });
    for (const want of ['Plan Działania Partnerstwa', `Zatrudnienie 5 osób ${stamp}`, 'X. Harmonogram działań', `Rekrutacja ${stamp}`, 'Konferencja podsumowująca']) {
      assert.ok(planPdf.text.includes(want), `the plan PDF lacks ${want}`);
    }
    assert.ok(planPdf.pages >= 2, 'the chart prints on a page of its own');

    // Another partnership's coordinator gets nothing of it.
    const other = await tablet(browser);
    try {
      await signInAt(other.page, server.base, 'koordynator@owes.demo');
      const local = await p.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).memberships[0].partnership_id);
      const status = await other.page.evaluate(async (u) => (await fetch(u)).status, `/api/v1/partnerships/${local}/docs/plan`);
      assert.equal(status, 404);
    } finally {
      await other.context.close();
    }
    for (const t of [ops, pup, ngo]) assert.deepEqual(t.page.errors, []);
  } finally {
    for (const t of [ops, pup, ngo]) await t.context.close();
    await server.stop();
  }
});
