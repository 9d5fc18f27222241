// The GPUs page in a real browser against `flowline serve` on simulated GPUs (issue 12): the
// GPUs say they are simulated; a GPU disabled from its card gets no new run while runs go on
// starting on the other; FlowLine's runs on a GPU stop from its card once confirmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openPage, simJob, startFlowLine, waitUntil } from './support/flowline.mjs';

function card(page, id) {
  return page.locator(`article.gpu-card[data-gpu="${id}"]`);
}

test('every GPU is shown as simulated, with its memory, utilization and processes', async (t) => {
  const fl = await startFlowLine({
    csv: ['name,min_mem,cmd', `hold,6000,${simJob({ mem: 6000, secs: 120 })}`].join('\n'),
  });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  await card(page, 0).waitFor();
  assert.equal(await page.locator('article.gpu-card').count(), 2);
  for (const id of [0, 1]) {
    const c = card(page, id);
    await c.getByText('simulated', { exact: true }).waitFor();
    assert.equal(await c.getByRole('heading', { level: 2 }).textContent(), `GPU ${id} FlowLine Simulated GPU`);
    await c.getByRole('img', { name: /^Memory: FlowLine/ }).waitFor();
    await c.getByText('Utilization', { exact: true }).waitFor();
    assert.match(await c.locator('.stat').first().textContent(), /^Utilization\d+%$/);
  }
  // The run holds 6000 MiB on one GPU; its row names the run and links to its log.
  const row = page.locator('tr.proc-flowline');
  await row.waitFor();
  const link = row.getByRole('link', { name: /run 1/ });
  assert.equal(await link.getAttribute('href'), '#/logs?run=1&stream=out');
  assert.match(await row.textContent(), /sim-job --mem 6000/);
  assert.match(await row.textContent(), /5\.9 GiB/);
  const gpuOfRun = (await page.locator('article.gpu-card', { has: row }).getAttribute('data-gpu')) ?? '';
  await card(page, gpuOfRun).getByRole('img', { name: /^Memory: FlowLine 5\.9 GiB/ }).waitFor();
  // The history chart draws (uPlot's canvas) once samples arrive.
  await card(page, 0).locator('.history-chart canvas').first().waitFor();
});

test('a GPU disabled from its card gets no new run, while runs start on the other', async (t) => {
  // Short runs, two at a time: new runs keep starting for the whole test.
  const rows = ['name,min_mem,cmd'];
  for (let i = 0; i < 14; i++) rows.push(`job-${i},2000,${simJob({ mem: 2000, secs: 1.5 })}`);
  const fl = await startFlowLine({ csv: rows.join('\n'), args: ['--max', '2'] });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  const gpu1 = card(page, 1);
  await gpu1.getByRole('button', { name: 'Disable GPU 1' }).click();
  await gpu1.locator('[data-status="disabled"]').waitFor();
  await gpu1.getByRole('button', { name: 'Enable GPU 1' }).waitFor();
  assert.deepEqual((await fl.get('/api/v1/settings')).disabled_gpus, [1]);
  const disabledAt = Date.now();
  // Several runs start after the switch: every one of them on GPU 0.
  const started = await waitUntil(
    async () => {
      const { runs } = await fl.get('/api/v1/runs?limit=100');
      const later = runs.filter((r) => r.start_ms > disabledAt + 200);
      return later.length >= 4 ? later : null;
    },
    { timeout: 30000, what: '4 runs started after GPU 1 was disabled' },
  );
  for (const r of started) assert.deepEqual(r.gpus, [0], `run ${r.run_id} started on GPU ${r.gpus}`);
  // The page shows GPU 1 empty once its last runs ended, and GPU 0 at work.
  await waitUntil(async () => (await gpu1.locator('tr.proc-flowline').count()) === 0, {
    what: 'GPU 1 without FlowLine processes',
  });
  await card(page, 0).locator('tr.proc-flowline').first().waitFor();
  // Switched on again from its card.
  await gpu1.getByRole('button', { name: 'Enable GPU 1' }).click();
  await gpu1.locator('[data-status="available"]').waitFor();
  assert.deepEqual((await fl.get('/api/v1/settings')).disabled_gpus, []);
});

test("stopping FlowLine's runs on a GPU asks first, and Cancel stops nothing", async (t) => {
  const fl = await startFlowLine({
    csv: ['name,min_mem,cmd', `long,3000,${simJob({ mem: 3000, secs: 120 })}`].join('\n'),
    gpus: 1,
  });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  const gpu0 = card(page, 0);
  await gpu0.locator('tr.proc-flowline').waitFor();
  const stop = gpu0.getByRole('button', { name: "Stop FlowLine's runs on GPU 0" });

  // Escape and Cancel answer no.
  await stop.click();
  const dialog = page.getByRole('dialog', { name: 'Please confirm' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Stop FlowLine's 1 run\(s\) on GPU 0\?/);
  // The safe answer has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await stop.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await fl.get('/api/v1/runs/1')).running, true);

  // Yes stops the run; its task goes back to the queue and runs again.
  await stop.click();
  await dialog.getByRole('button', { name: 'Yes' }).click();
  await page.locator('.toast').getByText(/1 run/).waitFor();
  const killed = await waitUntil(
    async () => {
      const run = await fl.get('/api/v1/runs/1');
      return run.running ? null : run;
    },
    { what: 'run 1 to end' },
  );
  assert.notEqual(killed.outcome, 'success', JSON.stringify(killed));
  await waitUntil(async () => (await fl.get('/api/v1/runs?limit=10')).runs.some((r) => r.run_id === 2 && r.running), {
    what: 'the task to run again (run 2)',
  });
  await gpu0.getByRole('link', { name: /run 2/ }).waitFor();
});
