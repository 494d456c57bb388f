// Documents saved whole (the monthly report's narrative, the partnership's documents)
// on two devices at once: the same field written on both, one of them cut off from
// the network. The second device's save meets the first one's text: both are shown
// side by side with the same table on either page, nothing is sent until the person
// chooses, and the choice is what the server keeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;

async function partnershipOf(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).memberships.find((m) => ['coordinator', 'administrator'].includes(m.role)).partnership_id);
}

/** Writes `field` on device `b` while it is offline and on `a` meanwhile; `b` comes back. */
async function clash(a, b, { open, ready, field, status, mine, theirs }) {
  for (const d of [a, b]) {
    await open(d.page);
    await d.page.waitForSelector(ready);
  }
  await b.context.setOffline(true);
  await b.page.fill(field, mine);
  await b.page.waitForSelector(`${status}[data-state="waiting"]`);
  await a.page.fill(field, theirs);
  await a.page.waitForSelector(`${status}[data-state="saved"]`, { timeout: 20000 });
  await b.context.setOffline(false);
  await b.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await b.page.waitForSelector(`${status}[data-state="conflict"]`, { timeout: 40000 });
}

test('two devices write the same report section and the same plan field: both texts side by side, the person chooses, the server keeps the choice', async () => {
  const server = await ownServer();
  const a = await tablet(browser);
  const b = await tablet(browser);
  try {
    for (const d of [a, b]) await signInAt(d.page, server.base, 'koordynator@mops.demo');
    const p = await partnershipOf(a.page);

    // The report: the other device's text is taken.
    await clash(a, b, {
      open: (page) => nav(page, '/reports'),
      ready: '#rn-risks', field: '#rn-risks', status: '#report-status',
      mine: `Zima, mało ofert ${stamp}`, theirs: `Brak transportu ${stamp}`,
    });
    const row = b.page.locator('#report-conflicts tr[data-field="risks"]');
    assert.match(await row.locator('th').textContent(), /zagrożenia \/ ryzyka/, 'the section is named as on the form');
    assert.equal(await row.locator('.mine').textContent(), `Zima, mało ofert ${stamp}`);
    assert.equal(await row.locator('.theirs').textContent(), `Brak transportu ${stamp}`);
    assert.equal(await b.page.inputValue('#rn-risks'), `Zima, mało ofert ${stamp}`, 'the person\'s text stays in the form');
    await row.locator('.take-theirs').click();
    await b.page.waitForSelector('#report-conflicts', { state: 'detached' });
    assert.equal(await b.page.inputValue('#rn-risks'), `Brak transportu ${stamp}`);
    const month = await b.page.inputValue('#report-month');
    const report = await b.page.evaluate(async (u) => (await (await fetch(u)).json()).narrative, `/api/v1/partnerships/${p}/reports/${month}`);
    assert.equal(report.risks, `Brak transportu ${stamp}`);

    // The plan: the same table; this time the person keeps their own text, and it is sent.
    await clash(a, b, {
      open: (page) => page.goto(`${server.base}/partnership?tab=plan`),
      ready: 'section.doc[data-doc="plan"] #f-goals_now', field: '#f-goals_now', status: '#pd-status',
      mine: `Zatrudnienie 6 osób ${stamp}`, theirs: `Zatrudnienie 4 osób ${stamp}`,
    });
    const prow = b.page.locator('#pd-conflicts tr[data-field="goals_now"]');
    assert.equal(await prow.locator('.mine').textContent(), `Zatrudnienie 6 osób ${stamp}`);
    assert.equal(await prow.locator('.theirs').textContent(), `Zatrudnienie 4 osób ${stamp}`);
    await prow.locator('.keep-mine').click();
    await b.page.waitForSelector('#pd-status[data-state="saved"]', { timeout: 20000 });
    const plan = await b.page.evaluate(async (u) => (await (await fetch(u)).json()).data, `/api/v1/partnerships/${p}/docs/plan`);
    assert.equal(plan.goals_now, `Zatrudnienie 6 osób ${stamp}`);
    assert.deepEqual([...a.page.errors, ...b.page.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
    await server.stop();
  }
});
