// The playground end to end in headless Chromium: real threads, the UI, the scripting contract.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

/** Asserts every job 1..n came back exactly once, doubled, from a real worker. */
function assertEveryJobOnce(results, jobs, workers) {
  const seen = results.map((r) => r.job).sort((a, b) => a - b);
  assert.deepEqual(seen, Array.from({ length: jobs }, (_, i) => i + 1));
  for (const r of results) {
    assert.equal(r.value, r.job * 2);
    assert.ok(r.worker >= 1 && r.worker <= workers, `worker ${r.worker}`);
  }
}

/** Every config field, as the unknown-field message lists them. */
const FIELDS =
  'scenario, workers, jobs, jobsBuffer, resultsBuffer, workMs, jobCostMs, consumerMs, closeJobs, collect, mistake, failRate, failJobs, seed, ordered, cancelAfterMs, shutdown, shutdownTimeoutMs, ' +
  'pool, serviceConcurrency, serviceRate, maxAttempts, backoffMs, backoffFactor, backoffCapMs, backoffJitter, ' +
  'minWorkers, maxWorkers, scaleUpPerWorker, idleTimeoutMs, burstJobs, quietMs, tailGapMs';

/** The members of `object` named in `keys`. */
function pick(object, keys) {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}

describe('the playground on an isolated page', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
  });
  after(async () => {
    await site?.close();
  });

  test('is cross-origin isolated and has a thread for every actor of the largest run', async () => {
    const info = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      threads: window.poolplay.threads,
      status: document.querySelector('#status').textContent,
    }));
    assert.equal(info.isolated, true);
    assert.equal(info.threads, 20);
    assert.match(info.status, /20 threads/);
    assert.equal(await page.locator('#isolation').isHidden(), true);
  });

  test('a run from the UI streams live and shows every job exactly once', async () => {
    await page.locator('input[name=workers]').fill('4');
    await page.locator('input[name=jobsBuffer]').fill('2');
    await page.locator('input[name=resultsBuffer]').fill('0');
    await page.locator('input[name=jobs]').fill('16');
    await page.locator('input[name=workMs]').fill('120');
    // The lanes in sight beside the Run button, so the live run draws them (off the screen it does not).
    await page.evaluate(() => document.querySelector('#playground canvas.lanes').scrollIntoView({ block: 'end' }));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // Mid-run, some results are already listed while the run is still going: events stream.
    await page.waitForFunction(() => {
      const shown = document.querySelectorAll('.results li').length;
      const running = !document.querySelector('.buttons button:last-child').disabled;
      return running && shown > 0 && shown < 16;
    });
    await screenshot(page, 'playground-running');
    await page.waitForFunction(() => document.querySelector('.summary dd')?.textContent === 'completed');
    const items = await page.locator('.results li').allTextContents();
    assert.equal(items.length, 16);
    const jobs = items.map((text) => {
      const [, job, value, worker] = /^job (\d+) → (\d+) · worker (\d+)$/.exec(text).map(Number);
      assert.equal(value, job * 2);
      assert.ok(worker >= 1 && worker <= 4);
      return job;
    });
    assert.deepEqual(jobs.sort((a, b) => a - b), Array.from({ length: 16 }, (_, i) => i + 1));
    await screenshot(page, 'playground-done');
  });

  test('window.poolplay.run reports results, events and stats for one run', async () => {
    const config = { workers: 3, jobs: 40, jobsBuffer: 1, resultsBuffer: 5, workMs: 5 };
    const report = await page.evaluate((c) => window.poolplay.run(c), config);
    assert.equal(report.outcome, 'completed');
    assertEveryJobOnce(report.results, 40, 3);
    assert.deepEqual(pick(report.config, Object.keys(config)), config);
    assert.equal(report.config.scenario, 'basic');
    const { stats, events } = report;
    assert.equal(stats.threads, 6);
    assert.equal(stats.maxJobsQueued, 1);
    assert.ok(stats.wallMs >= (40 / 3) * 5, `wall ${stats.wallMs}`);
    assert.ok(stats.producerBlockedMs > 0, 'a one-slot jobs buffer makes the producer wait');
    assert.ok(events.every((e, i) => i === 0 || events[i - 1].t <= e.t), 'events in time order');
    const count = (kind, channel) => events.filter((e) => e.kind === kind && (!channel || e.channel === channel)).length;
    assert.equal(count('sent', 'jobs'), 40);
    assert.equal(count('started'), 40);
    assert.equal(count('finished'), 40);
    assert.equal(count('received', 'results'), 40);
    assert.equal(count('exited'), 6);
    assert.deepEqual(events.at(-1), { ...events.at(-1), kind: 'ended', outcome: 'completed' });
    // Arrival order in results is the order the consumer received them.
    const arrivals = events.filter((e) => e.kind === 'received' && e.channel === 'results').map((e) => e.job);
    assert.deepEqual(arrivals, report.results.map((r) => r.job));
  });

  test('defaults make a sensible run', async () => {
    const report = await page.evaluate(() => window.poolplay.run());
    assert.equal(report.outcome, 'completed');
    const basics = { workers: 3, jobs: 12, jobsBuffer: 4, resultsBuffer: 4, workMs: 200 };
    assert.deepEqual(pick(report.config, Object.keys(basics)), basics);
    assertEveryJobOnce(report.results, 12, 3);
  });

  test('bad configs reject with the field and its range, and the page carries on', async () => {
    const cases = [
      [{ workers: 0 }, 'workers must be a whole number from 1 to 16, but got 0'],
      [{ workers: 10000 }, 'workers must be a whole number from 1 to 16, but got 10000'],
      [{ jobsBuffer: -1 }, 'jobsBuffer must be a whole number from 0 to 100, but got -1'],
      [{ jobs: 'many' }, 'jobs must be a whole number from 1 to 10000, but got "many"'],
      [{ workMs: 2.5 }, 'workMs must be a whole number from 0 to 2000, but got 2.5'],
      [{ wrokers: 2 }, `unknown config field "wrokers"; the fields are ${FIELDS}`],
      ['fast', 'config must be an object, such as { workers: 3, jobs: 12 }'],
    ];
    for (const [config, message] of cases) {
      const outcome = await page.evaluate(
        (c) => window.poolplay.run(c).then(() => 'resolved', (e) => [e instanceof Error, e.message]),
        config,
      );
      assert.deepEqual(outcome, [true, message]);
    }
    const notCloneable = await page.evaluate(() =>
      window.poolplay.run({ workers: () => 1 }).then(() => 'resolved', (e) => e.message),
    );
    assert.match(notCloneable, /^config must hold only numbers, strings, booleans and lists/);
    assert.equal(await page.locator('.message').textContent(), notCloneable, 'the widget shows the error');
    const report = await page.evaluate(() => window.poolplay.run({ jobs: 5, workMs: 0 }));
    assert.equal(report.outcome, 'completed');
  });

  test('cancel ends a long run and the next run works', async () => {
    const cancelled = await page.evaluate(() => {
      const run = window.poolplay.run({ workers: 16, jobs: 10000, workMs: 2000, shutdown: 'force', shutdownTimeoutMs: 0 });
      setTimeout(() => window.poolplay.cancel(), 300);
      return run;
    });
    assert.equal(cancelled.outcome, 'cancelled');
    assert.ok(cancelled.results.length < 10000);
    assert.equal(cancelled.events.filter((e) => e.kind === 'exited').length, 19, 'every thread came back');
    const next = await page.evaluate(() => window.poolplay.run({ workers: 16, jobs: 64, workMs: 1 }));
    assert.equal(next.outcome, 'completed');
    assertEveryJobOnce(next.results, 64, 16);
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('the playground on a page that is not cross-origin isolated', () => {
  let site;
  before(async () => {
    site = await openSite({ isolated: false });
  });
  after(async () => {
    await site?.close();
  });

  test('says so in plain words and rejects runs with the reason', async () => {
    const page = await openPlayground(site);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.equal(await page.locator('#isolation').isVisible(), true);
    assert.match(await page.locator('#isolation').textContent(), /Cross-Origin-Embedder-Policy: require-corp/);
    const rejection = await page.evaluate(() => window.poolplay.run().then(() => 'resolved', (e) => e.message));
    assert.match(rejection, /not cross-origin isolated/);
    assert.equal(await page.locator('#playground').getByRole('button', { name: 'Run', exact: true }).isDisabled(), true);
    // Instead, a recording of a real run plays, labelled as one.
    await page.waitForFunction(() => document.querySelector('#recording')?.dataset.state === 'recording');
    assert.match(await page.locator('#recording .replay-title').textContent(), /Recording of a real run on \d+ threads/);
    await screenshot(page, 'not-isolated');
    assert.deepEqual(site.consoleErrors, []);
  });
});
