// The web UI with 100,000 tasks (issue 12), in Debian's chromium driven by playwright-core:
// time to a usable Tasks page, scrolling the grid, the tab's memory, bytes on first load, and
// FlowLine's own CPU time while the page loads.
//
//   node bench/web_ui.mjs BUILD_DIR [--runs 3] [--rows 100000] [--steps 100] [--no-br]
//
// The table: ROWS rows (name, dataset, model, method, seed, lr; gpus 0, cmd `true`); the first
// 40 % are done (run_num = need_run_num = 1 in the file), the rest queued with dispatch
// stopped: a sweep part-way through, paused. Dispatch is stopped the way a user does it: a
// first `flowline serve` of the table (header only) is told `dispatching: false` (saved in its
// state), stopped, the rows are written, and a second `flowline serve` loads them. That one
// serves every run; each run is a fresh chromium (cold cache, no cookie) at 1280x800.
//
// Per run:
//  - usable: from navigation (performance.timeOrigin) to the first frame that shows real rows
//    (`rows`), then to the first frame after a click on the first row shows it selected
//    (`usable`: the grid answers input). The click is sent from the page itself as soon as the
//    rows are in the DOM (a task queued behind whatever the page is still doing, as a user's
//    click would be). `outside` is the same seen from this script (goto .. selected row seen).
//  - scroll: rAF frame gaps while the wheel scrolls 100 x 400 px, then while the grid is moved
//    from top to bottom in STEPS equal jumps (dragging the scroll bar), each waiting until the
//    rows in view are filled from the server; frames over 50 ms are counted.
//  - memory: CDP Performance.getMetrics JSHeapUsedSize, and the page's renderer process (RSS,
//    and private memory = Private_Clean + Private_Dirty of /proc/PID/smaps_rollup, closest to
//    Chrome's "memory footprint"), after the load and after the scroll.
//  - bytes: CDP Network encodedDataLength (what came over the wire, headers included) from
//    navigation until usable + 1 s, split into the bundle (index.html, app.js, app.css), API
//    calls and the event stream.
//  - CPU: FlowLine's utime + stime (/proc/PID/stat) and all of chromium's, over the same
//    window.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const valued = new Set(['--runs', '--rows', '--steps']);
const buildArg = argv.find((a, i) => !a.startsWith('--') && !(i > 0 && valued.has(argv[i - 1])));
if (!buildArg) {
  console.error('usage: node bench/web_ui.mjs BUILD_DIR [--runs 3] [--rows 100000] [--steps 100] [--no-br]');
  process.exit(2);
}
const RUNS = opt('runs', 3);
const ROWS = opt('rows', 100000);
const STEPS = opt('steps', 100);
const NO_BR = argv.includes('--no-br');
const BIN = resolve(buildArg, 'src', 'flowline');
const CHROMIUM = process.env.FLOWLINE_CHROMIUM || '/usr/bin/chromium';
for (const [ok, what] of [
  [existsSync(BIN), `${BIN} is missing: build first`],
  [existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install-deps.sh`],
  [existsSync(join(repo, 'web/node_modules/playwright-core')), 'web/node_modules is missing: run scripts/install-deps.sh'],
]) {
  if (!ok) {
    console.error(`web_ui: ${what}`);
    process.exit(1);
  }
}
const { chromium } = createRequire(join(repo, 'web/package.json'))('playwright-core');
const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- processes ----------------------------------------------------------------------------

/** utime + stime of PID in ms, or 0 when it is gone. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
function children() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(name));
    } catch {
      // gone
    }
  }
  return map;
}
function descendants(pid) {
  const map = children();
  const out = [];
  const walk = (p) => {
    for (const c of map.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
/** CPU ms of every chromium process under this node process (browser, GPU, renderers...):
 * all of them but FlowLine and what it started. */
function chromiumCpuMs(serverPid) {
  const flowline = new Set([serverPid, ...descendants(serverPid)]);
  return descendants(process.pid)
    .filter((p) => !flowline.has(p))
    .reduce((n, p) => n + cpuMs(p), 0);
}
function memoryOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
    return { rss: kb('Rss') * 1024, priv: (kb('Private_Clean') + kb('Private_Dirty')) * 1024 };
  } catch {
    return { rss: 0, priv: 0 };
  }
}
/** The page's renderer: the renderer process under us with the most private memory. */
function rendererMemory() {
  let best = { rss: 0, priv: 0, count: 0 };
  let count = 0;
  const all = [];
  for (const pid of descendants(process.pid)) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('--type=renderer')) continue;
    count += 1;
    const m = memoryOf(pid);
    all.push(Math.round(m.priv / 1e6));
    if (m.priv > best.priv) best = m;
  }
  return { ...best, count, all };
}

// ---- FlowLine -----------------------------------------------------------------------------

function startServe(dir) {
  const proc = spawn(BIN, ['serve', 'sweep.csv', '--web', '0', '--cmd', '{cmd}'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (c) => (output += c));
  proc.stderr.on('data', (c) => (output += c));
  const exited = new Promise((r) => proc.on('exit', r));
  const printed = new Promise((ok, fail) => {
    const look = () => {
      const m = output.match(/http:\/\/(127\.0\.0\.1:\d+)\/\?token=([0-9a-f]{64})/);
      if (m) ok({ base: `http://${m[1]}`, token: m[2] });
    };
    proc.stdout.on('data', look);
    proc.stderr.on('data', look);
    void exited.then((code) => fail(new Error(`flowline serve exited (${code}):\n${output}`)));
    setTimeout(() => fail(new Error(`flowline serve printed no URL in 60 s:\n${output}`)), 60000);
  });
  return { proc, exited, printed, output: () => output };
}

