// The Settings page in a real browser against `flowline serve` (issue 12): max, min and
// dispatch reach the engine (GET /api/v1/settings says so); the GPU order is picked from
// keys; GPUs switch on and off; the access token rotates and this browser keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openPage, simJob, startFlowLine, waitUntil } from './support/flowline.mjs';

const TABLE = ['name,min_mem,cmd', `hold,1000,${simJob({ secs: 120 })}`].join('\n');

async function settingsPage(fl, t) {
  const opened = await openPage(`${fl.url}`, t);
  await opened.page.waitForURL(/#\/gpus$/);
  await opened.page.getByRole('link', { name: 'Settings' }).click();
  await opened.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await opened.page.locator('.about-list').waitFor();
  return opened;
}

async function settingsBecome(fl, check, what) {
  return waitUntil(async () => {
    const s = await fl.get('/api/v1/settings');
    return check(s) ? s : null;
  }, { what });
}

test('max, min and dispatch changed on the page are in force', async (t) => {
  const fl = await startFlowLine({ csv: TABLE });
  t.after(() => fl.cleanup());
  const { page } = await settingsPage(fl, t);
  const max = page.getByLabel('Most runs at once');
  assert.equal(await max.inputValue(), '4');
  await max.fill('3');
  await page.getByLabel(/Free memory a task without min_mem needs/).fill('6000');
  await page.getByRole('button', { name: 'Save' }).click();
  await settingsBecome(fl, (s) => s.max_running === 3 && s.min_mem_mib === 6000, 'max 3 and min 6000');
  await page.locator('.toast').first().waitFor();

  const dispatch = page.getByRole('switch', { name: 'Start new runs' });
  assert.equal(await dispatch.isChecked(), true);
  await dispatch.click();
  await settingsBecome(fl, (s) => s.dispatching === false, 'dispatch off');
  await page.getByText('Paused: no new run starts').waitFor();
  await page.locator('.count-paused').waitFor(); // the header says so too

  // A change made elsewhere (the shell, ctl, a script) shows up here by itself.
  assert.equal((await fl.request('PATCH', '/api/v1/settings', { max_running: 7 })).status, 200);
  await waitUntil(async () => (await max.inputValue()) === '7', { what: 'max 7 on the page' });
  await dispatch.click();
  await settingsBecome(fl, (s) => s.dispatching === true, 'dispatch on');
});

test('the GPU order is picked from keys, and GPUs switch on and off', async (t) => {
  const fl = await startFlowLine({ csv: TABLE, gpus: 3 });
  t.after(() => fl.cleanup());
  const { page } = await settingsPage(fl, t);
  await page.getByText(/^Default order/).waitFor();
  // The default order is listed; utilization goes first, and temperature is added, hottest last.
  await page.getByRole('button', { name: 'Move utilization up' }).click();
  await page.getByLabel('Key to add').selectOption({ label: 'temperature' });
  await page.getByRole('button', { name: 'Add key' }).click();
  await page.getByLabel('Direction of temperature').selectOption('asc');
  await page.getByRole('button', { name: 'Apply order' }).click();
  const s = await settingsBecome(fl, (x) => x.order !== 'default', 'a new order');
  assert.equal(s.order, 'utilization asc, free_memory desc, index asc, temperature asc');
  await page.getByText('In force: utilization asc, free_memory desc, index asc, temperature asc').waitFor();
  await page.getByRole('button', { name: 'Use the default order' }).click();
  await settingsBecome(fl, (x) => x.order === 'default', 'the default order');

  const gpu2 = page.getByRole('switch', { name: /^GPU 2/ });
  assert.equal(await gpu2.isChecked(), true);
  await gpu2.click();
  await settingsBecome(fl, (x) => JSON.stringify(x.disabled_gpus) === '[2]', 'GPU 2 off');
  await page.getByRole('switch', { name: /^GPU 0/ }).click();
  await settingsBecome(fl, (x) => JSON.stringify(x.disabled_gpus) === '[0,2]', 'GPUs 0 and 2 off');
  await waitUntil(async () => !(await gpu2.isChecked()), { what: 'GPU 2 shown off' });
});

test('the about section names the version, host, driver and uptime', async (t) => {
  const fl = await startFlowLine({ csv: TABLE });
  t.after(() => fl.cleanup());
  const { page } = await settingsPage(fl, t);
  const about = await fl.get('/api/v1/about');
  const text = await page.locator('.about-list').textContent();
  assert.match(text, new RegExp(`Version${about.version}`));
  assert.match(text, /GPU driverflowline-sim-[\d.]+ · simulated/);
  assert.ok(about.host && text.includes(`Host${about.host}`), text);
  assert.match(text, /Uptime\d+s/);
});

test('rotating the token keeps this browser working and shuts out the old token', async (t) => {
  const fl = await startFlowLine({ csv: TABLE });
  t.after(() => fl.cleanup());
  const before = fl.currentToken();
  const { page, context } = await settingsPage(fl, t);
  await page.getByRole('button', { name: 'Rotate the access token' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes' }).click();
  await page.locator('.toast').getByText(/access token replaced/).waitFor();
  const after = fl.currentToken();
  assert.notEqual(after, before);
  assert.equal((await fl.request('GET', '/api/v1/status', undefined, before)).status, 401);
  const cookie = (await context.cookies()).find((c) => c.name === 'flowline_token');
  assert.equal(cookie.value, after);
  assert.equal(cookie.httpOnly, true);
  // The page goes on working: a change is applied, and a reload is let in.
  const max = page.getByLabel('Most runs at once');
  await max.fill('2');
  await page.getByRole('button', { name: 'Save' }).click();
  await settingsBecome(fl, (s) => s.max_running === 2, 'max 2');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.locator('[data-connection="live"]').waitFor();
  assert.equal(await page.getByLabel('Most runs at once').inputValue(), '2');
});

test('a token rotated elsewhere is said plainly', async (t) => {
  const fl = await startFlowLine({ csv: TABLE });
  t.after(() => fl.cleanup());
  const { page } = await settingsPage(fl, t);
  assert.equal((await fl.request('POST', '/api/v1/token/rotate')).status, 200);
  // The next request the page makes is refused: the header says what to do.
  await page.getByRole('switch', { name: 'Start new runs' }).click();
  await page.locator('[data-connection="unauthorized"]').waitFor();
  assert.match(await page.locator('[data-connection]').textContent(), /open the URL FlowLine printed/);
});
