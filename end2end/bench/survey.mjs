// Survey figures for `.ci/bench.sh`: submissions per second on the public endpoint
// (10,000 answers from 32 concurrent senders) and the time to compute the results of
// a round holding them. Usage: node bench/survey.mjs <base> <email> <password>
const [base, email, password] = process.argv.slice(2);

async function signIn() {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await r.json();
  return { cookie, csrf };
}

const s = await signIn();
const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' };
const me = await (await fetch(`${base}/api/v1/auth/me`, { headers })).json();
const partnership = me.memberships.find((m) => m.role === 'coordinator').partnership_id;
const round = await (await fetch(`${base}/api/v1/partnerships/${partnership}/surveys`, { method: 'POST', headers, body: JSON.stringify({ period: '2026-11' }) })).json();

const pick = (list, i) => list[i % list.length];
function answer(i) {
  const choices = {
    q1: [pick(['yes', 'no'], i)], q3: [pick(['yes', 'no'], i >> 1)], q4: [pick(['qualifications', 'education', 'experience', 'age'], i)],
    q5: ['trainings', pick(['legal', 'internships', 'childcare'], i)], q6: [pick(['pup', 'ops', 'ngo', 'friends'], i)],
    q7: [pick(['overloaded', 'adequate', 'narrow'], i)], q9: ['variety'], q10: ['self_belief', 'wellbeing'], q11: [pick(['yes', 'no'], i)],
    q12: [pick(['def_yes', 'rather_yes', 'rather_no', 'def_no', 'dont_know'], i)],
    sex: [pick(['woman', 'man'], i)], age: [pick(['18_30', '31_45', '46_65'], i)], education: [pick(['primary', 'higher'], i)],
    place: [pick(['town', 'village'], i)], marital: [pick(['single', 'married', 'widowed'], i)], children: [pick(['none', 'one'], i)],
    household: [pick(['one', 'two_three'], i)], income: [pick(['benefits', 'work'], i)],
  };
  if (choices.q1[0] === 'yes') choices.q2 = ['2to5'];
  const texts = { q8: `Oczekuję pomocy ${i}` };
  if (choices.q7[0] !== 'adequate') texts.q7 = 'Za dużo spotkań';
  return { answer: { choices, texts } };
}

const N = 10000;
const CONCURRENCY = 32;
const statuses = {};
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < N) {
    const i = next++;
    const r = await fetch(`${base}/api/v1/survey/${round.token}/answers`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer(i)),
    });
    await r.arrayBuffer();
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
}));
const secs = (performance.now() - t0) / 1000;
console.log(`survey, public endpoint: ${N} answers from ${CONCURRENCY} senders in ${secs.toFixed(2)} s = ${Math.round(N / secs)} answers/s, statuses ${JSON.stringify(statuses)}`);

const times = [];
let respondents = 0;
for (let k = 0; k < 50; k++) {
  const t = performance.now();
  const r = await (await fetch(`${base}/api/v1/surveys/${round.id}/results`, { headers })).json();
  times.push(performance.now() - t);
  respondents = r.current.respondents;
}
times.sort((a, b) => a - b);
console.log(`survey, results of a round with ${respondents} answers (${N} texts shuffled): p50 ${times[25].toFixed(1)} ms p95 ${times[47].toFixed(1)} ms`);
