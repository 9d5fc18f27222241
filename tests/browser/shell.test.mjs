// The app shell in a real browser against a real `flowline serve` (issue 12): the printed URL
// trades its token for a cookie and leaves the address bar; the header counts tasks by state;
// Chinese is a click away and stays chosen; a server that dies is said to be unreachable, and
// the page recovers by itself when it comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openPage, simJob, startFlowLine, waitUntil } from './support/flowline.mjs';

// With --max 1: two quick tasks end, one holds its GPU, one waits behind it.
const TABLE = [
  'name,min_mem,cmd',
  `quick-a,1000,${simJob({ secs: 0.2 })}`,
  `quick-b,1000,${simJob({ secs: 0.2 })}`,
  `long-c,1000,${simJob({ secs: 120 })}`,
  `long-d,1000,${simJob({ secs: 120 })}`,
].join('\n');

async function countOf(page, state) {
  const text = await page.locator(`.counts [data-state="${state}"] strong`).textContent({ timeout: 2000 });
  return Number(text);
}

test('the printed URL gives the page a cookie, and the token leaves the address bar', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, args: ['--max', '1'] });
  t.after(() => fl.cleanup());
  const { page, context } = await openPage(fl.url, t);
  await page.waitForURL(/#\/gpus$/);
  assert.ok(!page.url().includes(fl.token), `the address still holds the token: ${page.url()}`);
  assert.match(page.url(), /#\/gpus$/);
  const cookie = (await context.cookies()).find((c) => c.name === 'flowline_token');
  assert.ok(cookie, 'no flowline_token cookie');
  assert.equal(cookie.value, fl.token);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  // The script cannot read it.
  assert.equal(await page.evaluate(() => document.cookie.includes('flowline_token')), false);
  await page.getByRole('heading', { level: 1, name: 'GPUs' }).waitFor();
});

test('the header counts tasks by state and says the connection is live', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, args: ['--max', '1'] });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  await page.locator('[data-connection="live"]').waitFor();
  assert.equal(await page.locator('[data-connection]').textContent(), 'Connection: Live');
  // Live: the counts move as runs end, without reloading.
  await waitUntil(async () => (await countOf(page, 'done')) === 2 && (await countOf(page, 'running')) === 1, {
    what: '2 done and 1 running in the header',
  });
  assert.equal(await countOf(page, 'queued'), 1);
  assert.equal(await countOf(page, 'failed'), 0);
  const status = await fl.get('/api/v1/status');
  assert.deepEqual([status.counts.done, status.counts.running, status.counts.queued], [2, 1, 1]);
  assert.match(await page.locator('.counts').textContent(), /runs 2\/4/);
  await page.getByText('Simulated GPUs', { exact: true }).waitFor();
  // Navigation by hash routes.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(/#\/settings$/);
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
});

test('switching to Chinese shows Chinese labels, and the choice survives a reload', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, args: ['--max', '1'] });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  await page.getByRole('link', { name: 'Tasks' }).waitFor();
  await page.getByRole('button', { name: /switch to Chinese/ }).click();
  await page.getByRole('link', { name: '任务' }).waitFor();
  await page.getByRole('link', { name: '设置' }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'GPU' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await page.locator('.counts').getByText('运行中').waitFor();
  await page.reload();
  await page.getByRole('link', { name: '任务' }).waitFor();
  await page.getByRole('button', { name: /切换到英文/ }).click();
  await page.getByRole('link', { name: 'Tasks' }).waitFor();
});

test('a browser asking for Chinese gets Chinese without choosing', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, args: ['--max', '1'] });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t, { locale: 'zh-CN' });
  await page.getByRole('link', { name: '日志' }).waitFor();
});

test('the page says when the server is gone and recovers by itself when it is back', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, args: ['--max', '1'] });
  t.after(() => fl.cleanup());
  const { page } = await openPage(fl.url, t);
  const conn = page.locator('[data-connection]');
  await page.locator('[data-connection="live"]').waitFor();
  await waitUntil(async () => (await countOf(page, 'done')) === 2, { what: '2 done' });

  await fl.kill();
  await page.locator('[data-connection="unreachable"]').waitFor({ timeout: 15000 });
  assert.match(await conn.textContent(), /Server unreachable/);

  // While it is away, the table changes: the restarted server must be seen afresh.
  await fl.restart();
  await page.locator('[data-connection="live"]').waitFor({ timeout: 20000 });
  assert.equal(await conn.textContent(), 'Connection: Live');
  // The cookie still works (the token is kept across restarts), and the counts come back.
  await waitUntil(async () => (await countOf(page, 'done')) === 2 && (await countOf(page, 'running')) === 1, {
    what: 'the counts after the restart',
  });
  // Events flow again: a setting changed elsewhere reaches the header.
  const r = await fl.request('PATCH', '/api/v1/settings', { dispatching: false });
  assert.equal(r.status, 200);
  await page.locator('.count-paused').waitFor({ timeout: 10000 });
});
