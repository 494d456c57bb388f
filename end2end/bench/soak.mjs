// The soak of `.ci/bench.sh` (issue 16): a bounded mixed load against one or more
// server processes on one database — 100 devices syncing, 20 coordinators reading the
// dashboard and the client list, respondents answering a survey — then errors, p95 per
// endpoint and the servers' resident memory over the run.
// Usage: node bench/soak.mjs <seconds> <pid,pid…> <base> [<base>…]
// People are spread over the bases as a proxy would spread them; a session made on one
// process is used on every other (sessions live in the database).
import { readFileSync } from 'node:fs';

const [seconds, pidList, ...bases] = process.argv.slice(2);
const duration = Number(seconds) * 1000;
const pids = pidList.split(',');
const PASSWORD = 'demo-sciezka-2026';
const DEVICES = 100;
const COORDINATORS = 20;
const RESPONDENTS = 10;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms) => ms / 2 + Math.random() * ms;
const uuid = () => crypto.randomUUID();
const base = (i) => bases[i % bases.length];

const latencies = new Map();
const errors = new Map();
function record(endpoint, ms, error) {
  if (!latencies.has(endpoint)) latencies.set(endpoint, []);
  latencies.get(endpoint).push(ms);
  if (error) errors.set(`${endpoint}: ${error}`, (errors.get(`${endpoint}: ${error}`) ?? 0) + 1);
}

async function call(endpoint, url, init = {}) {
  const t = performance.now();
  try {
    const r = await fetch(url, init);
    const body = await r.text();
    record(endpoint, performance.now() - t, r.ok ? null : `HTTP ${r.status}`);
    return r.ok ? JSON.parse(body || 'null') : null;
  } catch (e) {
    record(endpoint, performance.now() - t, e.cause?.code ?? e.message);
    return null;
  }
}

async function signIn(email, i) {
  const r = await fetch(`${base(i)}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`sign-in of ${email}: HTTP ${r.status}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf, memberships } = await r.json();
  return { cookie, csrf, memberships, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' } };
}

const until = Date.now() + duration;
const running = () => Date.now() < until;

async function device(n) {
  const who = ['anna.nowak@mops.demo', 'ewa.zajac@razem.demo', 'piotr.lis@pup.demo'][n % 3];
  const s = await signIn(who, n);
  const device = uuid();
  let clients = (await call('GET /api/v1/sync/caseload', `${base(n + 1)}/api/v1/sync/caseload`, { headers: s.headers }))?.clients ?? [];
  let round = 0;
  await sleep(Math.random() * 5000);
  while (running()) {
    if (clients.length) {
      const mutations = Array.from({ length: 1 + (round % 3) }, (_, j) => ({
        id: uuid(), written_at: Date.now(), op: 'add_note', note_id: uuid(),
        client_id: clients[(n + round + j) % clients.length].id, text: `Wizyta urządzenia ${n}, wpis ${round}.${j}`,
      }));
      const res = await call('POST /api/v1/sync/push', `${base(n + round)}/api/v1/sync/push`, {
        method: 'POST', headers: s.headers, body: JSON.stringify({ device_id: device, mutations }),
      });
      for (const r of res?.results ?? []) if (r.outcome.status !== 'applied') record('POST /api/v1/sync/push', 0, `outcome ${r.outcome.status}`);
    }
    if (round % 6 === 5) {
      clients = (await call('GET /api/v1/sync/caseload', `${base(n + round)}/api/v1/sync/caseload`, { headers: s.headers }))?.clients ?? clients;
    }
    round += 1;
    await sleep(jitter(5000));
  }
}

async function coordinator(n) {
  const s = await signIn(['koordynator@mops.demo', 'koordynator@owes.demo'][n % 2], n);
  const partnership = s.memberships.find((m) => m.role === 'coordinator').partnership_id;
  let round = 0;
  await sleep(Math.random() * 5000);
  while (running()) {
    await call('GET /api/v1/partnerships/{id}/dashboard', `${base(n + round)}/api/v1/partnerships/${partnership}/dashboard`, { headers: s.headers });
    if (round % 3 === 2) await call('GET /api/v1/clients', `${base(n + round)}/api/v1/clients?limit=50`, { headers: s.headers });
    round += 1;
    await sleep(jitter(5000));
  }
}

const pick = (list, i) => list[i % list.length];
function answer(i) {
  const choices = {
    q1: [pick(['yes', 'no'], i)], q3: [pick(['yes', 'no'], i >> 1)], q4: [pick(['qualifications', 'education', 'experience', 'age'], i)],
    q5: ['trainings'], q6: [pick(['pup', 'ops', 'ngo', 'friends'], i)], q7: ['adequate'], q9: ['variety'], q10: ['wellbeing'],
    q11: [pick(['yes', 'no'], i)], q12: [pick(['def_yes', 'rather_yes', 'rather_no', 'def_no', 'dont_know'], i)],
    sex: [pick(['woman', 'man'], i)], age: [pick(['18_30', '31_45', '46_65'], i)], education: [pick(['primary', 'higher'], i)],
    place: [pick(['town', 'village'], i)], marital: [pick(['single', 'married'], i)], children: [pick(['none', 'one'], i)],
    household: [pick(['one', 'two_three'], i)], income: [pick(['benefits', 'work'], i)],
  };
  if (choices.q1[0] === 'yes') choices.q2 = ['2to5'];
  return { id: uuid(), answer: { choices, texts: { q8: `Oczekuję pomocy ${i}` } } };
}

async function respondent(n, token) {
  let i = n;
  await sleep(Math.random() * 3000);
  while (running()) {
    await call('POST /api/v1/survey/{token}/answers', `${base(n + i)}/api/v1/survey/${token}/answers`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer(i)),
    });
    i += RESPONDENTS;
    await sleep(jitter(3000));
  }
}

