// Browser tests' harness: a real `flowline serve` on simulated GPUs, and Debian's chromium
// driven by playwright-core (from web/node_modules). Shared by every tests/browser/*.test.mjs.
//
//   const fl = await startFlowLine({ csv: 'name,cmd\n…', args: ['--max', '2'], gpus: 2 });
//   const { page } = await openPage(fl.url, t);   // t: the node:test TestContext
//
// A failed test leaves a screenshot, the page's console and the server's log in
// $FLOWLINE_BROWSER_FAILURES (CTest: BUILD/browser-failures), and says where.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const webModules = join(repo, 'web', 'node_modules');

export const CHROMIUM = process.env.FLOWLINE_CHROMIUM || '/usr/bin/chromium';
export const FLOWLINE_BIN = process.env.FLOWLINE_BIN || '';
const FAILURES = process.env.FLOWLINE_BROWSER_FAILURES || join(tmpdir(), 'flowline-browser-failures');

// Fail loudly when something the tests need is missing: a skipped UI test proves nothing.
function requirement(ok, what) {
  if (!ok) throw new Error(`browser tests cannot run: ${what}`);
}

function loadPlaywright() {
  requirement(
    existsSync(join(webModules, 'playwright-core')),
    `${webModules}/playwright-core is missing; run scripts/install-deps.sh (npm ci in web/)`,
  );
  return createRequire(join(webModules, 'package.json'))('playwright-core');
}

/** A `cmd` for the table: `flowline sim-job`, holding MIB on its GPU for SECS. */
export function simJob({ mem = 1000, secs = 30, exit = 0 } = {}) {
  return `${FLOWLINE_BIN} sim-job --mem ${mem} --secs ${secs}${exit ? ` --exit ${exit}` : ''}`;
}

const servers = new Set();
// Open pages' "take a screenshot now", called before a server is stopped for good, so that a
// failed test's picture shows the page as the test left it, not a page whose server is gone.
const captures = new Set();
// Logs of servers already cleaned up, for a failed test's report: { at, text }.
const retired = [];

/** Waits for `check()` to answer truthy, up to `timeout` ms; throws `what` otherwise. */
export async function waitUntil(check, { timeout = 20000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

function spawnServe(s, webAddress) {
  s.starts += 1;
  const log = join(s.dir, `serve-${s.starts}.log`);
  writeFileSync(log, '');
  const argv = [
    'serve',
    s.tablePath,
    '--web',
    webAddress,
    '--sim-gpus',
    s.gpuSpec,
    '--state-dir',
    join(s.dir, 'state'),
    '--log-dir',
    join(s.dir, 'logs'),
    ...s.args,
  ];
  const proc = spawn(FLOWLINE_BIN, argv, {
    cwd: s.dir,
    env: { ...process.env, FLOWLINE_BIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const take = (chunk) => {
    output += chunk;
    appendFileSync(log, chunk);
  };
  proc.stdout.on('data', take);
  proc.stderr.on('data', take);
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  s.proc = proc;
  s.exited = exited;
  s.log = log;
  return new Promise((resolvePrinted, reject) => {
    const timer = setTimeout(() => reject(new Error(`flowline serve printed no URL in 30 s:\n${output}`)), 30000);
    const look = () => {
      const m = output.match(/http:\/\/(127\.0\.0\.1:\d+)\/\?token=([0-9a-f]{64})/);
      if (m) {
        clearTimeout(timer);
        resolvePrinted({ host: m[1], token: m[2] });
      }
    };
    proc.stdout.on('data', look);
    proc.stderr.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`flowline serve exited (${code ?? signal}) before printing its URL:\n${output}`));
    });
  });
}

// Runs (and their supervisors) run in the table's directory: whatever still does once the
// server is gone belongs to this test.
function killLeftovers(dir) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) process.kill(Number(name), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}

/**
 * Starts `flowline serve TABLE --web 0 ARGS` on `gpus` simulated GPUs (a count, or a spec
 * like '2x24000,1x80000') in a fresh temporary directory, and resolves once it printed its
 * URL: { url, token, base, dir, tablePath, proc, stop(), kill(), restart(), cleanup() }.
 */
