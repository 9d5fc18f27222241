// The web UI under `--executor slurm` (issue 15), in a real browser against a real
// `flowline serve` and the local Slurm (scripts/slurm-local.sh): a running run's panel shows
// its Slurm job, state and node, as the runs API reports them. Root only (exit 77: skipped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { openPage, startFlowLine, waitUntil } from '../browser/support/flowline.mjs';

if (process.getuid() !== 0) {
  console.log('skipped: the local Slurm needs root');
  process.exit(77);
}

test('a running Slurm job shows its job id, state and node in the task panel', async (t) => {
  const fl = await startFlowLine({
    csv: 'name,gpus,cmd\nheld,1,sleep 60\n',
    args: ['--executor', 'slurm', '--cmd', '{cmd}'],
    gpus: 1,
  });
  let job = null;
  t.after(async () => {
    await fl.stop();
    if (job) execFileSync('/usr/bin/scancel', [job]);
    fl.cleanup();
  });
  const running = await waitUntil(
    async () => {
      const run = (await fl.get('/api/v1/runs?limit=10')).runs.find((r) => r.running && r.job_state === 'RUNNING');
      return run ?? null;
    },
    { what: 'the run RUNNING in Slurm, in the runs API', timeout: 30000 },
  );
  job = running.job_id;
  assert.match(job, /^\d+$/);
  assert.equal(running.node, 'localhost');
  const { page } = await openPage(`${fl.url}#/tasks`, t);
  await page.getByRole('link', { name: 'held', exact: true }).click();
  const panel = page.getByRole('complementary');
  await panel.getByRole('heading', { name: /held/ }).waitFor();
  await panel.getByText(`Slurm job ${job}: RUNNING on localhost`).waitFor();
});
