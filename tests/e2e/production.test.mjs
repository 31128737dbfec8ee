// The production patterns end to end: each scenario picked and run from the page (the comparison
// of no pool against a pool, retries with the dead-letter list, autoscaling), the same through
// window.poolplay.run with other knobs, bad production knobs, and the live progress reporter;
// a screenshot each and no console errors.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

/** Collects every report the playground announces. */
async function listenForReports(page) {
  await page.evaluate(() => {
    window.__reports = [];
    document.querySelector('#playground').addEventListener('poolplay-report', (e) => window.__reports.push(e.detail));
  });
}

/** Picks `name`, presses Run and resolves with that run's report. */
async function runFromPicker(page, name) {
  const before = await page.evaluate(() => window.__reports.length);
  await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction((n) => window.__reports.length > n, before, { timeout: HANG_GUARD_MS });
  const report = await page.evaluate(() => window.__reports.at(-1));
  assert.equal(report.config.scenario, name);
  return report;
}

/** The progress reporter's figures, as the page shows them. */
async function shownProgress(page) {
  return page.locator('.progress-report').evaluate((root) => ({
    delivered: Number(root.dataset.delivered),
    succeeded: Number(root.dataset.succeeded),
    failed: Number(root.dataset.failed),
    inFlight: Number(root.dataset.inFlight),
    bar: root.querySelector('progress').value,
    max: root.querySelector('progress').max,
    text: root.querySelector('.progress-figures').textContent,
  }));
}

const panelOpen = (page, name) => page.locator(`.panel[data-panel="${name}"]`).evaluate((d) => d.open);

