// Ścieżka's service worker: keeps the app shell so the app opens without a network.
//
// It caches only the shell (`/offline`, an HTML page with no personal data whose body
// the app renders in the browser) and the content-hashed files of the current build,
// every page's wasm chunk included. API answers
// and server-rendered pages are never cached here: the caseload for offline work is
// kept by the app itself, encrypted. Drafts and the outbox live in the app's own
// storage, so replacing this worker or its cache can never strand waiting changes.

const CACHE = "sciezka-shell-v1";
const SHELL = "/offline";
const NAVIGATION_TIMEOUT_MS = 4000;

// Fetches the current shell and every asset it names, then drops assets of older
// versions. Runs at install and, at most once a minute, after online navigations,
// so an app upgrade reaches the cache without waiting for a new worker.
let lastRefresh = 0;

// A script's text, from the cache when it is there (hashed names never change).
async function cachedText(cache, url) {
  let r = await cache.match(url);
  if (!r) {
    r = await fetch(url, { credentials: "same-origin" });
    if (!r.ok) return "";
    await cache.put(url, r.clone());
  }
  return r.text();
}
async function refreshShell() {
  lastRefresh = Date.now();
  const cache = await caches.open(CACHE);
  const response = await fetch(SHELL, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) return;
  const html = await response.clone().text();
  const assets = new Set(["/favicon.svg"]);
  for (const m of html.matchAll(/\/pkg\/[A-Za-z0-9_.\-]+\.(?:js|wasm|css)/g)) assets.add(m[0]);
  // Pages are loaded by route (wasm chunks). The app's script names the build's chunk
  // loader, and the loader names every chunk: keep them all, so any page opens
  // offline, and only this build's, so a page never mixes chunks of two builds.
  for (const script of [...assets].filter((u) => u.endsWith(".js"))) {
    const text = await cachedText(cache, script);
    for (const m of text.matchAll(/__wasm_split\.[A-Za-z0-9_\-]+\.js/g)) {
      const loader = `/pkg/${m[0]}`;
      assets.add(loader);
      const chunks = await cachedText(cache, loader);
      for (const c of chunks.matchAll(/\.\/((?:chunk|split)_[A-Za-z0-9_.\-]+\.wasm)/g)) assets.add(`/pkg/${c[1]}`);
    }
  }
  for (const url of assets) {
    if (!(await cache.match(url))) {
      const r = await fetch(url, { credentials: "same-origin" });
      if (r.ok) await cache.put(url, r);
    }
  }
  await cache.put(SHELL, response);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/pkg/") && !assets.has(path)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(refreshShell().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}

async function navigate(request) {
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok && Date.now() - lastRefresh > 60000) refreshShell().catch(() => {});
    return response;
  } catch (e) {
    const cache = await caches.open(CACHE);
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw e;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  // Hashed names never change content; keep what the current shell uses.
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (url.pathname.startsWith("/api/")) return;
  if (event.request.mode === "navigate") {
    event.respondWith(navigate(event.request));
  } else if (url.pathname.startsWith("/pkg/") || url.pathname === "/favicon.svg") {
    event.respondWith(asset(event.request));
  }
});
