// The pipeline example end to end in headless Chromium: stages as pools on real threads, through
// the scripting contract and through the page (knobs built from the core's table, the picture, the
// verdict, the stage table, the sweep), at 1280 and 390 px.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS, openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

const STAGE_KEYS = ['workers', 'workMs', 'buffer', 'processed', 'busyMs', 'blockedSendMs', 'blockedRecvMs', 'maxQueued'];

/** Runs `config` through window.poolplay.run; a rejection comes back as `{ rejected: message }`. */
function run(page, config) {
  return page.evaluate((c) => window.poolplay.run(c).catch((error) => ({ rejected: error.message })), config);
}

/** Every canvas label of the pipeline's picture that leaves its canvas or covers another. */
function labelProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    for (const canvas of document.querySelectorAll('#pipeline canvas')) {
      if (!canvas.checkVisibility() || !canvas.textBoxes) continue;
      const boxes = canvas.textBoxes;
      boxes.forEach((box, i) => {
        if (box.left < -0.5 || box.top < -0.5 || box.right > canvas.clientWidth + 0.5 || box.bottom > canvas.clientHeight + 0.5)
          problems.push(`${canvas.className}: “${box.text}” leaves the canvas`);
        for (const other of boxes.slice(i + 1)) if (overlap(box, other)) problems.push(`${canvas.className}: “${box.text}” covers “${other.text}”`);
      });
    }
    return problems;
  });
}

