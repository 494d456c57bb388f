import { launch, tablet, ownServer, signInAt, clientLinks, syncState } from './tests/helpers.mjs';
const browser = await launch();
for (let round = 0; round < 3; round++) {
  const server = await ownServer();
  const { context, page } = await tablet(browser);
  page.on('response', (r) => { if (r.status() >= 400) console.log('resp', r.status(), r.url()); });
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.log('nav', f.url()); });
  await signInAt(page, server.base, 'anna.nowak@mops.demo');
  const [href] = await clientLinks(page);
  await page.goto(`${server.base}${href}`);
  await page.waitForSelector('#note-text');
  await syncState(page, 'saved');
  await context.setOffline(true);
  for (let i = 0; i < 25; i++) {
    await page.fill('#note-text', `t ${i}`);
    await page.click('#add-note');
  }
  await page.waitForTimeout(3000);
  const st = await page.$eval('#sync-status', (e) => ({ w: e.getAttribute('data-waiting'), s: e.getAttribute('data-state'), t: e.textContent }));
  const notes = await page.$$eval('.note, #notes li', (l) => l.length).catch(() => -1);
  const text = await page.inputValue('#note-text');
  console.log('round', round, JSON.stringify(st), 'notes shown', notes, 'left in box:', JSON.stringify(text));
  await context.close();
  await server.stop();
}
await browser.close();
