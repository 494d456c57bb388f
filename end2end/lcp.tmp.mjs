import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage();
await p.addInitScript(() => {
  window.__lcp = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp.push([Math.round(e.startTime), e.element?.tagName, e.size, e.element?.textContent?.slice(0, 30)]); }).observe({ type: 'largest-contentful-paint', buffered: true });
});
await p.goto(`http://127.0.0.1:3994${process.argv[2]}`);
await p.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 30000 });
const hyd = await p.evaluate(() => Math.round(performance.now()));
await p.waitForTimeout(1500);
console.log('hydrated by', hyd, JSON.stringify(await p.evaluate(() => window.__lcp)));
await b.close();
