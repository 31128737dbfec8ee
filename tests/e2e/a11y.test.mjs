// Accessibility: axe-core (the npm package, injected into the page) checks the playground after a
// run, the image example, the pipeline example, the tutorial, the embed page and the challenges page against the WCAG 2
// A and AA rules, and
// finds no violation.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openPlayground, openSite } from '../../tools/browser.mjs';

const { source: AXE } = createRequire(import.meta.url)('axe-core');

/** Runs axe on `page` (open shadow roots included) and returns its WCAG 2 A/AA violations. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map(({ id, help, nodes }) => ({
      id,
      help,
      nodes: nodes.map((node) => `${node.target.join(' >> ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

/** Asserts that `page` has no violations, listing them all when it has. */
async function assertAccessible(page, where) {
  const found = await violations(page);
  assert.deepEqual(found, [], `${where}:\n${JSON.stringify(found, null, 2)}`);
}

describe('WCAG 2 A and AA, checked by axe-core', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('the playground, before and after a run', async () => {
    const page = await openPlayground(site);
    await assertAccessible(page, 'the playground before a run');
    const report = await page.evaluate(() => window.poolplay.run({ scenario: 'errors', workMs: 20 }));
    assert.equal(report.outcome, 'completed');
    await page.locator('details.more summary').click();
    await assertAccessible(page, 'the playground after a run');
    await page.close();
  });

  test('the image example, after a batch', async () => {
    const page = await openPlayground(site);
    await page.getByRole('button', { name: 'Resizing images' }).click();
    const report = await page.evaluate(() => window.poolplay.run({ example: 'image', images: 'samples', workers: 2 }));
    assert.ok(report.results.length > 0);
    await assertAccessible(page, 'the image example');
    await page.close();
  });

  test('the pipeline example, after a run', async () => {
    const page = await openPlayground(site);
    await page.getByRole('button', { name: 'Pipelines' }).click();
    const report = await page.evaluate(() => window.poolplay.run({ example: 'pipeline', jobs: 6, stages: [{ workers: 2, workMs: 5 }, { workers: 1, workMs: 20 }] }));
    assert.equal(report.outcome, 'completed');
    await assertAccessible(page, 'the pipeline example');
    await page.close();
  });

  test('the tutorial', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}tutorial.html`);
    await page.waitForFunction(
      () => [...document.querySelectorAll('pool-playground')].every((el) => ['ready', 'recording'].includes(el.dataset.state)),
      null,
      { timeout: HANG_GUARD_MS },
    );
    await assertAccessible(page, 'the tutorial');
    await page.close();
  });

  test('the embed page, after a run', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}embed.html?scenario=deadlock-no-close&jobs=6`);
    const element = page.locator('pool-playground');
    await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'ready', null, { timeout: HANG_GUARD_MS });
    await element.locator('button.run').click();
    await element.locator('.verdict[data-outcome="deadlock"]').waitFor({ timeout: HANG_GUARD_MS });
    await assertAccessible(page, 'the embed page');
    await page.close();
  });

  test('the challenges page, with a challenge graded and a fix’s knobs open', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}challenges.html#errors-count`);
    const host = '#errors-count .challenge-host';
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.state === 'ready', host, { timeout: HANG_GUARD_MS });
    await page.locator(host).locator('input[name=answer]').fill('20');
    await page.locator(host).locator('button.run').click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.state === 'graded', host, { timeout: HANG_GUARD_MS });
    await page.locator('#circular-fix summary').click();
    await page.waitForFunction(() => document.querySelector('#circular-fix .challenge-host')?.dataset.state === 'ready', null, { timeout: HANG_GUARD_MS });
    await assertAccessible(page, 'the challenges page');
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});
