// Every scenario end to end: pick it in the picker, run it from the UI on real threads, and check
// that the page shows what the report says (deadlock picture, panic, failures, ordering, cancel,
// the race tally), with a screenshot each and no console errors.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

const NAMES = [
  'basic',
  'ordering',
  'backpressure',
  'deadlock-no-close',
  'deadlock-after-wait',
  'deadlock-circular',
  'panic-send-on-closed',
  'panic-close-twice',
  'errors',
  'cancel',
  'waitgroup-misuse',
  // The production patterns: run from the page in production.test.mjs.
  'unbounded-vs-pool',
  'retry',
  'autoscale',
];

const DEADLOCK_WORDS = {
  'send/full': 'send: buffer full',
  'send/rendezvous': 'send: no receiver',
  'recv/empty': 'receive: buffer empty',
  'recv/rendezvous': 'receive: no sender',
  'wait/counter': 'wait: counter above zero',
};

/** Collects every report the playground announces, so a UI run's report can be read back. */
async function listenForReports(page) {
  await page.evaluate(() => {
    window.__reports = [];
    document.querySelector('#playground').addEventListener('poolplay-report', (e) => window.__reports.push(e.detail));
  });
}

/** Picks `name` in the picker, presses Run, and resolves with the report of that run. */
async function runScenario(page, name) {
  const before = await page.evaluate(() => window.__reports.length);
  await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).click();
  assert.equal(await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction((n) => window.__reports.length > n, before, { timeout: HANG_GUARD_MS });
  const report = await page.evaluate(() => window.__reports.at(-1));
  assert.equal(report.config.scenario, name, 'the run carried the picked scenario');
  assert.equal(await page.locator('.verdict').getAttribute('data-outcome'), report.outcome, 'the verdict shows the outcome');
  // The outcome and the core's message, said once, with actors named as the page names them.
  const message = report.message?.replace(/\b(worker|task)-(\d+)\b/g, '$1 $2');
  const words = !message ? report.outcome : message.startsWith(report.outcome) ? message : `${report.outcome} (${message})`;
  assert.equal(await page.locator('.summary dd').first().textContent(), words);
  return report;
}

/** The four accounting counts the page shows. */
async function shownAccounting(page) {
  const counts = {};
  for (const kind of ['done', 'failed', 'notStarted', 'undelivered']) {
    counts[kind] = Number(await page.locator(`.accounting .kind[data-kind="${kind}"]`).getAttribute('data-count'));
  }
  return counts;
}

/** Asserts the page's accounting matches the report's and covers every job once. */
async function assertAccounting(page, report) {
  const shown = await shownAccounting(page);
  const { accounting } = report;
  for (const kind of Object.keys(shown)) assert.equal(shown[kind], accounting[kind].length, `${kind} count`);
  const every = Object.values(accounting).flat().sort((a, b) => a - b);
  assert.deepEqual(every, Array.from({ length: report.config.jobs }, (_, i) => i + 1), 'every job accounted for once');
  return shown;
}

/** Job numbers in the results list, in the order shown. */
async function listedJobs(page) {
  const items = await page.locator('.results li').allTextContents();
  return items.map((text) => Number(/^job (\d+)/.exec(text)[1]));
}

