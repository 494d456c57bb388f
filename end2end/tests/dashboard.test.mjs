// The coordinator's dashboard in Chromium: caseloads against the limit, an IPD task a
// consultant's device synced showing as overdue with a link to the IPD, filters, the
// indicators table and the latest survey round from the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, signInAt, ownServer, uuidv5, nav } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now() % 100000;

const TASK = `Zaświadczenie o niekaralności ${stamp}`;

test('a coordinator sees caseloads, an overdue IPD task with its link, indicators and the survey', async () => {
  const server = await ownServer();
  const consultant = await tablet(browser);
  const coord = await tablet(browser);
  try {
    // A consultant's device syncs an IPD whose task ended yesterday, and an effect.
    await signInAt(consultant.page, server.base, 'anna.nowak@mops.demo');
    const firstClient = await consultant.page.evaluate(async () => (await (await fetch('/api/v1/sync/caseload')).json()).clients[0].id);
    const ipdId = await uuidv5(firstClient, 'ipd');
    const client = await consultant.page.evaluate(async ({ task, ipdId }) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('sciezka_csrf='))?.split('=')[1];
      const caseload = await (await fetch('/api/v1/sync/caseload')).json();
      const c = caseload.clients[0];
      const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
      const mutations = [{
        id: crypto.randomUUID(), written_at: Date.now(), op: 'create', doc_type: 'ipd', doc_id: ipdId,
        data: { client_id: c.id, date: day(-20), goal: 'Praca', social: { tasks_ops: [{ id: 't1', task, owner: 'ops', from: day(-20), to: day(-1) }] } },
      }];
      const r = await (await fetch('/api/v1/sync/push', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ device_id: crypto.randomUUID(), mutations }),
      })).json();
      return { id: c.id, status: JSON.stringify(r.results[0].outcome) };
    }, { task: TASK, ipdId });
    assert.match(client.status, /applied/);

    await signInAt(coord.page, server.base, 'koordynator@mops.demo');
    await nav(coord.page, '/dashboard');
    await coord.page.waitForSelector('#dash-caseloads tbody tr');
    // The consultant one client from the limit leads the list (none is over it).
    const first = await coord.page.textContent('#dash-caseloads tbody tr:first-child');
    assert.match(first, /Ewa Zając/);
    assert.match(first, /14 \/ 15/);
    const due = coord.page.locator('#dash-due tr', { hasText: TASK });
    await due.waitFor();
    assert.match(await due.textContent(), /zaległe/);
    assert.match(await due.textContent(), /Anna Nowak/);
    // The survey of last month from the demo data.
    assert.match(await coord.page.textContent('#dash-survey'), /9/);
    assert.equal(await coord.page.locator('#dash-indicators tbody tr').count(), 10);

    // Filter to another consultant: the task is not theirs.
    const ewa = await coord.page.$eval('#dash-consultant', (s) => [...s.options].find((o) => o.textContent.includes('Ewa'))?.value);
    await coord.page.selectOption('#dash-consultant', ewa);
    await coord.page.waitForFunction((t) => !document.body.textContent.includes(t), TASK);
    await coord.page.selectOption('#dash-consultant', '');
    await due.waitFor();

    // The link opens the client's IPD.
    await due.locator('a').click();
    await coord.page.waitForURL(/\/clients\/.+\?tab=ipd/);
    await coord.page.waitForSelector('section.doc[data-doc="ipd"]');
    assert.deepEqual(coord.page.errors, []);
  } finally {
    await consultant.context.close();
    await coord.context.close();
    await server.stop();
  }
});
