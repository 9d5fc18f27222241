// The Logs page in a real browser against a real `flowline serve` (issue 12): a run's output
// followed live as it grows and searched (within it, and across the task's runs); ANSI colours
// rendered and HTML never injected; FlowLine's own log with a level filter; no serious or
// critical accessibility violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openPage, seriousA11yViolations, simJob, startFlowLine, waitUntil } from './support/flowline.mjs';

async function firstRunOf(fl, task) {
  return waitUntil(async () => (await fl.get(`/api/v1/runs?task=${task}`)).runs[0]?.run_id, { what: `a run of task ${task}` });
}

// The lines the log view shows now (it is virtualised: those in view, and a few more).
const viewText = (page) => page.locator('.lg-view').textContent();

test('a live log is followed as it grows, and searched', async (t) => {
  // One line every 0.1 s for about 6 s (no GPU), and a second run of the same task.
  const csv = [
    'name,gpus,need_run_num,cmd',
    'counter,0,2,for i in $(seq 1 60); do echo step $i of the counter; sleep 0.1; done',
  ].join('\n');
  const fl = await startFlowLine({ csv, args: ['--cmd', '{cmd}', '--max', '1'] });
  t.after(() => fl.cleanup());
  const run = await firstRunOf(fl, 0);
  const { page } = await openPage(`${fl.url}#/logs?run=${run}&stream=out`, t);
  await page.getByRole('heading', { name: new RegExp(`Run ${run}`) }).waitFor();
  await page.locator('.lg-line', { hasText: 'step 3 of' }).waitFor();
  // It grows on screen without a reload: a later line arrives.
  await page.locator('.lg-line', { hasText: 'step 40 of' }).waitFor({ timeout: 20000 });
  assert.equal(await page.getByRole('checkbox', { name: 'Follow' }).isChecked(), true);
  // Following keeps the newest line in view: the view sits at its bottom as lines arrive.
  await waitUntil(
    async () =>
      page.locator('.lg-view').evaluate((e) => {
        const last = [...e.querySelectorAll('.lg-line')].pop()?.textContent ?? '';
        const n = Number(last.match(/step (\d+)/)?.[1] ?? 0);
        return n >= 45 && e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
      }),
    { what: 'the view to follow the end past step 45', timeout: 20000 },
  );
  // Search within it: hits are marked; next moves on.
  const box = page.getByRole('searchbox', { name: 'Search in this log' });
  await box.fill('step 1');
  await page.locator('mark.lg-hit-cur').first().waitFor();
  assert.equal(await page.locator('mark.lg-hit-cur').first().textContent(), 'step 1');
  await waitUntil(async () => /^1 of \d+$/.test(await page.locator('.lg-count').textContent()), { what: 'a hit count' });
  await box.press('Enter');
  await waitUntil(async () => /^2 of \d+$/.test(await page.locator('.lg-count').textContent()), { what: 'the second hit' });
  // Followed to the end: the run's last line (at the bottom of the view, which the search
  // moved up); "step 1" is in steps 1 and 10–19.
  await waitUntil(async () => (await fl.get(`/api/v1/runs/${run}`)).end_ms !== null, { what: 'the run to end', timeout: 20000 });
  await page.locator('.lg-view').evaluate((e) => {
    e.scrollTop = e.scrollHeight;
  });
  await page.locator('.lg-line', { hasText: 'step 60 of' }).waitFor({ timeout: 20000 });
  await waitUntil(async () => /^\d+ of 11$/.test(await page.locator('.lg-count').textContent()), { what: '11 hits' });
  // Across every run of the task: the second run says it too.
  await waitUntil(async () => (await fl.get('/api/v1/status')).counts.done === 1, { what: 'both runs done', timeout: 30000 });
  await box.fill('step 60 of');
  await page.getByRole('button', { name: 'Search all runs of task 0' }).click();
  const found = page.getByRole('region', { name: 'Matches in all runs of the task' });
  await found.getByText('2 matches of “step 60 of” in 2 runs').waitFor();
  const second = found.getByRole('link').nth(1);
  const other = Number((await second.textContent()).match(/run (\d+)/)[1]);
  assert.notEqual(other, run);
  await second.click();
  await page.getByRole('heading', { name: new RegExp(`Run ${other}`) }).waitFor();
  await page.locator('mark.lg-hit-cur', { hasText: 'step 60 of' }).waitFor();
  assert.deepEqual(await seriousA11yViolations(page, 'main'), []);
});

