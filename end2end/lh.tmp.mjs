import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
const [base, path, email] = process.argv.slice(2);
const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo-sciezka-2026' }) });
const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
let url = `${base}${path}`;
if (path === 'card') {
  const c = await (await fetch(`${base}/api/v1/clients?limit=1`, { headers: { cookie } })).json();
  url = `${base}/clients/${c.items[0].id}`;
}
const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], extraHeaders: { Cookie: cookie } });
for (const id of ['layout-shifts', 'largest-contentful-paint-element', 'bootup-time', 'long-tasks']) {
  const a = lhr.audits[id]; if (!a) continue;
  console.log('==', id, a.displayValue ?? '');
  for (const item of (a.details?.items ?? []).slice(0, 6)) console.log(JSON.stringify(item).slice(0, 400));
}
await chrome.kill();