describe('the production patterns', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
    await listenForReports(page);
  });
  after(async () => {
    await site?.close();
  });

  test('the picker offers the three production scenarios with their knobs', async () => {
    const names = await page.evaluate(() => window.poolplay.scenarios.map((s) => s.name));
    for (const name of ['unbounded-vs-pool', 'retry', 'autoscale']) {
      assert.ok(names.includes(name), name);
      assert.equal(await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).isEnabled(), true);
    }
    await page.locator('.scenario-buttons button[data-scenario="autoscale"]').click();
    assert.equal(await page.locator('.scenario-text h2').textContent(), 'A pool that grows and shrinks');
    assert.equal(await page.locator('select[name=pool]').inputValue(), 'autoscale');
    assert.equal(await page.locator('input[name=burstJobs]').inputValue(), '60');
    assert.equal(await page.locator('details.more').evaluate((d) => d.open), true);
    assert.equal(await panelOpen(page, 'scaling'), true, 'its picture is put first');
  });

  test('unbounded vs pool: the tasks overrun the service, the pool as wide as its limit does not', async () => {
    const report = await runFromPicker(page, 'unbounded-vs-pool');
    assert.equal(report.outcome, 'completed');
    const { unbounded, pool } = report.comparison;
    assert.equal(unbounded.workers, 16);
    assert.ok(unbounded.service.peakConcurrent > 4, 'more requests at once than the limit');
    assert.ok(unbounded.service.rejections > 0);
    assert.equal(pool.service.rejections, 0);
    assert.ok(pool.service.peakConcurrent <= 4);
    assert.equal(pool.succeeded, 16);
    assert.equal(await panelOpen(page, 'comparison'), true);
    const rejections = (side) => page.locator(`.comparison-view figure[data-side="${side}"]`).getAttribute('data-rejections');
    assert.equal(await rejections('unbounded'), String(unbounded.service.rejections));
    assert.equal(await rejections('pool'), '0');
    assert.match(await page.locator('.comparison-view figure[data-side="unbounded"] .figure-note').textContent(), /over the limit/);
    assert.match(await page.locator('.actors').textContent(), /task 16: done/, 'a lane and a chip per task');
    assert.equal((await shownProgress(page)).delivered, 16, 'the reporter follows the pool side');
    // Both sides, the one without a pool first.
    const side = `No pool: ${unbounded.succeeded} succeeded · ${unbounded.failed} failed · `;
    const { text } = await shownProgress(page);
    assert.ok(text.startsWith(side), text);
    assert.match(text.slice(side.length), /^[\d.]+ (ms|s) · Pool side: 16 of 16 delivered · 16 succeeded · 0 failed · .* · completed$/);
    await screenshot(page, 'production-unbounded-vs-pool');
  });

  test('retries: every job is done or in the dead-letter list, with its attempts and last error', async () => {
    const report = await runFromPicker(page, 'retry');
    assert.equal(report.outcome, 'completed');
    const { done, failed, notStarted, undelivered } = report.accounting;
    assert.equal(done.length + failed.length, 20);
    assert.deepEqual([notStarted.length, undelivered.length], [0, 0]);
    assert.deepEqual(report.deadLetters.map((d) => d.job).sort((a, b) => a - b), failed);
    assert.ok(report.deadLetters.some((d) => d.job === 3 && d.attempts === 4));
    assert.ok(report.events.some((e) => e.kind === 'backoff'), 'the waits are in the trace');
    assert.equal(await panelOpen(page, 'retry'), true);
    const listed = await page.locator('.dead-letters .dead li').evaluateAll((items) =>
      items.map((li) => ({ job: Number(li.dataset.job), attempts: Number(li.dataset.attempts), text: li.textContent })),
    );
    assert.deepEqual(
      listed.map(({ job, attempts }) => ({ job, attempts })),
      report.deadLetters.map(({ job, attempts }) => ({ job, attempts })),
    );
    // The entry names the job once: the error's own "job 3 " lead is not repeated.
    for (const [i, { job, error }] of report.deadLetters.entries()) {
      assert.ok(listed[i].text.includes(error.replace(`job ${job} `, '')), listed[i].text);
      assert.equal(listed[i].text.split(`job ${job}`).length, 2, `"job ${job}" once: ${listed[i].text}`);
    }
    const progress = await shownProgress(page);
    assert.deepEqual([progress.delivered, progress.failed, progress.bar, progress.max], [20, failed.length, 20, 20]);
    await screenshot(page, 'production-retry');
  });

  test('autoscaling: the worker count grows in the burst, stays within its bounds and comes back down', async () => {
    const report = await runFromPicker(page, 'autoscale');
    assert.equal(report.outcome, 'completed');
    assert.equal(report.accounting.done.length, 70);
    const { minWorkers, maxWorkers, workers, peakWorkers } = report.scaling;
    assert.ok(workers.every(([, n]) => n >= minWorkers && n <= maxWorkers), JSON.stringify(workers));
    assert.ok(peakWorkers > minWorkers);
    const peakAt = workers.findIndex(([, n]) => n === peakWorkers);
    assert.ok(workers.slice(peakAt).some(([, n]) => n === minWorkers), 'back to the minimum');
    assert.equal(await panelOpen(page, 'scaling'), true);
    const size = await page.locator('canvas.scaling').evaluate((c) => [c.width, c.height]);
    assert.ok(size[0] > 0 && size[1] > 0);
    assert.match(await page.locator('.scaling-totals').textContent(), new RegExp(`At most ${peakWorkers} workers; ${report.scaling.scaledUp} added`));
    assert.match(await page.locator('.actors').textContent(), /retired after idling/);
    await screenshot(page, 'production-autoscale');
  });

  test('each scenario through window.poolplay.run, with other knobs', async () => {
    const wider = await page.evaluate(() =>
      window.poolplay.run({ scenario: 'unbounded-vs-pool', workers: 6, serviceConcurrency: 6, jobs: 12, workMs: 300 }),
    );
    assert.equal(wider.comparison.pool.service.rejections, 0, 'W = C again');
    assert.equal(wider.comparison.unbounded.service.rejections, 6, '12 at once against 6');
    const once = await page.evaluate(() => window.poolplay.run({ scenario: 'retry', maxAttempts: 1, workMs: 10 }));
    assert.equal(once.deadLetters, undefined, 'no retries, no dead-letter queue');
    assert.ok(once.accounting.failed.length > 0);
    const small = await page.evaluate(() =>
      window.poolplay.run({ scenario: 'autoscale', maxWorkers: 3, jobs: 30, burstJobs: 30, workMs: 50, quietMs: 0 }),
    );
    assert.equal(small.accounting.done.length, 30);
    assert.ok(small.scaling.workers.every(([, n]) => n <= 3));
    const rate = await page.evaluate(() => window.poolplay.run({ workers: 4, jobs: 10, workMs: 20, serviceRate: 3 }));
    assert.equal(rate.service.serviceRate, 3);
    assert.ok(rate.service.rejections >= 7, `at most 3 of 10 in a second: ${rate.service.rejections} refused`);
  });

  test('bad production knobs are rejected with the field and its range', async () => {
    const cases = [
      [{ maxWorkers: 2, minWorkers: 5 }, 'maxWorkers must be at least minWorkers (5), but got 2'],
      [{ backoffFactor: 0.5 }, 'backoffFactor must be a number from 1 to 10, but got 0.5'],
      [{ serviceConcurrency: 0 }, 'serviceConcurrency must be a whole number from 1 to 100, or absent, but got 0'],
      [
        { pool: 'compare', jobs: 40 },
        'jobs must be a whole number from 1 to 16 when pool is "unbounded" or "compare" (a task per job needs a thread per job), but got 40',
      ],
      [{ maxAttempts: '<script>' }, 'maxAttempts must be a whole number from 1 to 10, but got "<script>"'],
    ];
    for (const [config, message] of cases) {
      const outcome = await page.evaluate((c) => window.poolplay.run(c).then(() => 'resolved', (e) => e.message), config);
      assert.equal(outcome, message);
    }
    assert.equal(await page.locator('.message').textContent(), cases.at(-1)[1], 'the page shows it as text');
  });

  test('the progress reporter follows a long run live, then shows it done', async () => {
    const running = page.evaluate(() =>
      window.poolplay.run({ scenario: 'basic', workers: 4, jobs: 400, workMs: 40, jobsBuffer: 8 }),
    );
    await page.waitForFunction(() => {
      const root = document.querySelector('.progress-report');
      const delivered = Number(root.dataset.delivered);
      return delivered > 0 && delivered < 400 && /jobs\/s over the last second · about .* left · running$/.test(root.textContent);
    }, null, { timeout: HANG_GUARD_MS });
    const live = await shownProgress(page);
    assert.ok(live.inFlight > 0 && live.inFlight <= 4, `in flight: ${live.inFlight}`);
    assert.equal(live.max, 400);
    await screenshot(page, 'production-progress-live');
    await page.evaluate(() => window.poolplay.cancel());
    const report = await running;
    assert.equal(report.outcome, 'cancelled');
    const done = await shownProgress(page);
    assert.equal(done.delivered, report.results.length);
    assert.match(done.text, /· cancelled$/, 'the line names the outcome');
  });

  test('no console errors', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});
