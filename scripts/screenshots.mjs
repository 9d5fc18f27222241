// Screenshots of the web UI for the README (issue 12): a real `flowline serve` on four
// simulated GPUs runs a small sweep (python3 train.py, a stand-in that holds GPU memory with
// `flowline sim-job` and prints a training log), and Debian's chromium, driven by
// playwright-core from web/node_modules, saves each page in English and in Chinese, light
// theme, 1280x800, into docs/screenshots/ (gpus-en.png, tasks-zh.png, ...).
//
//   node scripts/screenshots.mjs BUILD_DIR [OUT_DIR]
//
// What the pages show: 7 tasks done, 1 failed (a learning rate ten times too high: the loss
// turns NaN), 6 running, 2 queued for a free slot (--max 6); another user's process holding
// 4000 MiB on GPU 0. The script waits WARMUP_S seconds (default 75) after starting FlowLine so
// that the GPU charts have some history. Chinese needs a CJK font: fonts-wqy-microhei
// (scripts/install-deps.sh installs it).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [buildArg, outArg] = process.argv.slice(2);
if (!buildArg) {
  console.error('usage: node scripts/screenshots.mjs BUILD_DIR [OUT_DIR]');
  process.exit(2);
}
const BIN = resolve(buildArg, 'src', 'flowline');
const OUT = resolve(outArg ?? join(repo, 'docs', 'screenshots'));
const CHROMIUM = process.env.FLOWLINE_CHROMIUM || '/usr/bin/chromium';
const WARMUP_S = Number(process.env.WARMUP_S ?? 75);
// A fixed place, so that the table's path in the header is the same in every picture.
const WORK = '/tmp/flowline-screenshots';
const DIR = join(WORK, 'sweep');