async function api(s, method, path, body) {
  const res = await fetch(s.base + path, {
    method,
    headers: { Authorization: `Bearer ${s.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function sweepCsv() {
  const datasets = ['cifar10', 'cifar100', 'imagenet100', 'tinyimagenet'];
  const models = ['resnet18', 'resnet50', 'vit_s', 'vit_b', 'convnext_t'];
  const methods = ['baseline', 'mixup', 'cutmix', 'randaug', 'label_smooth'];
  const lrs = ['0.1', '0.03', '0.01', '0.003', '0.001'];
  const done = Math.floor(ROWS * 0.4);
  const lines = ['name,dataset,model,method,seed,lr,gpus,run_num,need_run_num,cmd'];
  for (let i = 0; i < ROWS; ++i) {
    const d = datasets[i % 4];
    const m = models[Math.floor(i / 4) % 5];
    const me = methods[Math.floor(i / 20) % 5];
    const lr = lrs[Math.floor(i / 100) % 5];
    const seed = Math.floor(i / 500);
    lines.push(`${d}-${m}-${me}-lr${lr}-s${seed},${d},${m},${me},${seed},${lr},0,${i < done ? 1 : 0},1,true`);
  }
  return lines.join('\n') + '\n';
}

// ---- the page -----------------------------------------------------------------------------

// Installed before the page's own scripts: records when real rows are first painted, clicks
// the first row at once (from a task, like a user's input) and records the frame that shows
// it selected; long tasks; and, on request, every frame's timestamp.
const INIT = () => {
  const fl = (window.__fl = { rowsAt: null, clickedAt: null, respondedAt: null, longTasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) fl.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing here
  }
  let clicked = false;
  const check = () => {
    const row = document.querySelector('.tk-row[data-id]');
    if (!row) return;
    if (!clicked) {
      clicked = true;
      requestAnimationFrame(() => (fl.rowsAt = performance.now()));
      setTimeout(() => {
        fl.clickedAt = performance.now();
        document.querySelector('.tk-row[data-id]')?.querySelectorAll('[role=gridcell]')[1]?.click();
      }, 0);
    }
    if (fl.respondedAt === null && document.querySelector('.tk-row.tk-sel[data-id]')) {
      fl.respondedAt = -1;
      requestAnimationFrame(() => {
        fl.respondedAt = performance.now();
        observer.disconnect();
      });
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'data-id'] });
};

function bytesTracker(cdp) {
  const reqs = new Map();
  let open = true;
  const entry = (id) => {
    if (!reqs.has(id)) reqs.set(id, { url: '', bytes: 0, finished: false, encoding: '', redirects: 0 });
    return reqs.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!open) return;
    const r = entry(e.requestId);
    if (e.redirectResponse) {
      r.redirects += e.redirectResponse.encodedDataLength ?? 0;
    }
    r.url = e.request.url;
  });
  cdp.on('Network.responseReceived', (e) => {
    if (!open) return;
    const r = entry(e.requestId);
    r.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '';
    r.headerBytes = e.response.encodedDataLength ?? 0;
  });
  cdp.on('Network.dataReceived', (e) => {
    if (!open) return;
    entry(e.requestId).bytes += e.encodedDataLength ?? 0;
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (!open) return;
    const r = entry(e.requestId);
    r.total = e.encodedDataLength;
    r.finished = true;
  });
  return {
    close() {
      open = false;
    },
    reset() {
      reqs.clear();
    },
    summary() {
      const out = { bundle: 0, bundleFiles: [], api: 0, apiCalls: 0, apiPaths: {}, events: 0, redirect: 0, other: 0 };
      for (const r of reqs.values()) {
        const u = new URL(r.url || 'http://x/');
        const bytes = (r.finished ? r.total : (r.headerBytes ?? 0) + r.bytes) ?? 0;
        out.redirect += r.redirects;
        if (u.pathname === '/' || u.pathname === '/index.html' || u.pathname === '/app.js' || u.pathname === '/app.css') {
          out.bundle += bytes;
          out.bundleFiles.push(`${u.pathname} ${bytes} B${r.encoding ? ` (${r.encoding})` : ''}`);
        } else if (u.pathname === '/api/v1/events') out.events += bytes;
        else if (u.pathname.startsWith('/api/')) {
          out.api += bytes;
          out.apiCalls += 1;
          out.apiPaths[u.pathname] = (out.apiPaths[u.pathname] ?? 0) + 1;
        } else out.other += bytes;
      }
      return out;
    },
  };
}

async function oneRun(server, n) {
  const args = ['--disable-gpu', '--disable-dev-shm-usage'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  try {
    const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(INIT);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // --no-br: offer gzip only (chromium offers br and zstd; see docs/benchmarks.md).
    if (NO_BR) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Performance.enable');
    const bytes = bytesTracker(cdp);
    await sleep(300);

    const serverCpu0 = cpuMs(server.pid);
    const chromeCpu0 = chromiumCpuMs(server.pid);
    const t0 = Date.now();
    await page.goto(`${server.base}/?token=${server.token}#/tasks`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__fl?.respondedAt > 0, null, { polling: 'raf', timeout: 60000 });
    const outsideMs = Date.now() - t0;
    const fl = await page.evaluate(() => ({ ...window.__fl, ready: document.body.dataset.tasksReadyMs }));
    // What a user sees: rows from the first page; and the whole count.
    const summary = await page.locator('.tk-summary').textContent();
    await sleep(1000);
    const serverCpuLoad = cpuMs(server.pid) - serverCpu0;
    const chromeCpuLoad = chromiumCpuMs(server.pid) - chromeCpu0;
    const load = bytes.summary();
    bytes.reset();
    const metric = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    };
    const memLoad = { heap: (await metric()).JSHeapUsedSize, ...rendererMemory() };
    // The page open, nobody touching it: what does FlowLine spend on it?
    const serverCpuIdle0 = cpuMs(server.pid);
    await sleep(5000);
    const serverCpuIdle = cpuMs(server.pid) - serverCpuIdle0;
    bytes.reset();
    if (process.env.BENCH_SHOT) await page.screenshot({ path: process.env.BENCH_SHOT.replace('.png', `-${n}.png`) });
    // Back to no selection before scrolling.
    await page.locator('.tk-selbar button').nth(1).click();

    // Scroll: the wheel first, then top to bottom in STEPS jumps.
    await page.evaluate(() => {
      const f = (window.__frames = []);
      const tick = (now) => {
        f.push(now);
        if (!window.__stopFrames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const serverCpu1 = cpuMs(server.pid);
    const box = await page.locator('.tk-scroll').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 100; ++i) await page.mouse.wheel(0, 400);
    const wheelEnd = await page.evaluate(() => performance.now());
    await sleep(500);
    const fills = await page.evaluate(async (steps) => {
      const el = document.querySelector('.tk-scroll');
      const raf = () => new Promise((r) => requestAnimationFrame(r));
      const H = 32;
      const filled = () => {
        const first = Math.floor(el.scrollTop / H);
        const last = Math.floor((el.scrollTop + el.clientHeight - H - 1) / H);
        const total = Number(el.getAttribute('aria-rowcount')) - 1;
        for (let i = first; i <= Math.min(last, total - 1); ++i) {
          const row = document.getElementById(`tk-row-${i}`);
          if (!row || row.dataset.id === undefined) return false;
        }
        return true;
      };
      const out = [];
      for (let k = 1; k <= steps; ++k) {
        el.scrollTop = Math.round(((el.scrollHeight - el.clientHeight) * k) / steps);
        const t = performance.now();
        let ms = null;
        while (performance.now() - t < 10000) {
          await raf();
          if (filled()) {
            ms = performance.now() - t;
            break;
          }
        }
        out.push(ms);
      }
      return out;
    }, STEPS);
    const frames = await page.evaluate(() => {
      window.__stopFrames = true;
      return window.__frames;
    });
    const serverCpuScroll = cpuMs(server.pid) - serverCpu1;
    const lastId = await page.locator('.tk-row[data-id]').last().getAttribute('data-id');
    const gaps = frames.slice(1).map((t, i) => t - frames[i]);
    const wheelGaps = gaps.filter((_, i) => frames[i + 1] <= wheelEnd + 500);
    const memScroll = { heap: (await metric()).JSHeapUsedSize, ...rendererMemory() };
    const scrollBytes = bytes.summary();
    bytes.close();
    const okFills = fills.filter((x) => x !== null).sort((a, b) => a - b);
    return {
      run: n,
      rowsMs: fl.rowsAt,
      usableMs: fl.respondedAt,
      clickWaitMs: fl.respondedAt - fl.clickedAt,
      outsideMs,
      pageReadyMs: Number(fl.ready),
      longTasks: fl.longTasks,
      summary,
      serverCpuLoad,
      chromeCpuLoad,
      load,
      memLoad,
      memScroll,
      frames: gaps.length,
      long: gaps.filter((g) => g > 50).length,
      longest: Math.max(...gaps),
      wheelFrames: wheelGaps.length,
      wheelLong: wheelGaps.filter((g) => g > 50).length,
      fillP50: okFills[Math.floor(okFills.length / 2)],
      fillMax: okFills[okFills.length - 1],
      fillTimeouts: fills.length - okFills.length,
      lastId,
      serverCpuScroll,
      serverCpuIdle,
      scrollApiPaths: scrollBytes.apiPaths,
      scrollApiCalls: scrollBytes.apiCalls,
      scrollApiBytes: scrollBytes.api,
      errors,
    };
  } finally {
    await browser.close().catch(() => {});
  }
}

// ---- main ---------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const MB = (b) => (b / 1e6).toFixed(1);
const kB = (b) => (b / 1024).toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'flowline-webui-bench-'));
let serve = null;
try {
  // 1. Dispatch off, saved in the table's state, as a user would leave it.
  writeFileSync(join(dir, 'sweep.csv'), 'name,dataset,model,method,seed,lr,gpus,run_num,need_run_num,cmd\n');
  serve = startServe(dir);
  let s = await serve.printed;
  await api(s, 'POST', '/api/v1/settings', { dispatching: false });
  serve.proc.kill('SIGTERM');
  await serve.exited;
  // 2. The table, and FlowLine on it.
  writeFileSync(join(dir, 'sweep.csv'), sweepCsv());
  const startedAt = Date.now();
  serve = startServe(dir);
  s = await serve.printed;
  let status;
  for (;;) {
    status = await api(s, 'GET', '/api/v1/status');
    const c = status.counts;
    if (c.done + c.queued + c.running + c.failed + c.other >= ROWS) break;
    if (Date.now() - startedAt > 120000) throw new Error(`the table did not load: ${JSON.stringify(c)}`);
    await sleep(100);
  }
  const server = { ...s, pid: serve.proc.pid };
  console.log(
    `flowline serve: ${ROWS} tasks (${status.counts.done} done, ${status.counts.queued} queued, dispatching ${status.dispatching}) ` +
      `ready ${Date.now() - startedAt} ms after start, RSS ${MB(memoryOf(server.pid).rss)} MB`,
  );
  await sleep(2000);
  const results = [];
  for (let n = 1; n <= RUNS; ++n) {
    const r = await oneRun(server, n);
    results.push(r);
    console.log(
      `run ${n}: rows ${Math.round(r.rowsMs)} ms, usable ${Math.round(r.usableMs)} ms (click answered in ${Math.round(r.clickWaitMs)} ms; ` +
        `seen from outside ${r.outsideMs} ms; page's own first page ${r.pageReadyMs} ms); "${r.summary}"; ` +
        `long tasks during load: ${r.longTasks.filter(([at]) => at < r.usableMs).map(([at, d]) => `${d} ms at ${at}`).join(', ') || 'none'}`,
    );
    console.log(
      `       scroll: ${r.frames} frames, ${r.long} over 50 ms, longest ${Math.round(r.longest)} ms (wheel: ${r.wheelFrames} frames, ${r.wheelLong} over 50 ms); ` +
        `rows filled after a jump p50 ${Math.round(r.fillP50)} ms, max ${Math.round(r.fillMax)} ms, ${r.fillTimeouts} timeouts; last row id ${r.lastId}; ` +
        `${r.scrollApiCalls} API calls ${JSON.stringify(r.scrollApiPaths)}, ${kB(r.scrollApiBytes)} KiB, FlowLine CPU ${Math.round(r.serverCpuScroll)} ms ` +
        `(and ${Math.round(r.serverCpuIdle)} ms in 5 s with the page open and idle)`,
    );
    console.log(
      `       memory after load: JS heap ${MB(r.memLoad.heap)} MB, renderer RSS ${MB(r.memLoad.rss)} MB, private ${MB(r.memLoad.priv)} MB; ` +
        `after scroll: ${MB(r.memScroll.heap)} / ${MB(r.memScroll.rss)} / ${MB(r.memScroll.priv)} MB (renderer processes' private MB: ${r.memScroll.all.join(', ')})`,
    );
    console.log(
      `       first load: bundle ${kB(r.load.bundle)} KiB [${r.load.bundleFiles.join('; ')}], API ${kB(r.load.api)} KiB in ${r.load.apiCalls} calls ` +
        `${JSON.stringify(r.load.apiPaths)}, events ${kB(r.load.events)} KiB, redirect ${r.load.redirect} B, other ${r.load.other} B; ` +
        `CPU during load: FlowLine ${Math.round(r.serverCpuLoad)} ms, chromium ${Math.round(r.chromeCpuLoad)} ms`,
    );
    if (r.errors.length) console.log(`       page errors: ${r.errors.join(' | ')}`);
    await sleep(1000);
  }
  const row = (label, pick, fmt, target = '') => {
    const xs = results.map(pick);
    return `| ${label} | ${fmt(median(xs))} | ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))} | ${target} |`;
  };
  const ms = (x) => `${Math.round(x)} ms`;
  const mb = (x) => `${MB(x)} MB`;
  const kib = (x) => `${kB(x)} KiB`;
  console.log(`\n${ROWS} tasks, ${RUNS} runs (median, range):\n`);
  console.log('| | median | range | target |\n|---|---|---|---|');
  for (const line of [
    row('rows painted (from navigation)', (r) => r.rowsMs, ms),
    row('usable: a click on a row answered (from navigation)', (r) => r.usableMs, ms, '≤ 1.5 s'),
    row('same, seen from the driving script', (r) => r.outsideMs, ms),
    row('scroll: frames over 50 ms', (r) => r.long, String, 'none'),
    row('scroll: frames', (r) => r.frames, String),
    row('scroll: longest frame', (r) => r.longest, ms),
    row('scroll: rows filled after a jump, median', (r) => r.fillP50, ms),
    row('JS heap used, after scroll', (r) => r.memScroll.heap, mb, '≤ 150 MB'),
    row('renderer private memory, after scroll', (r) => r.memScroll.priv, mb, '≤ 150 MB'),
    row('renderer RSS, after scroll', (r) => r.memScroll.rss, mb),
    row('first load: bundle', (r) => r.load.bundle, kib),
    row('first load: API calls', (r) => r.load.api, kib),
    row('first load: event stream', (r) => r.load.events, kib),
    row('FlowLine CPU during the load', (r) => r.serverCpuLoad, ms),
    row('chromium CPU during the load (all processes)', (r) => r.chromeCpuLoad, ms),
    row('FlowLine CPU during the scroll sweep', (r) => r.serverCpuScroll, ms),
    row('FlowLine CPU in 5 s with the page open, idle', (r) => r.serverCpuIdle, ms),
  ])
    console.log(line);
} catch (e) {
  console.error(`web_ui: ${e.stack || e.message}`);
  if (serve) console.error(serve.output());
  process.exitCode = 1;
} finally {
  serve?.proc.kill('SIGKILL');
  // whatever FlowLine started in the table's directory (its supervisor server)
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) process.kill(Number(name), 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
