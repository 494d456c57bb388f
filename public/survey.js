// The phone survey works without this script. With it, question 2 is disabled for
// real after "no" to question 1, so keyboards and screen readers skip it too; and
// the answer is kept on this phone, sealed to the server's key (it cannot be read
// back here), until the server has counted it. The server holds answers only in
// memory until five can be counted together, so the phone sends its copy again
// whenever the link is opened, and forgets it once counted.
(() => {
  const main = document.getElementById('main');
  if (!main || !main.dataset.token) return;
  const { token, key } = main.dataset;
  const slot = `sciezka.phone.${token}`;
  const kept = () => {
    try { return JSON.parse(localStorage.getItem(slot)) || []; } catch { return []; }
  };
  const keep = (list) => {
    try { list.length ? localStorage.setItem(slot, JSON.stringify(list)) : localStorage.removeItem(slot); } catch { /* full or blocked: the server still has it */ }
  };
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));
  // ECDH P-256 with a fresh key, SHA-256 of context and secret, AES-256-GCM: as the kiosk seals.
  const seal = async (text) => {
    const s = crypto.subtle, enc = new TextEncoder(), curve = { name: 'ECDH', namedCurve: 'P-256' };
    const server = await s.importKey('raw', Uint8Array.from(atob(key), (c) => c.charCodeAt(0)), curve, false, []);
    const mine = await s.generateKey(curve, true, ['deriveBits']);
    const shared = new Uint8Array(await s.deriveBits({ name: 'ECDH', public: server }, mine.privateKey, 256));
    const context = enc.encode('sciezka-kiosk-v1');
    const material = new Uint8Array(context.length + shared.length);
    material.set(context);
    material.set(shared, context.length);
    const aes = await s.importKey('raw', await s.digest('SHA-256', material), 'AES-GCM', false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await s.encrypt({ name: 'AES-GCM', iv }, aes, enc.encode(text));
    return { epk: b64(await s.exportKey('raw', mine.publicKey)), iv: b64(iv), ct: b64(ct), form: true };
  };
  const status = document.getElementById('survey-kept');
  // Said once per change, so a screen reader does not repeat it every half minute.
  const tell = (what) => {
    const text = (status && status.dataset[what]) || '';
    if (status && status.textContent !== text) status.textContent = text;
  };
  // The thank-you page names the answer the server received: its kept copy is no
  // longer voided if the same form comes back refused later (after the back button).
  const received = new URLSearchParams(location.search).get('sid');
  if (received) keep(kept().map((k) => (k.sid === received ? { ...k, received: true } : k)));
  const resend = async () => {
    const list = kept();
    if (!list.length) return;
    tell('kept');
    try {
      const r = await fetch(`/api/v1/survey/${encodeURIComponent(token)}/sealed`, {
        method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: list.map((k) => k.sealed) }),
      });
      if (r.status === 404) { keep([]); return; }
      if (!r.ok) return;
      const { fates } = await r.json();
      const fate = new Map(list.map((k, i) => [k.sid, fates[i] && fates[i].status]));
      // Re-read: another tab may have kept an answer meanwhile.
      const left = kept().filter((k) => { const f = fate.get(k.sid); return f === undefined || f === 'received'; });
      keep(left);
      if (!left.length) tell(fates.some((f) => f.status === 'counted') ? 'counted' : 'late');
    } catch { /* offline or the server is restarting: the next visit sends it */ }
  };
  const form = document.getElementById('survey-form');
  if (form) {
    const skip = () => {
      for (const f of form.querySelectorAll('fieldset[data-skip-if]')) {
        const [q, o] = f.dataset.skipIf.split(':');
        const box = document.getElementById(`s-${q}-${o.replaceAll('_', '-')}`);
        f.disabled = !!box && box.checked;
      }
    };
    form.addEventListener('change', skip);
    skip();
    const sid = form.elements.sid.value;
    // The form came back to be corrected: what was kept of this post is void, unless
    // the server had received this answer before.
    if (form.dataset.refused !== undefined) keep(kept().filter((k) => k.sid !== sid || k.received));
    form.addEventListener('submit', async (e) => {
      if (!key || !window.crypto || !crypto.subtle || form.dataset.sealed) return;
      e.preventDefault();
      form.dataset.sealed = '1';
      try {
        const sealed = await seal(new URLSearchParams(new FormData(form)).toString());
        keep(kept().filter((k) => k.sid !== sid || k.received).concat([{ sid, sealed }]));
      } catch { /* not kept: the post still goes */ }
      form.submit();
    });
  }
  resend();
  if (status) setInterval(resend, 30000);
})();
