// Lighthouse for `.ci/bench.sh` (issues 17 and 18): the mobile profile (a mid-range
// phone on a slow 4G link, simulated) on the sign-in page, a consultant's caseload, a
// client card and the public survey, with Debian's Chromium. Prints performance and
// accessibility per page, and every accessibility audit that failed.
// Usage: node bench/lighthouse.mjs <base>
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { writeFile } from 'node:fs/promises';

const [base] = process.argv.slice(2);
const PASSWORD = 'demo-sciezka-2026';

async function signIn(email) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`sign-in of ${email}: HTTP ${r.status}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf, memberships } = await r.json();
  return { cookie, memberships, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' } };
}

const consultant = await signIn('anna.nowak@mops.demo');
const clients = await (await fetch(`${base}/api/v1/clients?limit=1`, { headers: consultant.headers })).json();
const client = clients.items[0].id;
// An open round of this month for the public link, as a coordinator opens one.
const coordinator = await signIn('koordynator@mops.demo');
const partnership = coordinator.memberships.find((m) => m.role === 'coordinator').partnership_id;
const month = new Date().toISOString().slice(0, 7);
const rounds = await (await fetch(`${base}/api/v1/partnerships/${partnership}/surveys`, { headers: coordinator.headers })).json();
let round = rounds.find((r) => r.period === month && r.open);
if (!round) {
  const r = await fetch(`${base}/api/v1/partnerships/${partnership}/surveys`, { method: 'POST', headers: coordinator.headers, body: JSON.stringify({ period: month }) });
  round = await r.json();
}

const pages = [
  ['sign-in', `${base}/login`, null],
  ['caseload', `${base}/`, consultant.cookie],
  ['client card', `${base}/clients/${client}`, consultant.cookie],
  ['public survey', `${base}/ankieta/${round.token}`, null],
];

const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
let failed = false;
try {
  for (const [name, url, cookie] of pages) {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], extraHeaders: cookie ? { Cookie: cookie } : undefined };
    // The first run of a fresh browser can fail to paint in time; one retry.
    let { lhr } = await lighthouse(url, flags);
    if (lhr.runtimeError) ({ lhr } = await lighthouse(url, flags));
    if (lhr.runtimeError) console.log(`    ${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const metric = (id) => lhr.audits[id]?.displayValue ?? '?';
    console.log(`lighthouse (mobile) ${name.padEnd(13)} performance ${String(score('performance')).padStart(3)}  accessibility ${String(score('accessibility')).padStart(3)}`
      + `  FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}`);
    // LIGHTHOUSE_REPORTS=<dir> keeps each page's whole report, for a diagnosis.
    if (process.env.LIGHTHOUSE_REPORTS) {
      await writeFile(`${process.env.LIGHTHOUSE_REPORTS}/${name.replaceAll(' ', '-')}.json`, JSON.stringify(lhr));
    }
    const refs = lhr.categories.accessibility?.auditRefs ?? [];
    for (const ref of refs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        failed = true;
        console.log(`    accessibility audit failed: ${a.id} — ${a.title}`);
      }
    }
  }
} finally {
  await chrome.kill();
}
process.exitCode = failed ? 1 : 0;