export async function startFlowLine({ csv, args = [], gpus = 2 }) {
  requirement(FLOWLINE_BIN && existsSync(FLOWLINE_BIN), `FLOWLINE_BIN (${FLOWLINE_BIN || 'unset'}) is not the built flowline`);
  const dir = mkdtempSync(join(tmpdir(), 'flowline-browser-'));
  const tablePath = join(dir, 'table.csv');
  writeFileSync(tablePath, csv);
  const s = {
    dir,
    tablePath,
    args,
    gpuSpec: typeof gpus === 'number' ? `${gpus}x24000` : gpus,
    starts: 0,
    proc: null,
    exited: null,
    log: '',
  };
  const printed = await spawnServe(s, '0');
  const fl = {
    url: `http://${printed.host}/?token=${printed.token}`,
    token: printed.token,
    base: `http://${printed.host}`,
    dir,
    tablePath,
    get proc() {
      return s.proc;
    },
    /** SIGTERM, and waits for it to end (its runs go on, for the next start to adopt). */
    async stop() {
      if (s.proc && s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
      return s.exited;
    },
    /** SIGKILL: a crash. Its runs go on. */
    async kill() {
      if (s.proc && s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
      return s.exited;
    },
    /** Starts it again on the same port and state directory (so the same token). */
    async restart() {
      const again = await spawnServe(s, printed.host);
      fl.token = again.token;
      fl.url = `http://${again.host}/?token=${again.token}`;
      return fl;
    },
    /** The token in the state directory now (after a rotation). */
    currentToken() {
      return readFileSync(join(dir, 'state', 'http-token'), 'utf8').trim();
    },
    /** GET/POST with the bearer token; resolves to { status, body } (body parsed when JSON). */
    async request(method, path, body, token = fl.currentToken()) {
      const res = await fetch(fl.base + path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let parsed = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed };
    },
    async get(path) {
      const r = await fl.request('GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    logs() {
      return readdirSync(dir)
        .filter((f) => /^serve-\d+\.log$/.test(f))
        .map((f) => `== ${f}\n${readFileSync(join(dir, f), 'utf8')}`)
        .join('\n');
    },
    /** Stops it and everything it started, and removes its directory. */
    async cleanup() {
      await Promise.all([...captures].map((capture) => capture()));
      await fl.kill();
      killLeftovers(dir);
      servers.delete(fl);
      retired.push({ at: Date.now(), text: fl.logs() });
      if (retired.length > 10) retired.shift();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  servers.add(fl);
  return fl;
}

process.on('exit', () => {
  for (const fl of servers) {
    try {
      fl.proc?.kill('SIGKILL');
      killLeftovers(fl.dir);
    } catch {
      // best effort at exit
    }
  }
});

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/**
 * Opens `url` in a fresh headless chromium: { page, browser, close() }. The page's console
 * and errors are recorded; when the test fails, a screenshot, the console and the servers'
 * logs are saved under $FLOWLINE_BROWSER_FAILURES/TESTNAME.* and their place is printed.
 * Closed after the test by itself; close() earlier is fine.
 */
export async function openPage(url, t, { locale = 'en-US', colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  requirement(existsSync(CHROMIUM), `${CHROMIUM} is missing; run scripts/install-deps.sh (Debian's chromium)`);
  const { chromium } = loadPlaywright();
  const args = ['--disable-gpu', '--disable-dev-shm-usage'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const openedAt = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const context = await browser.newContext({ locale, colorScheme, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const consoleLines = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (m) => consoleLines.push(`${stamp()} ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`${stamp()} pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => consoleLines.push(`${stamp()} requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  let shot = null;
  let closed = false;
  const capture = async () => {
    if (closed) return;
    try {
      shot = await page.screenshot({ fullPage: true, timeout: 5000 });
    } catch {
      // the page may be gone
    }
  };
  captures.add(capture);
  const close = async () => {
    if (closed) return;
    await capture();
    closed = true;
    captures.delete(capture);
    await browser.close().catch(() => {});
  };
  t.after(async () => {
    if (!t.passed) {
      if (!shot) await capture();
      mkdirSync(FAILURES, { recursive: true });
      const base = join(FAILURES, safeName(t.fullName ?? t.name));
      if (shot) writeFileSync(`${base}.png`, shot);
      writeFileSync(`${base}.console.log`, consoleLines.join('\n') + '\n');
      const logs = [...servers].map((s) => s.logs());
      for (const r of retired) if (r.at >= openedAt) logs.push(r.text);
      writeFileSync(`${base}.server.log`, logs.join('\n'));
      const where = `test failed: screenshot, console and server log in ${base}.{png,console.log,server.log}`;
      console.error(where);
      t.diagnostic?.(where);
    }
    await close();
  });
  await page.goto(url);
  return { page, browser, context, consoleLines, close };
}

/**
 * Runs axe-core in the page; resolves to the violations of impact serious or critical.
 * `within`: a CSS selector to check only part of the page (a page's <main>, when the header
 * has its own check); the whole document by default.
 */
export async function seriousA11yViolations(page, within = null) {
  const axePath = join(webModules, 'axe-core', 'axe.min.js');
  requirement(existsSync(axePath), `${axePath} is missing; run scripts/install-deps.sh`);
  await page.addScriptTag({ content: readFileSync(axePath, 'utf8') });
  const result = await page.evaluate(async (selector) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(selector ? { include: [[selector]] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, within);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when `pid` still runs (for checks on runs the test saw start). */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// `spawnSync` kept for tests that need a quick `flowline` command (ctl, token …).
export function flowline(args, options = {}) {
  return spawnSync(FLOWLINE_BIN, args, { encoding: 'utf8', ...options });
}
