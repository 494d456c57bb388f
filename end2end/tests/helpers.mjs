// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const PASSWORD = 'demo-sciezka-2026';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A tablet in portrait, with touch. */
export async function tablet(browser) {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'pl-PL' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return { context, page };
}

/** Signs in through the form: works only once the page has hydrated. */
export async function signIn(page, email) {
  await page.goto(`${BASE}/login`);
  // Typing before the wasm has hydrated the form would post it natively instead.
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

/** A valid fictional PESEL for a date and serial. */
export function pesel(year, month, day, serial, female = true) {
  const mm = month + (year >= 2000 ? 20 : 0);
  const sexDigit = female ? (serial % 5) * 2 : (serial % 5) * 2 + 1;
  const body = [year % 100, mm, day].map((n) => String(n).padStart(2, '0')).join('') + String(serial % 1000).padStart(3, '0') + sexDigit;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + String((10 - (sum % 10)) % 10);
}