test('a huge log keeps its tail and loads earlier parts on request', async (t) => {
  // About 6.9 MB of numbered lines, written at once.
  const csv = 'name,gpus,cmd\nbig,0,seq 1000000 1999999 | sed s/^/line-/\n';
  const fl = await startFlowLine({ csv, args: ['--cmd', '{cmd}'] });
  t.after(() => fl.cleanup());
  const run = await firstRunOf(fl, 0);
  await waitUntil(async () => (await fl.get(`/api/v1/runs/${run}`)).end_ms !== null, { what: 'the run to end', timeout: 30000 });
  const { page } = await openPage(`${fl.url}#/logs?run=${run}&stream=out`, t);
  await page.locator('.lg-line', { hasText: 'line-1999999' }).waitFor();
  // Only the tail is kept, and the page says how much is left out.
  const note = page.getByText(/The first [\d.]+ MiB are not shown/);
  await note.waitFor();
  const before = Number((await note.textContent()).match(/([\d.]+) MiB/)[1]);
  assert.ok(before > 3, `left out ${before} MiB`);
  // Each click loads an earlier part; past 2 MiB in memory the end is let go, and said so.
  const tailNote = page.getByText(/Later output \([\d.]+ (KiB|MiB)\) is not shown/);
  let left = before;
  for (let i = 0; i < 8 && !(await tailNote.count()); ++i) {
    await page.getByRole('button', { name: 'Load earlier' }).click();
    await waitUntil(async () => Number(((await note.textContent()) ?? '').match(/([\d.]+) MiB/)?.[1]) < left, {
      what: 'less left out',
    });
    left = Number((await note.textContent()).match(/([\d.]+) MiB/)[1]);
  }
  await tailNote.waitFor();
  assert.ok(left < before - 1, `left out ${left} of ${before} MiB`);
  const lines = await page.locator('.lg-view .lg-spacer').evaluate((e) => parseInt(e.style.height, 10) / 19);
  assert.ok(lines * 13 <= (2 << 20) + 13 * 100, `${lines} lines kept`);
  assert.equal(await page.getByRole('checkbox', { name: 'Follow' }).isChecked(), false);
  await page.getByRole('button', { name: 'Follow the end' }).click();
  await page.locator('.lg-line', { hasText: 'line-1999999' }).waitFor();
});

test('ANSI colours are rendered, other escapes dropped, and HTML stays text', async (t) => {
  const printf = String.raw`printf '\033[31mred words\033[0m plain \033[1;32mbold green\033[0m \033]0;title\007<b>not bold</b> \033[2Kend\n'`;
  const csv = `name,gpus,cmd\ncolours,0,${printf}\n`;
  const fl = await startFlowLine({ csv, args: ['--cmd', '{cmd}'] });
  t.after(() => fl.cleanup());
  const run = await firstRunOf(fl, 0);
  const { page } = await openPage(`${fl.url}#/logs?run=${run}&stream=out`, t);
  const line = page.locator('.lg-line', { hasText: 'red words' });
  await line.waitFor();
  assert.equal(await line.textContent(), 'red words plain bold green <b>not bold</b> end');
  const red = line.locator('span', { hasText: 'red words' });
  assert.equal(await red.evaluate((e) => getComputedStyle(e).color), 'rgb(248, 113, 113)');
  const green = line.locator('span', { hasText: 'bold green' });
  assert.equal(await green.evaluate((e) => getComputedStyle(e).fontWeight), '700');
  assert.equal(await green.evaluate((e) => getComputedStyle(e).color), 'rgb(74, 222, 128)');
  assert.equal(await page.locator('.lg-view b').count(), 0, 'HTML from the log became an element');
  // The raw download keeps the bytes as they were.
  const raw = await fl.request('GET', `/api/v1/runs/${run}/log/raw?stream=out`);
  assert.match(raw.body, /\x1b\[31mred words/);
  const link = page.getByRole('link', { name: 'Download' });
  assert.equal(await link.getAttribute('href'), `/api/v1/runs/${run}/log/raw?stream=out`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), `run-${run}.out`);
});

test("FlowLine's own log is shown with a level filter", async (t) => {
  // One run that succeeds (INFO lines) and one that fails (a WARNING line).
  const csv = ['name,min_mem,cmd', `good,1000,${simJob({ secs: 0.1 })}`, `bad,1000,${simJob({ secs: 0.1, exit: 4 })}`].join('\n');
  const fl = await startFlowLine({ csv, args: ['--retries', '0', '--cmd', '{cmd}'] });
  t.after(() => fl.cleanup());
  await waitUntil(async () => (await fl.get('/api/v1/status')).counts.failed === 1, { what: 'the failed task', timeout: 30000 });
  const { page } = await openPage(`${fl.url}#/logs`, t);
  await page.getByRole('heading', { name: "FlowLine's log" }).waitFor();
  await page.locator('.lg-line', { hasText: '[WARNING]' }).first().waitFor();
  await page.locator('.lg-line', { hasText: '[INFO]' }).first().waitFor();
  const all = await page.locator('.lg-line').count();
  await page.getByLabel('Level').selectOption('WARNING');
  await waitUntil(async () => (await page.locator('.lg-line').count()) < all, { what: 'fewer lines' });
  const levels = await page.locator('.lg-line').allTextContents();
  assert.ok(levels.length > 0);
  for (const l of levels) assert.match(l, /\[(WARNING|ERROR)\]/);
  assert.match(levels.join('\n'), /bad/);
  // Search in it.
  await page.getByRole('searchbox', { name: 'Search in this log' }).fill('bad');
  await page.locator('mark.lg-hit-cur').waitFor();
  assert.deepEqual(await seriousA11yViolations(page, 'main'), []);
  // In Chinese too: the level filter's words change, the lines stay.
  await page.getByRole('button', { name: /switch to Chinese/i }).click();
  await page.getByRole('heading', { name: 'FlowLine 日志' }).waitFor();
  await page.getByLabel('级别').waitFor();
});
