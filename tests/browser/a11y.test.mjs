// Accessibility of the GPUs and Settings pages (issue 12): axe-core finds no serious or
// critical violation, in light and dark, in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openPage, seriousA11yViolations, simJob, startFlowLine } from './support/flowline.mjs';

const TABLE = ['name,min_mem,cmd', `hold,3000,${simJob({ mem: 3000, secs: 120 })}`].join('\n');

function report(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.join('\n  ')}`).join('\n');
}

for (const [colorScheme, locale] of [
  ['light', 'en-US'],
  ['dark', 'zh-CN'],
]) {
  test(`GPUs and Settings pages: no serious or critical axe violations (${colorScheme}, ${locale})`, async (t) => {
    const fl = await startFlowLine({ csv: TABLE });
    t.after(() => fl.cleanup());
    const { page } = await openPage(fl.url, t, { colorScheme, locale });
    // GPUs, with a run's process listed and the history chart drawn.
    await page.locator('tr.proc-flowline').waitFor();
    await page.locator('.history-chart canvas').first().waitFor();
    let found = await seriousA11yViolations(page);
    assert.equal(found.length, 0, `GPUs page:\n${report(found)}`);
    // The confirm dialog, open.
    await page.locator('.gpu-actions .btn-danger:not([disabled])').first().click();
    await page.getByRole('dialog').waitFor();
    found = await seriousA11yViolations(page);
    assert.equal(found.length, 0, `confirm dialog:\n${report(found)}`);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.goto(`${fl.base}/#/settings`);
    await page.locator('.about-list').waitFor();
    found = await seriousA11yViolations(page);
    assert.equal(found.length, 0, `Settings page:\n${report(found)}`);
  });
}
