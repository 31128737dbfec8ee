// One account per run: after every preset, and after a cancel, each number the page shows (the
// progress line, the summary, the accounting panel, the results list) is read back from the
// visible text and checked against the report's accounting. Also: the knobs refuse what is not a
// value, in the label's words; the picker is locked during a run; focus stays on a usable button;
// a 10,000-job run keeps the page's item count bounded.

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

const reportCount = (page) => page.evaluate(() => window.__reports.length);

/** Waits for the report after `n` reports and returns it. */
async function nextReport(page, n) {
  await page.waitForFunction((k) => window.__reports.length > k, n, { timeout: HANG_GUARD_MS });
  return page.evaluate(() => window.__reports.at(-1));
}

/** The counts the report's accounting gives. */
function expected(report) {
  const a = report.accounting;
  return {
    total: report.config.jobs,
    delivered: a.done.length + a.failed.length,
    succeeded: a.done.length,
    failed: a.failed.length,
    undelivered: a.undelivered.length,
    notStarted: a.notStarted.length,
  };
}

/**
 * Reads the visible progress line of a finished run into numbers; a comparison's line tells the
 * side without a pool first (`unbounded`: its succeeded and failed), then the pool side's counts.
 */
function parseProgress(text) {
  const first = /^No pool: (\d+) succeeded · (\d+) failed · [\d.]+ (?:ms|s) · (?=Pool side: )/.exec(text);
  const unbounded = first && { succeeded: Number(first[1]), failed: Number(first[2]) };
  const match =
    /^(?:Pool side: |No pool: )?(\d+) of (\d+) delivered · (\d+) succeeded · (\d+) failed(?: · (\d+) taken but never delivered)?(?: · (\d+) never started)?(?: · [\d.,]+ jobs\/s over the whole run)? · [\d.]+ (?:ms|s|min \d+ s) · (\w+)$/.exec(
      text.slice(first?.[0].length ?? 0),
    );
  assert.ok(match, `the progress line reads as a finished run: "${text}"`);
  const [, delivered, total, succeeded, failed, undelivered = 0, notStarted = 0, outcome] = match;
  return {
    counts: { total, delivered, succeeded, failed, undelivered, notStarted },
    outcome,
    unbounded,
  };
}

/** Asserts that every number on screen agrees with `report`'s accounting. */
async function assertOneAccount(page, report) {
  const want = expected(report);
  const asNumbers = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

  const progress = parseProgress(await page.locator('.progress-figures').textContent());
  assert.deepEqual(asNumbers(progress.counts), want, 'the progress line');
  assert.equal(progress.outcome, report.outcome, 'the progress line names the outcome');
  const unbounded = report.comparison?.unbounded;
  assert.deepEqual(progress.unbounded, unbounded ? { succeeded: unbounded.succeeded, failed: unbounded.failed } : null, 'the side without a pool');
  assert.equal(await page.locator('.progress-report progress').evaluate((bar) => bar.value), want.delivered, 'the bar');

  // A comparison's summary tells the side without a pool first; the report's counts are the pool side's.
  const term = (name) => page.locator(`.summary dd[data-term="${report.comparison ? `pool: ${name}` : name}"]`);
  if (unbounded) {
    const shown = await page.locator('.summary dd[data-term="no pool: succeeded / failed"]').textContent();
    assert.equal(shown, `${unbounded.succeeded} / ${unbounded.failed}`, 'the summary: the side without a pool');
  }
  assert.equal(await term('results delivered').textContent(), `${want.delivered} of ${want.total}`, 'the summary: delivered');
  assert.equal(await term('succeeded / failed').textContent(), `${want.succeeded} / ${want.failed}`, 'the summary: succeeded / failed');
  assert.equal(await term('taken but never delivered').count(), want.undelivered ? 1 : 0);
  if (want.undelivered) assert.equal(Number(await term('taken but never delivered').textContent()), want.undelivered);
  assert.equal(await term('never started').count(), want.notStarted ? 1 : 0);
  if (want.notStarted) assert.equal(Number(await term('never started').textContent()), want.notStarted);

  const kinds = { done: 'succeeded', failed: 'failed', notStarted: 'notStarted', undelivered: 'undelivered' };
  for (const [kind, key] of Object.entries(kinds)) {
    const shown = await page.locator(`.accounting .kind[data-kind="${kind}"] summary strong`).textContent();
    assert.equal(Number(shown), want[key], `the accounting panel: ${kind}`);
  }
  const note = await page.locator('.accounting .figure-note').textContent();
  assert.match(note, new RegExp(`^${want.total} of ${want.total} jobs accounted for\\. `));
  const lost = want.undelivered + want.notStarted;
  if (lost === 0) assert.match(note, /No result went missing\.$/);
  else assert.match(note, new RegExp(`${lost} results never reached the consumer`));

  const listed = await page.locator('.results li').count();
  assert.equal(listed, Math.min(100, want.delivered), 'the results list shows the first results');
  assert.equal(Number(await page.locator('.results').getAttribute('data-total')), want.delivered, 'the results list counts every delivered result');
  assert.equal(await page.locator('.results li.failed').count(), report.results.slice(0, 100).filter((r) => r.error !== undefined).length);
  assert.equal(Number(await page.locator('.result-count').textContent()), want.delivered, 'the results heading counts them too');
  assert.equal(await page.locator('.results-side').textContent(), report.comparison ? 'Pool side: ' : '', 'whose results these are');
}

