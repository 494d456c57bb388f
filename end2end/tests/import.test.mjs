// Bringing in clients from a spreadsheet (issue 19), as a coordinator does it on a
// tablet: the template downloads; a CSV with a wrong PESEL and a person registered
// already previews row by row (the wrong PESEL named at its column), nothing is
// written until confirmed; the import registers the others, keeps its report, and
// the new people are in the client list; the same file again adds no one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, tablet, ownServer, signInAt, pesel } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 30000 });
}

test('a coordinator previews and imports a client file; the same file twice adds no one', { timeout: 180000 }, async () => {
  const server = await ownServer();
  const { context, page: p } = await tablet(browser);
  try {
    await signInAt(p, server.base, 'koordynator@mops.demo');
    // A person the partnership has registered already.
    const list = await (await context.request.get(`${server.base}/api/v1/clients?limit=50`)).json();
    const registered = list.items.find((c) => c.pesel);
    await p.goto(`${server.base}/import`);
    await hydrated(p);
    await p.waitForSelector('#template-xlsx');
    const template = await context.request.get(`${server.base}${await p.getAttribute('#template-csv', 'href')}`);
    assert.equal(template.status(), 200);
    assert.match(await template.text(), /Nazwisko,Imiona,PESEL/);

    const good = [pesel(1991, 4, 2, 101), pesel(1978, 11, 23, 102, false), pesel(1989, 7, 9, 103)];
    const wrong = good[0].slice(0, 10) + String((Number(good[0][10]) + 1) % 10);
    const csv = '\ufeffNazwisko;Imiona;PESEL;Miejscowość;Zgoda;Data zgody\n'
      + `Zielonka;Maria;${good[0]};Kielce;tak;12.01.2026\n`
      + `Brzoza;Jan;${good[1]};Chęciny;tak;12.01.2026\n`
      + `Topola;Ewa;${good[2]};Kielce;tak;2026-01-12\n`
      + `Błędna;Anna;${wrong};Kielce;tak;2026-01-12\n`
      + `Znana;Osoba;${registered.pesel};Kielce;tak;2026-01-12\n`;
    await p.setInputFiles('#import-file', { name: 'klienci.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.waitForSelector('#import-counts');
    const counts = await p.textContent('#import-counts');
    assert.match(counts, /nowe osoby: 3/);
    assert.match(counts, /już zarejestrowane \(pominięte\): 1/);
    assert.match(counts, /z błędami: 1/);
    const error = p.locator('#import-errors tr[data-row="5"]');
    assert.match(await error.textContent(), /PESEL/);
    assert.equal(await p.inputValue('#map-2'), 'pesel', 'the header recognised');
    // Nothing is written by the preview.
    const before = (await (await context.request.get(`${server.base}/api/v1/clients?limit=1`)).json()).total;
    assert.equal(before, list.total);

    await p.click('#import-confirm');
    await p.waitForSelector('#import-done');
    assert.match(await p.textContent('#import-done'), /nowe osoby: 3/);
    await p.waitForSelector('#import-kept tr td:text("klienci.csv")');
    const after = await (await context.request.get(`${server.base}/api/v1/clients?limit=1&q=zielonka`)).json();
    assert.equal(after.total, 1);

    // The same file again: everyone is registered already or still wrong.
    await p.setInputFiles('#import-file', { name: 'klienci.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.waitForFunction(() => /już zarejestrowane \(pominięte\): 4/.test(document.querySelector('#import-counts')?.textContent ?? ''));
    assert.equal(await p.isDisabled('#import-confirm'), true, 'nothing to import');
    assert.deepEqual(p.errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a coordinator invites a staff list with its own headers: columns mapped on screen, a dry run, then one link per new person', { timeout: 180000 }, async () => {
  const server = await ownServer();
  const { context, page: p } = await tablet(browser);
  const invitee = await tablet(browser);
  try {
    await signInAt(p, server.base, 'koordynator@mops.demo');
    await p.goto(`${server.base}/people`);
    await hydrated(p);
    await p.waitForSelector('#people-table');
    // An export from the HR system: its own headers, and a phone column the list has not.
    const csv = 'Pracownik;Adres służbowy;Jednostka;Stanowisko w projekcie;Telefon\n'
      + 'Karol Doradca;karol@pup.demo;Powiatowy Urząd Pracy w Kielcach (demo);doradca zawodowy;600100200\n'
      + 'Anna Nowak;anna.nowak@mops.demo;Miejski Ośrodek Pomocy Rodzinie w Kielcach (demo);pracownik socjalny;600100201\n'
      + 'Nikt;nikt@pup.demo;Urząd, którego nie ma;doradca zawodowy;600100202\n';
    await p.setInputFiles('#staff-file', { name: 'kadra.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.waitForSelector('#staff-counts');
    assert.match(await p.textContent('#staff-counts'), /do zaproszenia: 0.*z błędami: 3/);
    // Each column given its field on screen; every choice re-runs the dry run.
    for (const [i, field] of [[0, 'display_name'], [1, 'email'], [2, 'organisation'], [3, 'role']]) {
      await p.selectOption(`#staff-map-${i}`, field);
      await p.waitForFunction(([i, field]) => document.querySelector(`#staff-map-${i}`)?.value === field, [i, field]);
    }
    assert.equal(await p.inputValue('#staff-map-4'), '', 'the phone column stays skipped');
    await p.waitForFunction(() => /do zaproszenia: 1.*już w partnerstwie: 1.*z błędami: 1/.test(document.querySelector('#staff-counts')?.textContent ?? ''));
    assert.match(await p.textContent('#staff-rows tr[data-email="nikt@pup.demo"]'), /Jednostka/);
    assert.equal(await p.locator('#people-table tr[data-email="karol@pup.demo"]').count(), 0, 'nothing before confirming');
    await p.click('#staff-confirm');
    await p.waitForSelector('#staff-rows tr[data-email="karol@pup.demo"] input.staff-link');
    const link = await p.inputValue('#staff-rows tr[data-email="karol@pup.demo"] input.staff-link');
    await p.waitForSelector('#people-table tr[data-email="karol@pup.demo"][data-state="invited"]');

    const q = invitee.page;
    await q.goto(link);
    await hydrated(q);
    await q.fill('#password', 'hasło karola 2026!');
    await q.fill('#repeat', 'hasło karola 2026!');
    await q.click('#link-form button[type=submit]');
    await q.waitForSelector('#link-done');
    await signInAt(q, server.base, 'karol@pup.demo', 'hasło karola 2026!');
    await q.waitForSelector('#caseload-count');
  } finally {
    await context.close();
    await invitee.context.close();
    await server.stop();
  }
});