/** Sets the knob `name` of the pipeline example to `value`, as a reader would (slider or text). */
async function setKnob(page, name, value) {
  await page.locator(`#pipeline [name="${name}"]`).evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Opens the page on the pipeline example at `width` px, its knobs built. */
async function openPipeline(site, width = 1280) {
  const page = await openPlayground(site, { width, height: 900 });
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.locator('#pipeline .stage-row').first().waitFor({ timeout: HANG_GUARD_MS });
  return page;
}

describe('the pipeline example', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
  });
  after(async () => {
    await site?.close();
  });

  test('window.poolplay.run runs every stage and reports as the contract says', async () => {
    const report = await run(page, {
      example: 'pipeline',
      jobs: 12,
      stages: [{ workers: 2, workMs: 5 }, { workers: 1, workMs: 60, buffer: 3 }, { workers: 2, workMs: 5 }],
    });
    assert.equal(report.outcome, 'completed');
    assert.deepEqual(
      report.results.map((r) => r.arrival),
      report.results.map((_, i) => i + 1),
    );
    for (const r of report.results) {
      assert.deepEqual(Object.keys(r).sort(), ['arrival', 'job', 'value', 'worker']);
      assert.equal(r.value, r.job * 8, 'doubled once per stage');
    }
    assert.deepEqual(report.results.map((r) => r.job).sort((a, b) => a - b), [...Array(12).keys()].map((i) => i + 1));
    assert.equal(report.stages.length, 3);
    for (const stage of report.stages) for (const key of STAGE_KEYS) assert.equal(typeof stage[key], 'number', key);
    assert.deepEqual(report.stages.map((s) => s.processed), [12, 12, 12]);
    assert.equal(report.bottleneck, 1, 'the one-worker stage of 60 ms limits the throughput');
    assert.equal(report.accounting.done.length, 12);
    assert.ok(report.events.some((e) => e.actor === 's2-worker-1' && e.kind === 'started'));
    assert.ok(report.events.some((e) => e.kind === 'closed' && e.channel === 'c3' && e.actor === 's3-closer'));
    assert.ok(report.stats.wallMs > 0);
    assert.equal(report.config.example, 'pipeline');
  });

  test('a stage that never closes its output deadlocks the stages after it, and the page says who waits on what', async () => {
    const report = await run(page, {
      example: 'pipeline',
      jobs: 6,
      stages: [{ workers: 2, workMs: 0 }, { workers: 2, workMs: 0, closeOutput: false }, { workers: 1, workMs: 0 }],
    });
    assert.equal(report.outcome, 'deadlock');
    const waits = report.blocked.map((w) => `${w.actor} ${w.op} ${w.channel}`).sort();
    assert.deepEqual(waits, ['consumer recv c3', 's3-closer wait wg3', 's3-worker-1 recv c2']);
    const verdict = await page.locator('#pipeline .pipeline-report').textContent();
    assert.match(verdict, /Deadlock/);
    assert.match(verdict, /stage 3 worker 1 waits to receive from c2/);
    assert.match(verdict, /c2 is never closed/);
  });

  test('a cancel accounts for every job; one that reaches only the first stage lets the later stages work on', async () => {
    const stages = [{ workers: 2, workMs: 5, buffer: 4 }, { workers: 1, workMs: 30, buffer: 0 }];
    for (const cancelReaches of ['every-stage', 'first-stage']) {
      const report = await run(page, { example: 'pipeline', jobs: 2000, stages, cancelAfterMs: 500, cancelReaches });
      assert.equal(report.outcome, 'cancelled', cancelReaches);
      const { done, failed, notStarted, undelivered } = report.accounting;
      const every = [...done, ...failed, ...notStarted, ...undelivered].sort((a, b) => a - b);
      assert.deepEqual(every, [...Array(2000).keys()].map((i) => i + 1), 'every job once');
      const lost = report.stages.reduce((sum, s) => sum + s.dropped + s.stranded, 0);
      assert.equal(undelivered.length, lost, 'each undelivered job was dropped by a stage or left in a channel');
      // That the later stages really work on is checked natively, cancelled at a moment the test
      // chooses (tests/pipeline.rs); here a timer cancels, so only what holds at any moment is.
      if (cancelReaches === 'first-stage') assert.match(report.message, /only the first stage stopped/);
      else assert.deepEqual(report.stages.map((s) => s.afterCancel), [0, 0], 'no stage took a job once stopped');
    }
  });

  test('bad input is refused with the field named in the script\'s words', async () => {
    const cases = [
      [{ stages: [] }, 'stages must be a list of 1 to 6 stages, but got a list of 0'],
      [{ stages: Array(7).fill({}) }, 'stages must be a list of 1 to 6 stages, but got a list of 7'],
      [{ stages: [{}, { workers: 0 }] }, 'stages[1].workers must be a whole number from 1 to 16, but got 0'],
      [{ stages: [{ workMs: 'hello' }] }, 'stages[0].workMs must be a whole number from 0 to 2000, but got "hello"'],
      [{ jobs: 'hello' }, 'jobs must be a whole number from 1 to 10000, but got "hello"'],
    ];
    for (const [config, message] of cases) {
      const answer = await run(page, { example: 'pipeline', ...config });
      assert.equal(answer.rejected, message);
    }
    const crowded = await run(page, { example: 'pipeline', stages: [{ workers: 16 }, { workers: 2 }] });
    assert.match(crowded.rejected, /^stages have 18 workers in all, but the thread pool has 20 threads/);
  });

  for (const width of [1280, 390]) {
    test(`the page at ${width} px: knobs from the core's table, a run from the Run button, figures that agree with the report`, async () => {
      const view = await openPipeline(site, width);
      assert.equal(await view.locator('#pipeline .stage-row').count(), 3, 'the default three stages');
      await view.getByRole('button', { name: 'Add a stage' }).click();
      assert.equal(await view.locator('#pipeline .stage-row').count(), 4);
      await view.getByRole('button', { name: 'Remove the last stage' }).click();
      await setKnob(view, 'pipeline-jobs', 8);
      await setKnob(view, 's2-workMs', 150);
      const reported = view.evaluate(
        () => new Promise((resolve) => document.querySelector('#pipeline').addEventListener('poolplay-report', (e) => resolve(e.detail), { once: true })),
      );
      await view.locator('#pipeline button.run').click();
      const report = await reported;
      assert.equal(report.outcome, 'completed');
      assert.equal(report.config.jobs, 8);
      assert.equal(report.stages[1].workMs, 150);
      const rows = await view.locator('#pipeline .pipeline-stages tr:not(:first-of-type)').allTextContents();
      assert.equal(rows.length, 3);
      rows.forEach((row, i) => assert.ok(row.includes(String(report.stages[i].processed)), row));
      assert.match(rows[report.bottleneck], /bottleneck/);
      const account = await view.locator('#pipeline .pipeline-accounting').textContent();
      assert.match(account, new RegExp(`^${report.accounting.done.length} of 8 jobs delivered`));
      const labels = await view.evaluate(() => document.querySelector('#pipeline .pipeline-lanes').textBoxes.map((b) => b.text));
      assert.ok(labels.some((t) => t.startsWith('Stage 2')), 'a lane group per stage');
      assert.ok(labels.some((t) => /bottleneck/.test(t)), 'the bottleneck says so');
      assert.deepEqual(await labelProblems(view), []);
      await screenshot(view, `pipeline-${width}`);
      await view.close();
    });
  }

  test('a wrong knob is flagged in the core\'s words and refused; too many workers in all are refused by the rule over all stages', async () => {
    const view = await openPipeline(site);
    await setKnob(view, 'pipeline-jobs', 'lots');
    const jobs = view.locator('#pipeline input[name="pipeline-jobs"]');
    await view.waitForFunction(() => document.querySelector('#pipeline input[name="pipeline-jobs"]').getAttribute('aria-invalid') === 'true');
    assert.match(await view.locator('#pipeline .pipeline-message').textContent(), /Jobs must be a whole number from 1 to 10000, but got "lots"/);
    await view.locator('#pipeline button.run').click();
    await view.locator('#pipeline .pipeline-message', { hasText: 'Not run' }).waitFor({ timeout: HANG_GUARD_MS });
    await setKnob(view, 'pipeline-jobs', 4);
    await view.waitForFunction(() => document.querySelector('#pipeline input[name="pipeline-jobs"]').getAttribute('aria-invalid') === 'false');
    assert.equal(await jobs.inputValue(), '4');
    for (const stage of [1, 2, 3]) await setKnob(view, `s${stage}-workers`, 6);
    await view.locator('#pipeline .pipeline-message', { hasText: 'Stages have 18 workers in all' }).waitFor({ timeout: HANG_GUARD_MS });
    await view.close();
  });

  test('the sweep widens a stage and follows the slowest stage', async () => {
    const view = await openPipeline(site);
    await setKnob(view, 'pipeline-jobs', 6);
    for (const [stage, ms] of [[1, 10], [2, 60], [3, 20]]) await setKnob(view, `s${stage}-workMs`, ms);
    await view.locator('#pipeline .sweep-stage').selectOption('2');
    await view.getByRole('button', { name: 'Run the sweep' }).click();
    await view.locator('#pipeline .sweep-status', { hasText: 'done' }).waitFor({ timeout: HANG_GUARD_MS });
    const runs = await view.locator('#pipeline .sweep-list li').allTextContents();
    assert.ok(runs.length >= 3, runs.join('\n'));
    assert.match(runs[0], /^1 worker in stage 2: .* bottleneck stage 2$/);
    assert.match(runs.at(-1), /bottleneck stage (1|3)$/, 'once wide enough, another stage is the slowest');
    assert.deepEqual(await labelProblems(view), []);
    await screenshot(view, 'pipeline-sweep');
    await view.close();
  });

  test('the embed preset: <pool-playground scenario="pipeline"> takes its stages from its settings and runs', async () => {
    const view = await site.newPage({ width: 390, height: 900 });
    await view.goto(`${site.url}embed.html?scenario=pipeline&jobs=5&stages=1x10,2x30`);
    const rows = view.locator('pool-playground .stage-row');
    await view.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'ready', null, { timeout: HANG_GUARD_MS });
    assert.equal(await rows.count(), 2);
    assert.equal(await view.locator('pool-playground').getAttribute('data-mode'), 'threads');
    const report = await view.evaluate(() => document.querySelector('pool-playground').run());
    assert.equal(report.outcome, 'completed');
    assert.deepEqual(report.stages.map((s) => [s.workers, s.workMs]), [[1, 10], [2, 30]]);
    assert.equal(report.config.jobs, 5);
    await screenshot(view, 'pipeline-embed-390');
    await view.close();
  });

  test('the tutorial\'s pipelines lesson has a live pipeline, set up as the lesson says', async () => {
    const view = await site.newPage({ width: 1280, height: 900 });
    await view.goto(`${site.url}tutorial.html#pipelines`);
    const lesson = view.locator('#pipelines');
    await lesson.locator('.stage-row').nth(2).waitFor({ timeout: HANG_GUARD_MS });
    const reported = view.evaluate(
      () => new Promise((resolve) => document.querySelector('#pipelines .pipeline-example').addEventListener('poolplay-report', (e) => resolve(e.detail), { once: true })),
    );
    // The lesson's own pipeline's Run (its challenge below has a Run button of its own).
    await lesson.locator('.pipeline-example button.run').click();
    const report = await reported;
    assert.equal(report.outcome, 'completed');
    assert.deepEqual(report.stages.map((s) => s.workMs), [100, 300, 50]);
    assert.equal(report.bottleneck, 1);
    await lesson.screenshot({ path: `${process.cwd()}/target/screenshots/pipeline-lesson.png` });
    await view.close();
  });

  test('the pipelines lesson’s challenge grades a real pipeline run, pictured as a pipeline, and fits at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const view = await site.newPage({ width, height: 900 });
      await view.goto(`${site.url}tutorial.html#pipelines`);
      const slot = view.locator('#pipelines .challenge-slot');
      const state = (wanted) =>
        view.waitForFunction((s) => document.querySelector('#pipelines .challenge-slot')?.dataset.state === s, wanted, { timeout: HANG_GUARD_MS });
      await state('ready');
      assert.match(await slot.locator('.challenge-setup').textContent(), /^The setup: 12 jobs · stage 1: 2 workers × 100 ms · stage 2: 7 workers × 300 ms · stage 3: 2 workers × 50 ms\.$/);
      await slot.locator('input[name=answer][value="1"]').check();
      const graded = view.evaluate(
        () =>
          new Promise((resolve) =>
            document.addEventListener(
              'poolplay-challenge',
              ({ detail: { right, line, runs } }) => {
                const { outcome, bottleneck, stages } = runs[0].report;
                resolve({ right, line, outcome, bottleneck, workers: stages.map((s) => s.workers) });
              },
              { once: true },
            ),
          ),
      );
      await slot.locator('button.run').click();
      const grade = await graded;
      await state('graded');
      assert.equal(grade.outcome, 'completed');
      assert.deepEqual(grade.workers, [2, 7, 2], 'the challenge’s setup ran');
      // The grade is the report's bottleneck, counted from 1 as the page counts stages.
      assert.equal(grade.right, grade.bottleneck === 0, grade.line);
      assert.ok(grade.line.includes(`stage ${grade.bottleneck + 1} was the bottleneck`), grade.line);
      const shown = await slot.evaluate((el) => {
        const root = el.shadowRoot;
        const box = root.querySelector('.challenge').getBoundingClientRect();
        const problems = [];
        for (const node of root.querySelectorAll('.challenge :is(h2, h3, p, li, label, button, legend, span, a, input, canvas, caption)')) {
          if (!node.getClientRects().length) continue;
          const r = node.getBoundingClientRect();
          if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`${node.className || node.tagName} leaves the widget`);
          if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible') problems.push(`${node.className || node.tagName} is cut off`);
        }
        const canvas = root.querySelector('.pipeline-lanes');
        const boxes = canvas.textBoxes ?? [];
        const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        boxes.forEach((b, i) => {
          if (b.left < -0.5 || b.right > canvas.clientWidth + 0.5 || b.top < -0.5 || b.bottom > canvas.clientHeight + 0.5) problems.push(`“${b.text}” leaves the canvas`);
          for (const other of boxes.slice(i + 1)) if (overlap(b, other)) problems.push(`“${b.text}” covers “${other.text}”`);
        });
        return {
          problems,
          poolPanels: root.querySelectorAll('.panels').length,
          marked: root.querySelector('.pipeline-stages tr.bottleneck th')?.textContent,
          runs: [...root.querySelectorAll('.grade-runs li')].map((li) => li.textContent),
        };
      });
      assert.deepEqual(shown.problems, [], `${width} px`);
      assert.equal(shown.poolPanels, 0, 'a pipeline is not drawn as a pool');
      assert.equal(shown.marked, `${grade.bottleneck + 1} (bottleneck)`, 'the stage table marks the report’s bottleneck');
      assert.match(shown.runs[0], new RegExp(`12 of 12 jobs done; stage ${grade.bottleneck + 1} the bottleneck$`));
      assert.ok((await view.evaluate(() => document.scrollingElement.scrollWidth)) <= width);
      await view.locator('#pipelines').screenshot({ path: `${process.cwd()}/target/screenshots/pipeline-lesson-challenge-${width}.png` });
      await view.evaluate(() => localStorage.clear());
      await view.close();
    }
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('the pipeline embed on a page without threads', () => {
  let site;
  before(async () => {
    site = await openSite({ isolated: false });
  });
  after(async () => {
    await site?.close();
  });

  test('it says why nothing runs and shows the recorded run of the pipeline\'s defaults, its figures agreeing', async () => {
    const recorded = JSON.parse(await readFile(resolve(fileURLToPath(import.meta.url), '../../../www/recordings/pipeline.json'), 'utf8'));
    assert.equal(recorded.config.example, 'pipeline');
    assert.ok(recorded.recorded.poolThreads >= recorded.stats.threads, 'recorded on a real thread pool');
    const view = await site.newPage({ width: 390, height: 900 });
    await view.goto(`${site.url}embed.html?scenario=pipeline&jobs=5&stages=1x10,2x30`);
    await view.waitForFunction(() => ['recording', 'off'].includes(document.querySelector('pool-playground')?.dataset.state), null, {
      timeout: HANG_GUARD_MS,
    });
    const element = view.locator('pool-playground');
    assert.equal(await element.getAttribute('data-mode'), 'recording');
    assert.match(await element.locator('.pipeline-message').textContent(), /needs threads.*recording of a real run of the pipeline's defaults on \d+ threads/);
    assert.equal(await element.locator('button.run').isDisabled(), true, 'nothing runs here');
    // The knobs show what the recording ran, and the picture and the table are its run.
    assert.equal(await element.locator('.stage-row').count(), recorded.config.stages.length);
    const report = await view.evaluate(() => document.querySelector('pool-playground').report);
    assert.equal(report.outcome, recorded.outcome);
    assert.deepEqual(report.stages.map((s) => s.processed), recorded.stages.map((s) => s.processed));
    const rows = await element.locator('.pipeline-stages tr:not(:first-of-type)').count();
    assert.equal(rows, recorded.stages.length);
    const labels = await view.evaluate(() => document.querySelector('pool-playground').shadowRoot.querySelector('.pipeline-lanes').textBoxes.map((b) => b.text));
    for (let stage = 1; stage <= recorded.stages.length; stage++) assert.ok(labels.includes(`close(c${stage})`), `stage ${stage}'s closer closed its output`);
    await screenshot(view, 'pipeline-embed-recording-390');
    assert.deepEqual(site.consoleErrors, []);
    await view.close();
  });
});