function rss() {
  return pids.map((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
    } catch {
      return NaN;
    }
  });
}

const owner = await signIn('koordynator@mops.demo', 0);
const partnership = owner.memberships.find((m) => m.role === 'coordinator').partnership_id;
const month = new Date().toISOString().slice(0, 7);
// Opening the month's round again returns it, so a second run uses the same round.
const surveyRound = await (await fetch(`${bases[0]}/api/v1/partnerships/${partnership}/surveys`, { method: 'POST', headers: owner.headers, body: JSON.stringify({ period: month }) })).json();

const samples = [];
const sampler = setInterval(() => samples.push({ at: Date.now(), rss: rss() }), 10_000);
samples.push({ at: Date.now(), rss: rss() });
const t0 = Date.now();
await Promise.all([
  ...Array.from({ length: DEVICES }, (_, n) => device(n)),
  ...Array.from({ length: COORDINATORS }, (_, n) => coordinator(n)),
  ...Array.from({ length: RESPONDENTS }, (_, n) => respondent(n, surveyRound.token)),
]);
clearInterval(sampler);
samples.push({ at: Date.now(), rss: rss() });
await call('POST /api/v1/surveys/{id}/close', `${bases[0]}/api/v1/surveys/${surveyRound.id}/close`, { method: 'POST', headers: owner.headers, body: '{}' });
// Every process counts what it holds once it notices the close (within 5 s).
await sleep(6000);
const results = await call('GET /api/v1/surveys/{id}/results', `${bases[0]}/api/v1/surveys/${surveyRound.id}/results`, { headers: owner.headers });

const label = `${bases.length} server process${bases.length > 1 ? 'es' : ''}`;
let total = 0;
for (const [endpoint, times] of [...latencies].sort()) {
  times.sort((a, b) => a - b);
  total += times.length;
  const p = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))].toFixed(1);
  console.log(`soak (${label}) ${endpoint.padEnd(44)} ${String(times.length).padStart(6)} requests  p50 ${p(0.5).padStart(7)} ms  p95 ${p(0.95).padStart(7)} ms  max ${p(1).padStart(7)} ms`);
}
const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
console.log(`soak (${label}): ${total} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${errorCount} errors${errorCount ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ''}; survey answers sent ${latencies.get('POST /api/v1/survey/{token}/answers')?.length ?? 0}, counted at the close ${results?.current?.respondents}`);
// Memory: a sample every 10 s. A single sample moves with the answers in flight at
// that instant (a caseload answer is a few MiB), so growth compares the median of the
// two minutes after the first (pools and caches warm) with the median of the last two.
const warm = samples.find((s) => s.at - t0 >= 60_000) ?? samples[0];
const last = samples[samples.length - 1];
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v.length ? v[Math.floor(v.length / 2)] : NaN; };
const end = last.at;
const early = samples.filter((s) => s.at - t0 >= 60_000 && s.at - t0 < 180_000);
const late = samples.filter((s) => end - s.at < 120_000 && s.at - t0 >= 180_000);
pids.forEach((pid, k) => {
  const peak = Math.max(...samples.map((s) => s.rss[k]).filter(Number.isFinite));
  const single = ((last.rss[k] - warm.rss[k]) / warm.rss[k]) * 100;
  const [a, b] = [median((early.length ? early : [warm]).map((s) => s.rss[k])), median((late.length ? late : [last]).map((s) => s.rss[k]))];
  const growth = ((b - a) / a) * 100;
  // The curve, a point every tenth of the run: flat, still warming, or climbing.
  const curve = Array.from({ length: 11 }, (_, i) => samples[Math.min(samples.length - 1, Math.round((i * (samples.length - 1)) / 10))].rss[k].toFixed(0)).join(' ');
  console.log(`soak (${label}) server ${k + 1} RSS: ${samples[0].rss[k].toFixed(0)} MiB at start, median ${a.toFixed(0)} MiB in minutes 2-3, median ${b.toFixed(0)} MiB in the last 2 minutes (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %)${growth > 10 ? ' — GROWING' : ''}; single samples ${warm.rss[k].toFixed(0)} MiB after 1 min and ${last.rss[k].toFixed(0)} MiB at the end (${single >= 0 ? '+' : ''}${single.toFixed(1)} %), peak ${peak.toFixed(0)} MiB; MiB over the run: ${curve}`);
});
if (errorCount) process.exitCode = 1;
