// Shared set-up of the browser tests: a fresh Agenda server (its own SQLite
// file, so the first start seeds the demo company) and Debian's Chromium
// driven by playwright-core. Nothing here downloads a browser.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const binary = join(root, 'target', 'debug', 'agenda');
const siteRoot = join(root, 'target', 'site');

/** The demo company's admin login (public; see README). */
export const DEMO = { email: 'demo@agenda.example', password: 'agenda-demo' };

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitForHealth(base, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`agenda exited early:\n${log.join('')}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`agenda did not start within 60 s:\n${log.join('')}`);
}

/** Starts a server on a fresh database and a browser; returns helpers. */
export async function startAgenda() {
  for (const path of [binary, join(siteRoot, 'pkg', 'agenda_bg.wasm')]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/test.sh (it builds it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'agenda-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
      AGENDA_ADDR: `127.0.0.1:${port}`,
      AGENDA_SITE_ROOT: siteRoot,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  await waitForHealth(base, child, log);

  // A session of the demo admin for direct API calls.
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(DEMO),
  });
  if (!login.ok) throw new Error(`demo login failed: ${login.status} ${await login.text()}`);
  // The session's cookie (login also sets the browser's agenda_device).
  const sessionCookie = login.headers.getSetCookie()
    .find((cookie) => cookie.startsWith('agenda_session='))
    .split(';')[0];

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });

  return {
    base,
    browser,
    /**
     * A new page in a fresh context, console errors collected, signed in as
     * `as` ({ email, password }; the demo admin by default, `null` for an
     * anonymous visitor).
     */
    async newPage({ as = DEMO, ...options } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      if (as) {
        const response = await context.request.post(`${base}/api/auth/login`, { form: as });
        if (!response.ok()) throw new Error(`login as ${as.email}: ${response.status()} ${await response.text()}`);
      }
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
      return page;
    },
    /** Calls a server function like the browser does, as the demo admin. */
    async api(endpoint, form = {}) {
      const response = await fetch(`${base}/api/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie },
        body: new URLSearchParams(form),
      });
      if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** Calls a JSON-input server function, as the demo admin. */
    async apiJson(endpoint, body) {
      const response = await fetch(`${base}/api/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: sessionCookie },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async stop() {
      await browser.close();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      // Whatever the flows did, the database is sound (`agenda check`).
      const check = spawnSync(binary, ['check'], {
        env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`, RUST_LOG: 'warn' },
        encoding: 'utf8',
      });
      rmSync(dir, { recursive: true, force: true });
      if (check.status !== 0) throw new Error(`agenda check failed:\n${check.stdout}${check.stderr}`);
    },
  };
}

/** Opens a path and waits until the WASM has hydrated the page. */
export async function openHydrated(page, url) {
  await page.goto(url);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Folds a name like the server does: no accents, lower case. */
export function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