describe('one account per run', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
    await listenForReports(page);
  });
  after(async () => {
    await page?.evaluate(() => window.poolplay.cancel()).catch(() => {});
    await site?.close();
  });

  test('before any run the progress line says so, and does not claim to be done', async () => {
    await page.waitForFunction(() => document.querySelector('.progress-report')?.dataset.status === 'not run yet');
    assert.equal(await page.locator('.progress-figures').textContent(), '0 of 12 delivered · not run yet');
  });

  test('after every preset, every number on screen agrees with the report', async () => {
    const presets = await page.evaluate(() => window.poolplay.scenarios.map((s) => s.name));
    assert.ok(presets.length >= 11);
    for (const name of presets) {
      await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).click();
      const n = await reportCount(page);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const report = await nextReport(page, n);
      assert.equal(report.config.scenario, name);
      await assertOneAccount(page, report);
      if (['deadlock-after-wait', 'panic-send-on-closed', 'cancel'].includes(name)) await screenshot(page, `truth-${name}`);
    }
  });

  test('a comparison lists one side\'s results at a time, and its heading says which, at any moment of the replay', async () => {
    await page.locator('.scenario-buttons button[data-scenario="unbounded-vs-pool"]').click();
    const n = await reportCount(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const report = await nextReport(page, n);
    const phase = report.events.find((e) => e.kind === 'phase' && e.phase === 'pool').t;
    const end = Math.max(report.stats.wallMs, report.events.at(-1).t);
    // The results the consumer got on each side up to a moment, as the trace says.
    const receipts = (from, to) => report.events.filter((e) => e.kind === 'received' && e.channel === 'results' && e.t >= from && e.t <= to).length;
    // The scrubber keeps to its steps: each moment is read back from it.
    const step = Number(await page.locator('.replay-time').getAttribute('step'));
    for (const moment of [phase / 2, phase - 2 * step, (phase + end) / 2]) {
      const t = await page.locator('.replay-time').evaluate((range, at) => {
        range.value = String(at);
        range.dispatchEvent(new Event('input'));
        return Number(range.closest('.scrubber').dataset.time);
      }, moment);
      const want = t < phase ? { side: 'No pool: ', count: receipts(0, t) } : { side: 'Pool side: ', count: receipts(phase, t) };
      const shown = await page.evaluate(() => ({
        side: document.querySelector('.results-side').textContent,
        count: Number(document.querySelector('.result-count').textContent),
        listed: document.querySelectorAll('.results li').length,
      }));
      assert.deepEqual(shown, { ...want, listed: want.count }, `at ${t.toFixed(1)} ms (the pool side starts at ${phase.toFixed(1)} ms)`);
      assert.ok(want.count > 0, `results on show at ${t.toFixed(1)} ms`);
    }
    assert.equal(receipts(0, phase), report.config.jobs, 'every task of the side without a pool sent its result');
    await page.locator('.replay-start').click();
    await page.locator('.replay-time').evaluate((range) => {
      range.value = range.max;
      range.dispatchEvent(new Event('input'));
    });
    await assertOneAccount(page, report);
  });

  test('after the Cancel button, every number on screen agrees with the report', async () => {
    await page.locator('.scenario-buttons button[data-scenario="basic"]').click();
    await page.locator('input[name=jobs]').fill('60');
    await page.locator('input[name=workMs]').fill('100');
    const n = await reportCount(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('.progress-report').dataset.delivered) >= 3, null, { timeout: HANG_GUARD_MS });
    const live = await page.locator('.progress-figures').textContent();
    assert.match(live, /^\d+ of 60 delivered · \d+ succeeded · 0 failed · \d+ in flight · \d+ queued · .* · running$/);
    await page.locator('.buttons button', { hasText: /^Cancel$/ }).click();
    const report = await nextReport(page, n);
    assert.equal(report.outcome, 'cancelled');
    await assertOneAccount(page, report);
    await screenshot(page, 'truth-cancelled');
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('the knobs, the picker and the focus', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
    await listenForReports(page);
  });
  after(async () => {
    await page?.evaluate(() => window.poolplay.cancel()).catch(() => {});
    await site?.close();
  });

  test('garbage in a number field is flagged in the label’s words, refused, and cleared once fixed', async () => {
    await page.locator('details.more summary').click();
    const field = page.locator('input[name=cancelAfterMs]');
    const before = await page.locator('.progress-figures').textContent();
    await field.fill('hello');
    await page.waitForFunction(() => document.querySelector('input[name=cancelAfterMs]').getAttribute('aria-invalid') === 'true');
    const describedBy = await field.getAttribute('aria-describedby');
    assert.ok(describedBy, 'the message is tied to the field');
    const error = page.locator(`[id="${describedBy}"]`);
    assert.equal(await error.isVisible(), true);
    assert.equal(await error.textContent(), 'Cancel after (ms) must be a whole number from 0 to 60000, but got "hello"');
    assert.equal(await page.locator('.progress-figures').textContent(), before, 'the picture does not take the bad value');

    const n = await reportCount(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.playground > .message').waitFor();
    assert.match(await page.locator('.playground > .message').textContent(), /^Not run: Cancel after \(ms\) must be a whole number from 0 to 60000, but got "hello"$/);
    await page.waitForTimeout(300);
    assert.equal(await reportCount(page), n, 'nothing ran');
    await screenshot(page, 'truth-invalid-field');

    await field.fill('');
    await page.waitForFunction(() => document.querySelector('input[name=cancelAfterMs]').getAttribute('aria-invalid') === 'false');
    assert.equal(await field.getAttribute('aria-describedby'), null);
    assert.equal(await error.isHidden(), true, 'the error goes once fixed');
    assert.equal(await page.locator('.playground > .message').isHidden(), true);
  });

  test('an empty required field, garbage and a number out of range are refused, never run as 0', async () => {
    /** Types `text` into the field `name` and returns the message tied to it, once it is flagged. */
    const flagged = async (name, text) => {
      const field = page.locator(`input[name=${name}]`);
      await field.fill(text);
      // The core judges the text (a message to its worker): wait until its verdict names this text.
      await page.waitForFunction(
        ([n, t]) => {
          const input = document.querySelector(`input[name=${n}]`);
          const note = document.getElementById(input.getAttribute('aria-describedby'));
          return input.getAttribute('aria-invalid') === 'true' && note?.textContent.includes(t);
        },
        [name, text],
      );
      return page.locator(`[id="${await field.getAttribute('aria-describedby')}"]`).textContent();
    };
    assert.equal(await flagged('jobs', ''), 'Jobs must be a whole number from 1 to 10000, but got ""');
    assert.equal(await flagged('jobs', 'abc'), 'Jobs must be a whole number from 1 to 10000, but got "abc"');
    await page.locator('input[name=jobs]').fill('12');
    assert.equal(await flagged('seed', '-3'), 'Seed for failures must be a whole number from 0 to 4294967295, but got -3');
    const n = await reportCount(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => /Seed for failures/.test(document.querySelector('.playground > .message').textContent));
    assert.equal(await page.locator('.playground > .message').isVisible(), true);
    await page.waitForTimeout(300);
    assert.equal(await reportCount(page), n, 'nothing ran');
    await page.locator('input[name=seed]').fill('1');
    await page.waitForFunction(() => document.querySelectorAll('.controls [aria-invalid="true"]').length === 0);
  });

  test('a rule across fields is flagged at the field the core names', async () => {
    await page.locator('input[name=minWorkers]').fill('9');
    await page.locator('input[name=maxWorkers]').fill('4');
    await page.waitForFunction(() => document.querySelectorAll('.controls [aria-invalid="true"]').length > 0);
    const flagged = await page.locator('.controls [aria-invalid="true"]').evaluateAll((inputs) =>
      inputs.map((input) => [input.name, document.getElementById(input.getAttribute('aria-describedby')).textContent]),
    );
    assert.equal(flagged.length, 1);
    assert.match(flagged[0][1], /Autoscaling: (most|fewest) workers/);
    await page.locator('input[name=minWorkers]').fill('1');
    await page.locator('input[name=maxWorkers]').fill('8');
    await page.waitForFunction(() => document.querySelectorAll('.controls [aria-invalid="true"]').length === 0);
  });

  test('during a run the picker is locked and the focus moves to Cancel, then back to Run', async () => {
    await page.locator('input[name=workMs]').fill('300');
    const n = await reportCount(page);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.progress-report').dataset.status === 'running', null, { timeout: HANG_GUARD_MS });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'focus on Cancel');
    const locked = await page.locator('.scenario-buttons button').evaluateAll((buttons) => buttons.every((b) => b.disabled));
    assert.equal(locked, true, 'no scenario can be picked mid-run');
    assert.equal(await page.locator('.picker-lock').isVisible(), true);
    const report = await nextReport(page, n);
    assert.equal(report.config.scenario, 'basic');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Run', 'focus back on Run');
    assert.equal(await page.locator('.scenario-buttons button[data-scenario="ordering"]').isEnabled(), true);
  });

  test('a 10,000-job run keeps the page small and its numbers agree', async () => {
    const report = await page.evaluate(() =>
      window.poolplay.run({ workers: 16, jobs: 10000, workMs: 0, jobsBuffer: 100, resultsBuffer: 100 }),
    );
    assert.equal(report.outcome, 'completed');
    assert.equal(report.results.length, 10000);
    await assertOneAccount(page, report);
    const elements = await page.evaluate(() => document.querySelectorAll('#playground *').length);
    assert.ok(elements < 3000, `the playground holds ${elements} elements`);
    // Redrawing the finished picture paints what its width allows, not a shape per event.
    const { rects, width } = await page.evaluate(() => {
      const proto = CanvasRenderingContext2D.prototype;
      const fillRect = proto.fillRect;
      let count = 0;
      proto.fillRect = function (...args) {
        count++;
        return fillRect.apply(this, args);
      };
      try {
        window.dispatchEvent(new Event('resize'));
      } finally {
        proto.fillRect = fillRect;
      }
      return { rects: count, width: document.querySelector('canvas.lanes').clientWidth };
    });
    assert.ok(rects > 0, 'the redraw painted');
    assert.ok(rects < 20 * width, `${rects} rectangles for ${report.events.length} events on a ${width} px wide picture`);
    // Job numbers: a lane writes at most 40, however many wide blocks a run has.
    const numbers = await page.evaluate(() =>
      document.querySelector('canvas.lanes').textBoxes.filter((box) => /^\d+(·\d+)?$/.test(box.text)).length,
    );
    const lanes = await page.evaluate(() => document.querySelector('.actors').children.length);
    assert.ok(numbers <= 40 * lanes, `${numbers} job numbers on ${lanes} lanes`);
    await page.locator('.results-more').click();
    assert.equal(await page.locator('.results li').count(), 200, 'a click lists the next hundred');
    await screenshot(page, 'truth-ten-thousand');
  });

  test('a 10,000-job run unbuffered reaches the page whole: every event, in order, unpacked as documented', async () => {
    const report = await page.evaluate(() =>
      window.poolplay.run({ workers: 16, jobs: 10000, workMs: 0, jobsBuffer: 0, resultsBuffer: 0 }).then((r) => {
        const { events } = r;
        const count = (kind, channel) => events.filter((e) => e.kind === kind && (!channel || e.channel === channel)).length;
        return {
          outcome: r.outcome,
          events: events.length,
          ordered: events.every((e, i) => i === 0 || events[i - 1].t <= e.t),
          started: count('started'),
          finished: count('finished'),
          sentJobs: count('sent', 'jobs'),
          receivedResults: count('received', 'results'),
          last: events.at(-1),
          shapes: [...new Set(events.map((e) => `${e.kind}:${Object.keys(e).join(',')}`))].sort(),
        };
      }),
    );
    assert.equal(report.outcome, 'completed');
    assert.ok(report.ordered, 'in time order');
    for (const key of ['started', 'finished', 'sentJobs', 'receivedResults']) assert.equal(report[key], 10000, key);
    assert.deepEqual(report.last, { ...report.last, actor: 'main', kind: 'ended', outcome: 'completed' });
    assert.ok(report.shapes.includes('sent:t,actor,kind,channel,job,len'), report.shapes.join(' '));
    assert.ok(report.shapes.includes('blocked:t,actor,kind,channel,op,reason'), report.shapes.join(' '));
    assert.ok(report.shapes.includes('finished:t,actor,kind,job'), report.shapes.join(' '));
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('one account on a 390 px wide screen', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site, { width: 390, height: 844 });
    await listenForReports(page);
  });
  after(async () => {
    await page?.evaluate(() => window.poolplay.cancel()).catch(() => {});
    await site?.close();
  });

  test('after the presets whose counts used to disagree, the numbers agree and nothing overflows', async () => {
    for (const name of ['deadlock-after-wait', 'deadlock-circular', 'panic-send-on-closed', 'errors']) {
      await page.locator(`.scenario-buttons button[data-scenario="${name}"]`).click();
      const n = await reportCount(page);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const report = await nextReport(page, n);
      await assertOneAccount(page, report);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow} px`);
      await screenshot(page, `truth-phone-${name}`);
    }
    assert.deepEqual(site.consoleErrors, []);
  });
});