for (const [ok, what] of [
  [existsSync(BIN), `${BIN} is missing: build first (cmake --build ${buildArg} --target flowline)`],
  [existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install-deps.sh`],
  [existsSync(join(repo, 'web/node_modules/playwright-core')), 'web/node_modules is missing: run scripts/install-deps.sh'],
]) {
  if (!ok) {
    console.error(`screenshots: ${what}`);
    process.exit(1);
  }
}
if (!spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout?.trim())
  console.warn('screenshots: no CJK font (apt-get install fonts-wqy-microhei): the Chinese pages will show boxes');
const { chromium } = createRequire(join(repo, 'web/package.json'))('playwright-core');

// The stand-in training script. Deterministic output per task (seeded by its parameters).
const TRAIN_PY = String.raw`#!/usr/bin/env python3
"""Stand-in for a training script: holds GPU memory on the simulated GPUs and logs progress."""
import argparse, os, random, subprocess, sys, time

p = argparse.ArgumentParser()
for k in ("dataset", "model", "method"):
    p.add_argument("--" + k, required=True)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--lr", type=float, default=0.1)
p.add_argument("--epochs", type=int, default=10)
a = p.parse_args()
random.seed(f"{a.dataset}{a.model}{a.method}{a.seed}{a.lr}")
mem = {"resnet18": 5400, "vit_s": 10800}[a.model]
epoch_s = {"cifar10": 0.12, "imagenet100": 14.0}[a.dataset]
steps = {"cifar10": 390, "imagenet100": 1000}[a.dataset]
job = subprocess.Popen(["flowline", "sim-job", "--mem", str(mem), "--secs", "100000"], stdout=subprocess.DEVNULL)
time.sleep(0.3)
if job.poll() is not None:
    sys.exit(job.returncode)
G, Y, B, D, R = "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
print(f"{B}{a.model}{R} on {a.dataset} ({a.method}), seed {a.seed}, lr {a.lr}, {a.epochs} epochs", flush=True)
print(f"GPU {os.environ.get('CUDA_VISIBLE_DEVICES', '?')}: {mem} MiB reserved, batch 256, AMP on", flush=True)
print(f"{Y}UserWarning: torch.backends.cudnn.benchmark is on; the first steps are slower{R}", file=sys.stderr, flush=True)
loss, best = 4.6 if a.dataset == "imagenet100" else 2.3, 0.0
diverge = a.model == "vit_s" and a.lr >= 0.01
for epoch in range(1, a.epochs + 1):
    start = time.time()
    ticks = max(1, int(epoch_s))
    for tick in range(1, ticks + 1):
        loss = loss * (1.35 if diverge else 0.985) + random.uniform(-0.02, 0.02)
        if ticks > 1:
            step = tick * steps // ticks
            print(f"{D}[epoch {epoch}/{a.epochs}]{R} step {step:4d}/{steps}  loss {loss:.4f}  "
                  f"lr {a.lr:.4g}  {random.randint(1700, 1900)} img/s", flush=True)
        time.sleep(max(0.0, start + epoch_s * tick / ticks - time.time()))
    if diverge and epoch >= 4:
        print("Traceback (most recent call last):\n  File \"train.py\", line 61, in <module>\n"
              "    check_finite(loss)\nFloatingPointError: loss is nan at epoch %d" % epoch,
              file=sys.stderr, flush=True)
        job.terminate()
        sys.exit(1)
    acc = min(99.0, 100 * (1 - loss / 5) + random.uniform(-1, 1))
    mark = f"  {B}{G}best{R}" if acc > best else ""
    best = max(best, acc)
    print(f"{G}val{R} epoch {epoch:3d}/{a.epochs}  loss {loss:.4f}  acc@1 {acc:5.2f}%{mark}", flush=True)
job.terminate()
job.wait()
print(f"done: best acc@1 {best:.2f}%", flush=True)
`;

function table() {
  const rows = ['name,dataset,model,method,seed,lr,epochs,min_mem,run_num,need_run_num'];
  for (const [dataset, epochs] of [['cifar10', 30], ['imagenet100', 90]])
    for (const model of ['resnet18', 'vit_s'])
      for (const method of ['baseline', 'mixup'])
        for (const seed of [0, 1]) {
          const name = `${dataset}-${model}-${method}-s${seed}`;
          // One typo in the sweep: ten times the learning rate; its loss turns NaN.
          const lr = model === 'resnet18' ? '0.1' : name === 'cifar10-vit_s-mixup-s1' ? '0.01' : '0.001';
          rows.push([name, dataset, model, method, seed, lr, epochs, model === 'resnet18' ? 6000 : 12000, 0, 1].join(','));
        }
  return rows.join('\n') + '\n';
}

// Everything started in DIR (runs, their supervisors, the foreign process) is ours to stop.
function killLeftovers() {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`).startsWith(DIR)) process.kill(Number(name), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

async function waitUntil(check, what, timeout = 60000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let last;
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let serve = null;
let browser = null;
let current = null; // the page being shot, for a picture when something fails
async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'train.py'), TRAIN_PY);
  // Another user's process holding 4000 MiB on GPU 0 (the simulated driver reports it): run
  // as `nobody` when we may, so that the GPU page shows another user.
  const asNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  const other = asNobody
    ? spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '100000'], { cwd: DIR, stdio: 'ignore' })
    : spawn('sleep', ['100000'], { cwd: DIR, stdio: 'ignore' });

  const argv = ['serve', 'todo.csv', '--web', '0', '--sim-gpus', '4x24000', '--cmd', 'python3 train.py {args}', '--max', '6', '--retries', '0'];
  // `flowline` on the PATH of the runs, so that the GPU page shows `flowline sim-job …`.
  mkdirSync(join(WORK, 'bin'));
  symlinkSync(BIN, join(WORK, 'bin', 'flowline'));
  const env = { ...process.env, PATH: `${join(WORK, 'bin')}:${process.env.PATH}` };
  let output = '';
  const startServe = async () => {
    serve = spawn(BIN, argv, { cwd: DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    serve.stdout.on('data', (c) => (output += c));
    serve.stderr.on('data', (c) => (output += c));
    const m = await waitUntil(() => output.match(/http:\/\/(127\.0\.0\.1:\d+)\/\?token=([0-9a-f]{64})/), 'the URL');
    output = '';
    return { base: `http://${m[1]}`, token: m[2] };
  };
  let base;
  let token;
  const request = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
    return res.json();
  };
  const get = (path) => request('GET', path);
  // The other user's process must be there before the first run is placed (else a run placed
  // beside it dies of OOM, and is requeued: true to life, but not the picture wanted). So:
  // a first FlowLine on the table's header saves "dispatch off"; the second one, on the whole
  // table, starts stopped; the process is added; dispatch is switched on.
  writeFileSync(join(DIR, 'todo.csv'), table().split('\n')[0] + '\n');
  ({ base, token } = await startServe());
  await request('POST', '/api/v1/settings', { dispatching: false });
  serve.kill('SIGTERM');
  await new Promise((r) => serve.on('exit', r));
  writeFileSync(join(DIR, 'todo.csv'), table());
  const started = Date.now();
  ({ base, token } = await startServe());
  const simState = join(DIR, '.flowline', 'todo.csv', 'sim');
  const ctl = spawnSync(BIN, ['sim-ctl', '--state', simState, 'foreign', '0', '4000', String(other.pid)], { encoding: 'utf8' });
  if (ctl.status !== 0) throw new Error(`sim-ctl: ${ctl.stderr}`);
  await sleep(1500); // a GPU sample that sees it
  await request('POST', '/api/v1/settings', { dispatching: true });

  let last = null;
  const status = await waitUntil(async () => {
    last = await get('/api/v1/status');
    const c = last.counts;
    return c.done === 7 && c.failed === 1 && c.running === 6 && c.queued === 2 ? last : null;
  }, '7 done, 1 failed, 6 running, 2 queued', 120000).catch(async (e) => {
    const tasks = (await get('/api/v1/tasks?limit=16')).tasks.map((t) => `${t.id} ${t.state} ${t.last_error || t.waiting_for}`);
    throw new Error(`${e.message}\ncounts: ${JSON.stringify(last?.counts)}\n${tasks.join('\n')}\n${output}`);
  });
  console.log(`screenshots: FlowLine at ${base}: ${JSON.stringify(status.counts)}`);
  const failed = (await get('/api/v1/tasks?state=failed&limit=1')).tasks[0].id;
  const runs = (await get('/api/v1/runs?task=8')).runs;
  const follow = runs[0].run_id;
  const wait = started + WARMUP_S * 1000 - Date.now();
  if (wait > 0) {
    console.log(`screenshots: waiting ${Math.round(wait / 1000)} s for the GPU charts to fill`);
    await sleep(wait);
  }

  mkdirSync(OUT, { recursive: true });
  const args = ['--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const problems = [];
  for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']]) {
    const context = await browser.newContext({ locale, colorScheme: 'light', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    current = page;
    page.setDefaultTimeout(20000);
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${lang} console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${lang} page error: ${e.message}`));
    await page.goto(`${base}/?token=${token}#/gpus`);
    const go = async (hash) => {
      await page.evaluate((h) => (location.hash = h), hash);
    };
    const shoot = async (name) => {
      await page.evaluate(() => document.fonts.ready);
      await page.mouse.move(1279, 799);
      await sleep(600);
      const file = join(OUT, `${name}-${lang}.png`);
      await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      console.log(`screenshots: ${file} (${(statSync(file).size / 1024).toFixed(0)} kB)`);
    };

    // GPUs: four cards with their charts and processes.
    await page.locator('.gpu-card').nth(3).waitFor();
    await page.locator('.gpu-card canvas').nth(3).waitFor();
    await page.locator('.gpu-card table.processes').first().waitFor();
    await waitUntil(async () => (await page.locator('.gpu-card table.processes').count()) === 4, 'a process table on every GPU', 20000).catch(
      async (e) => problems.push(`${lang}: ${e.message}: ${(await page.locator('.gpu-card').allTextContents()).join(' | ')}`),
    );
    await sleep(1500); // a sample or two, through the event stream
    await shoot('gpus');

    // Tasks, with the failed task's panel open.
    await go(`#/tasks?id=${failed}`);
    await waitUntil(async () => (await page.locator('.tk-row[data-id]').count()) >= 16, 'the 16 rows');
    await page.locator('.tk-panel .tk-runs table').waitFor();
    await shoot('tasks');

    // Logs: a running run, followed.
    await go(`#/logs?run=${follow}&stream=out`);
    await waitUntil(async () => (await page.locator('.lg-line').count()) > 20, 'the log lines');
    await sleep(2500); // a few more lines arrive while we watch
    await shoot('logs');

    // Settings.
    await go('#/settings');
    await page.locator('.about-list').waitFor();
    await page.locator('.gpu-switches li').nth(3).waitFor();
    await shoot('settings');
    await context.close();
  }
  if (problems.length) {
    console.log(`screenshots: the page reported ${problems.length} problem(s):`);
    for (const p of problems) console.log(`  ${p}`);
  }
}

try {
  await main();
} catch (e) {
  console.error(`screenshots: ${e.stack || e.message}`);
  process.exitCode = 1;
  if (current) {
    await current.screenshot({ path: '/tmp/screenshots-failure.png', fullPage: true }).catch(() => {});
    console.error('screenshots: the page as it was: /tmp/screenshots-failure.png');
  }
} finally {
  await browser?.close().catch(() => {});
  serve?.kill('SIGKILL');
  killLeftovers();
  rmSync(WORK, { recursive: true, force: true });
}