describe('scenarios, picked and run from the page', () => {
  let site;
  let page;
  let threads;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
    await listenForReports(page);
    threads = await page.evaluate(() => window.poolplay.threads);
  });
  after(async () => {
    await site?.close();
  });

  test('the picker offers every preset the core lists, and picking one sets the knobs', async () => {
    const presets = await page.evaluate(() => window.poolplay.scenarios.map((s) => s.name));
    assert.deepEqual([...presets].sort(), [...NAMES].sort());
    for (const name of NAMES) {
      assert.equal(await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).isEnabled(), true, name);
    }
    await page.locator('.scenario-buttons button[data-scenario="backpressure"]').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.scenario-text h2').textContent(), 'A slow consumer slows everyone');
    assert.equal(await page.locator('input[name=consumerMs]').inputValue(), '300');
    assert.equal(await page.locator('input[name=workers]').inputValue(), '2');
    assert.equal(await page.locator('details.more').evaluate((d) => d.open), true, 'the more group opens for a scenario knob');
    await page.locator('.scenario-buttons button[data-scenario="ordering"]').click();
    assert.equal(await page.locator('input[name=jobCostMs]').inputValue(), '250, 400, 550, 100');
    assert.equal(await page.locator('input[name=consumerMs]').inputValue(), '0', 'a pick starts from the basic pool');
    assert.equal(await page.locator('.panel[data-panel="ordering"]').evaluate((d) => d.open), true);
  });

  test('a malformed cost list is explained and does not run', async () => {
    await page.locator('.scenario-buttons button[data-scenario="ordering"]').click();
    const before = await page.evaluate(() => window.__reports.length);
    await page.locator('input[name=jobCostMs]').fill('250, lots');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // The core judges the knobs (a message to its worker), so the refusal shows a moment later.
    await page.waitForFunction(() => /Cost per job/.test(document.querySelector('.playground > .message').textContent));
    assert.match(await page.locator('.message').textContent(), /Cost per job \(ms\), in turn \(entry 2\) must be .* from 0 to 2000, but got "lots"/);
    assert.equal(await page.locator('.message').isVisible(), true);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__reports.length), before, 'nothing ran');
  });

  test('basic completes and lists every job', async () => {
    const report = await runScenario(page, 'basic');
    assert.equal(report.outcome, 'completed');
    assert.deepEqual([...(await listedJobs(page))].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
    await assertAccounting(page, report);
    await screenshot(page, 'scenario-basic');
  });

  test('ordering: the chart has a dot per result and results arrive out of order', async () => {
    const report = await runScenario(page, 'ordering');
    assert.equal(report.outcome, 'completed');
    assert.deepEqual(report.config.jobCostMs, [250, 400, 550, 100]);
    assert.equal(await page.locator('.ordering-chart circle').count(), 12);
    const shown = await listedJobs(page);
    assert.deepEqual(shown, report.results.map((r) => r.job));
    assert.notDeepEqual(shown, [...shown].sort((a, b) => a - b), 'results out of job order');
    const misplaced = Number(await page.locator('.ordering-chart').getAttribute('data-out-of-order'));
    assert.equal(misplaced, report.results.filter((r) => r.arrival !== r.job).length);
    assert.ok(misplaced > 0);
    await screenshot(page, 'scenario-ordering');
  });

  test('ordering with "ordered" ticked: job order, and the reorder buffer figures', async () => {
    await page.locator('.scenario-buttons button[data-scenario="ordering"]').click();
    await page.locator('input[name=ordered]').check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__reports.at(-1)?.config.ordered === true, null, { timeout: HANG_GUARD_MS });
    const report = await page.evaluate(() => window.__reports.at(-1));
    assert.deepEqual(await listedJobs(page), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.ok(report.stats.reorderPeak > 0);
    assert.match(await page.locator('.reorder .figure-note').textContent(), new RegExp(`peak ${report.stats.reorderPeak} · results waited`));
    assert.equal(await page.locator('.ordering-chart circle').count(), 12);
  });

  test('backpressure: the queue plot and the blocked totals', async () => {
    const report = await runScenario(page, 'backpressure');
    assert.equal(report.outcome, 'completed');
    assert.equal(await page.locator('.panel[data-panel="queues"]').evaluate((d) => d.open), true);
    const height = await page.locator('canvas.queues').evaluate((c) => c.height);
    assert.ok(height > 0, 'the queue plot is drawn');
    assert.ok(report.stats.producerBlockedMs > 0, 'a slow consumer makes the producer wait');
    assert.ok(report.stats.maxResultsQueued === 2);
    const totals = await page.locator('.queue-totals').textContent();
    assert.match(totals, new RegExp(`^Producer blocked ${report.stats.producerBlockedMs.toFixed(0)} ms; workers blocked ${report.stats.workersBlockedMs.toFixed(0)} ms`));
    await screenshot(page, 'scenario-backpressure');
  });

  for (const name of ['deadlock-no-close', 'deadlock-after-wait', 'deadlock-circular']) {
    test(`${name}: Go's message and a wait-for picture of every blocked actor; the next run works`, async () => {
      const report = await runScenario(page, name);
      assert.equal(report.outcome, 'deadlock');
      assert.equal(report.message, 'fatal error: all goroutines are asleep - deadlock!');
      assert.equal(await page.locator('.verdict .go-message').textContent(), report.message);
      assert.ok(report.blocked.length > 0);
      // Actors stuck on the same thing share a box; every blocked actor is in one.
      const drawn = await page
        .locator('.waitfor .waitfor-node.stuck')
        .evaluateAll((nodes) => nodes.flatMap((n) => n.dataset.actors.split(' ')));
      assert.deepEqual([...drawn].sort(), report.blocked.map((b) => b.actor).sort(), 'every blocked actor is drawn');
      const labels = await page.locator('.waitfor .waitfor-label.waits').allTextContents();
      const words = new Set(report.blocked.map((b) => DEADLOCK_WORDS[`${b.op}/${b.reason}`]));
      assert.deepEqual(new Set(labels.map((text) => text.replace(/^↰ /, ''))), words);
      assert.ok(await page.locator('.waitfor .waitfor-label.wakes').count(), 'who could end each wait is drawn');
      assert.match(await page.locator('.verdict .released').textContent(), new RegExp(`all ${threads} threads`));
      await assertAccounting(page, report);
      await screenshot(page, `scenario-${name}`);
      // The deadlock released its threads: a normal run completes on the same pool.
      const next = await page.evaluate(() => window.poolplay.run({ scenario: 'basic', workMs: 10 }));
      assert.equal(next.outcome, 'completed');
      assert.equal(next.results.length, 12);
      assert.equal(await page.evaluate(() => window.poolplay.threads), threads);
    });
  }

  test('deadlock-after-wait completes once the results buffer holds every job', async () => {
    await page.locator('.scenario-buttons button[data-scenario="deadlock-after-wait"]').click();
    await page.locator('input[name=resultsBuffer]').fill('10');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.__reports.at(-1)?.config.resultsBuffer === 10, null, { timeout: HANG_GUARD_MS });
    assert.equal(await page.locator('.verdict').getAttribute('data-outcome'), 'completed');
  });

  for (const [name, error] of [
    ['panic-send-on-closed', 'send on closed channel'],
    ['panic-close-twice', 'close of closed channel'],
  ]) {
    test(`${name}: the panic names its actor`, async () => {
      const report = await runScenario(page, name);
      assert.equal(report.outcome, 'panic');
      assert.equal(report.panic.error, error);
      // On screen an actor is "worker 2", as everywhere on the page; the report keeps "worker-2".
      const onScreen = (text) => text.replace(/\b(worker|task)-(\d+)\b/g, '$1 $2');
      assert.equal(await page.locator('.verdict h3').textContent(), `Panic in ${onScreen(report.panic.actor)}`);
      assert.equal(await page.locator('.verdict .go-message').textContent(), onScreen(report.message));
      assert.match(report.message, new RegExp(`panic: ${error}.*${report.panic.actor}`));
      if (name === 'panic-close-twice') assert.equal(report.panic.actor, 'producer');
      else assert.match(report.panic.actor, /^worker-\d+$/);
      await assertAccounting(page, report);
      await screenshot(page, `scenario-${name}`);
    });
  }

  test('errors: failures counted, listed and accounted for', async () => {
    const report = await runScenario(page, 'errors');
    assert.equal(report.outcome, 'completed');
    const shown = await assertAccounting(page, report);
    assert.equal(shown.failed, report.stats.failed);
    assert.ok(shown.failed > 0);
    assert.ok(report.accounting.failed.includes(3), 'job 3 always fails');
    assert.equal(shown.done + shown.failed, 20);
    assert.equal(await page.locator('.results li.failed').count(), shown.failed, 'each failure marked in the list');
    assert.equal(await page.locator('.verdict p').first().textContent(), `${report.stats.succeeded} succeeded, ${report.stats.failed} failed.`);
    // Failed jobs: the verdict says how many, and does not look like a clean success.
    assert.equal(await page.locator('.verdict h3').textContent(), `Completed, but ${shown.failed} of 20 jobs failed`);
    assert.equal(await page.locator('.verdict').evaluate((box) => box.classList.contains('failures')), true);
    // The seed decides the failures, so a scripted run fails the same jobs.
    const again = await page.evaluate(() => window.poolplay.run({ scenario: 'errors' }));
    assert.deepEqual(again.accounting.failed, report.accounting.failed);
    await screenshot(page, 'scenario-errors');
  });

  test('cancel: the timer shuts the run down gracefully and every job is accounted for', async () => {
    const report = await runScenario(page, 'cancel');
    assert.equal(report.outcome, 'cancelled');
    assert.equal(await page.locator('.verdict h3').textContent(), 'Cancelled (graceful shutdown)');
    const shown = await assertAccounting(page, report);
    assert.equal(shown.done + shown.failed + shown.notStarted + shown.undelivered, 40);
    assert.ok(shown.notStarted > 0, 'queued jobs were dropped');
    const shutdowns = report.events.filter((e) => e.kind === 'shutdown');
    assert.deepEqual(shutdowns.map((e) => [e.actor, e.mode, e.stage]), [['main', 'graceful', 'requested']]);
    await screenshot(page, 'scenario-cancel');
  });

  test('the Cancel button uses the chosen shutdown mode', async () => {
    await page.locator('.scenario-buttons button[data-scenario="cancel"]').click();
    await page.locator('input[name=cancelAfterMs]').fill('');
    await page.locator('select[name=shutdown]').selectOption('drain');
    const before = await page.evaluate(() => window.__reports.length);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.results li').length >= 3, null, { timeout: HANG_GUARD_MS });
    await page.locator('.buttons button', { hasText: /^Cancel$/ }).click();
    await page.waitForFunction((n) => window.__reports.length > n, before, { timeout: HANG_GUARD_MS });
    const report = await page.evaluate(() => window.__reports.at(-1));
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.config.shutdown, 'drain');
    assert.equal(await page.locator('.verdict h3').textContent(), 'Cancelled (drain shutdown)');
    await assertAccounting(page, report);
  });

  test('waitgroup-misuse: twenty runs and a tally of how often the race bit', async () => {
    const report = await runScenario(page, 'waitgroup-misuse');
    await assertAccounting(page, report);
    assert.equal(await page.locator('.panel[data-panel="repeat"]').evaluate((d) => d.open), true);
    const before = await page.evaluate(() => window.__reports.length);
    await page.locator('.repeat-start').click();
    await page.waitForFunction(() => document.querySelector('.tally')?.dataset.done === 'true', null, { timeout: HANG_GUARD_MS });
    const tally = await page.locator('.tally').evaluate((t) => ({ ...t.dataset, text: t.textContent }));
    assert.equal(tally.runs, '20');
    const bites = Number(tally.bites);
    assert.ok(Number.isInteger(bites) && bites >= 0 && bites <= 20);
    assert.match(tally.text, new RegExp(`^Done: it bit in ${bites} of 20 runs`));
    const reports = await page.evaluate((n) => window.__reports.slice(n), before);
    assert.equal(reports.length, 20);
    const bit = reports.filter((r) => r.outcome !== 'completed' || r.stats.missed > 0).length;
    assert.equal(bit, bites, 'the tally counts the runs that bit');
    assert.equal(await page.locator('.tally-marks li').count(), 20);
    await screenshot(page, 'scenario-waitgroup-misuse');
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('scenarios on a 390 px wide screen', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('a deadlock fits the width, and its picture names every blocked actor', async () => {
    const page = await openPlayground(site, { width: 390, height: 844 });
    await listenForReports(page);
    const report = await runScenario(page, 'deadlock-circular');
    assert.equal(report.outcome, 'deadlock');
    const drawn = await page
      .locator('.waitfor .waitfor-node.stuck')
      .evaluateAll((nodes) => nodes.flatMap((n) => n.dataset.actors.split(' ')));
    assert.equal(drawn.length, report.blocked.length);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    const box = await page.locator('.waitfor').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the wait-for picture fits');
    await screenshot(page, 'scenario-phone-deadlock');
    assert.deepEqual(site.consoleErrors, []);
  });
});
