// The challenges end to end: every challenge's right answer is graded right and a wrong one wrong,
// by real runs on threads (the grade line's figures agree with the runs' reports); bad answers
// are refused in plain words without a run; Stop ends a run ungraded; progress survives a reload
// and the reset clears it; `<pool-playground challenge=…>` and embed.html?challenge=… work, and a
// bad name is a message, never markup; a lesson of the tutorial holds its challenge; a page
// without threads says it cannot grade; nothing is clipped at 1280 or 390 px.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, SCREENSHOTS, openSite, screenshot } from '../../tools/browser.mjs';
import { CHALLENGES } from '../../www/js/challenges/list.js';

/**
 * The right answer to every challenge, and wrong ones: for a limit, one that misses the goal and,
 * where listed, one that meets it but is not the limit. A fix's answer is the one setting changed.
 * The page never sees this table: it grades from the runs alone.
 */
const ANSWERS = {
  'why-most-workers': { right: 4, wrong: [5] },
  'basic-one-worker': { right: 'job order', wrong: ['mixed'] },
  'errors-count': { right: 20, wrong: [16] },
  'ordering-second': { right: '4', wrong: ['2'] },
  'backpressure-peak': { right: 3, wrong: [12] },
  'deadlock-fix-close': { right: { closeJobs: true }, wrong: [{ workers: 5 }] },
  'send-first-most': { right: 6, wrong: [7, 5] },
  'wait-first-buffer': { right: 8, wrong: [7] },
  'circular-fix': { right: { jobsBuffer: 7 }, wrong: [{ jobsBuffer: 6 }] },
  'close-early-predict': { right: 'panic', wrong: ['deadlock'] },
  'cancel-drain': { right: 22, wrong: [12] },
  'retries-attempts': { right: 4, wrong: [3] },
  'autoscale-peak': { right: '8', wrong: ['12'] },
  'sizing-deadline': { right: 4, wrong: [3, 5] },
  'pipeline-widen': { right: '1', wrong: ['2'] },
};

/**
 * Challenges whose truth depends on timing: a deadline, a cancel at a moment, jobs of different
 * lengths racing, a service's limit met by workers starting together. On a slow or busy machine
 * their truth can change, so for these the test holds the page to what the runs' reports say,
 * not to the table above; every other challenge must also agree with the table.
 */
const TIMED = new Set(['why-most-workers', 'ordering-second', 'cancel-drain', 'autoscale-peak', 'sizing-deadline']);

/** A prediction's true value, read from its run's report by this test (not by the page's grade.js). */
const TRUTH = {
  resultsReceived: (r) => r.results.length,
  doneJobs: (r) => r.accounting.done.length,
  maxResultsQueued: (r) => r.stats.maxResultsQueued,
  secondArrival: (r) => r.results[1]?.job,
  peakWorkers: (r) => r.scaling?.peakWorkers,
  outcome: (r) => r.outcome,
  arrivalOrder: (r) => (r.results.every((x, i) => i === 0 || r.results[i - 1].job < x.job) ? 'job order' : 'mixed'),
  bottleneck: (r) => r.bottleneck + 1,
};

/** Whether `run` met `challenge`'s goal, read from its report by this test. */
function met(challenge, run) {
  const finished = run.outcome === 'completed' && run.accounting.done.length === run.config.jobs;
  const goal = challenge.goal?.name;
  if (goal === 'noRefusals') return finished && (run.service?.rejections ?? 0) === 0;
  if (goal === 'deadLetters') {
    const jobs = (list) => [...list].sort((a, b) => a - b).join(',');
    return run.outcome === 'completed' && jobs((run.deadLetters ?? []).map((d) => d.job)) === jobs(challenge.goal.jobs);
  }
  return finished;
}

/** Whether `answer` deserves "right", by the reports of the runs that graded it. */
function deserves(challenge, runs, answer) {
  if (challenge.kind === 'predict') return String(TRUTH[challenge.measure](runs[0])) === String(answer);
  if (challenge.kind === 'fix') return met(challenge, runs[0]);
  const [value, neighbour] = runs;
  return met(challenge, value) && (neighbour === undefined || !met(challenge, neighbour));
}

/** What a prediction's grade line must say, read from its run's report. */
const FIGURES = {
  resultsReceived: (r) => `${r.results.length} results reached the consumer`,
  doneJobs: (r) => `${r.accounting.done.length} jobs were done`,
  maxResultsQueued: (r) => `at most ${r.stats.maxResultsQueued} results waited`,
  secondArrival: (r) => `job ${r.results[1].job}’s result arrived second`,
  peakWorkers: (r) => `at most ${r.scaling.peakWorkers} workers`,
  outcome: (r) => (r.outcome === 'completed' ? 'completion' : `a ${r.outcome}`),
  arrivalOrder: (r) => (r.results.every((x, i) => i === 0 || r.results[i - 1].job < x.job) ? 'in job order' : 'out of job order'),
  bottleneck: (r) => `stage ${r.bottleneck + 1} was the bottleneck`,
};

/** Waits until the challenge widget at `selector` (its host) is in one of `states`. */
function waitState(page, selector, states) {
  return page.waitForFunction(
    ([sel, wanted]) => wanted.includes(document.querySelector(sel)?.dataset.state),
    [selector, states],
    { timeout: HANG_GUARD_MS },
  );
}

/** Opens challenge `id` on the challenges page; returns its host's selector. */
async function openChallenge(page, id) {
  const details = page.locator(`#${id} > details`);
  if (!(await details.evaluate((d) => d.open))) await page.locator(`#${id} summary`).click();
  const host = `#${id} .challenge-host`;
  await waitState(page, host, ['ready', 'graded']);
  return host;
}

/** Puts `answer` into the widget at `host` (a choice, a number, or a fix's one setting). */
async function enter(page, host, challenge, answer) {
  const widget = page.locator(host);
  if (await widget.evaluate((el) => el.dataset.state === 'graded')) {
    await widget.locator('button.again').click();
    await waitState(page, host, ['ready']);
  }
  if (challenge.kind === 'fix') {
    await widget.evaluate(async (el, values) => {
      for (const [name, value] of Object.entries(values)) {
        const input = el.shadowRoot.querySelector(`[name=${name}]`);
        if (input.type === 'checkbox') input.checked = value;
        else input.value = String(value);
        input.dispatchEvent(new Event(input.type === 'checkbox' || input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
      }
    }, answer);
  } else if (challenge.answer?.type === 'choice') {
    await widget.locator(`input[name=answer][value="${answer}"]`).check();
  } else {
    await widget.locator('input[name=answer]').fill(String(answer));
  }
}

/** Presses Run and check and waits for the grade; returns what the page showed and the runs' reports. */
async function checkAnswer(page, host) {
  await page.evaluate(() => (window.lastGrade = null));
  await page.locator(host).locator('button.run').click();
  await page.waitForFunction(() => window.lastGrade !== null, null, { timeout: HANG_GUARD_MS });
  await waitState(page, host, ['graded']);
  return page.locator(host).evaluate((el) => {
    const $ = (s) => el.shadowRoot.querySelector(s);
    const { right, status, runs } = window.lastGrade;
    return {
      grade: el.dataset.grade,
      right,
      status,
      line: $('.grade-line').textContent,
      explained: !$('.grade-explain').hidden,
      hinted: !$('.grade-hint').hidden,
      runsShown: [...el.shadowRoot.querySelectorAll('.grade-runs li')].map((li) => li.textContent),
      runs: runs.map(({ label, met, report }) => ({
        label,
        met,
        outcome: report.outcome,
        config: report.config,
        results: report.results.map(({ job }) => ({ job })),
        accounting: report.accounting,
        stats: report.stats,
        scaling: report.scaling && { peakWorkers: report.scaling.peakWorkers },
        service: report.service && { rejections: report.service.rejections },
        deadLetters: report.deadLetters?.map(({ job }) => ({ job })),
        bottleneck: report.bottleneck,
      })),
    };
  });
}

/** Remembers each grade the page announces (the runs' reports ride on the event). */
const LISTEN = () => {
  window.lastGrade = null;
  window.grades = 0;
  document.addEventListener('poolplay-challenge', (event) => {
    window.lastGrade = event.detail;
    window.grades++;
  });
};

/** Texts of the widget at `host` that leave its box or are cut off, and buttons that overlap. */
function layoutProblems(page, host) {
  return page.locator(host).evaluate((el) => {
    const box = el.shadowRoot.querySelector('.challenge').getBoundingClientRect();
    const problems = [];
    const visible = (node) => node.getClientRects().length > 0 && getComputedStyle(node).visibility !== 'hidden';
    for (const node of el.shadowRoot.querySelectorAll('.challenge :is(h2, p, li, label, button, legend, span, a, input)')) {
      if (!visible(node)) continue;
      const r = node.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`${node.className || node.tagName} leaves the widget`);
      if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible') problems.push(`${node.className || node.tagName} is cut off`);
    }
    const buttons = [...el.shadowRoot.querySelectorAll('.challenge button')].filter(visible).map((b) => b.getBoundingClientRect());
    for (let i = 0; i < buttons.length; i++) {
      for (let k = i + 1; k < buttons.length; k++) {
        const [a, b] = [buttons[i], buttons[k]];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) problems.push('two buttons overlap');
      }
    }
    return problems;
  });
}

/**
 * Saves `locator`'s element as target/screenshots/<name>-1.png, -2.png …, a viewport's height
 * each: scrolled into view piece by piece rather than as one full-page shot, which resizes the
 * viewport and so makes the tutorial's pools above it redraw and move.
 */
async function shoot(locator, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const page = locator.page();
  const { height: viewport } = page.viewportSize();
  const height = await locator.evaluate((el) => el.getBoundingClientRect().height);
  for (let top = 0, part = 1; top < height; top += viewport, part++) {
    const clip = await locator.evaluate((el, offset) => {
      window.scrollTo({ top: el.getBoundingClientRect().top + scrollY + offset, behavior: 'instant' });
      const r = el.getBoundingClientRect();
      return { x: r.left, y: Math.max(r.top, 0), width: r.width, height: Math.min(r.bottom, innerHeight) - Math.max(r.top, 0) };
    }, top);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${part}.png`), clip });
  }
}

describe('challenges on an isolated page', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await site.newPage();
    await page.addInitScript(LISTEN);
    await page.goto(`${site.url}challenges.html`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.locator('.challenge-item').first().waitFor();
  });
  after(async () => {
    // A run still going (a failed test) is cancelled so the next suite gets every thread.
    await page?.evaluate(async () => (await import('./js/embed.js')).sharedClient().cancel()).catch(() => {});
    await site?.close();
  });

  test('every challenge is listed under its lesson, and each has answers in this test', async () => {
    assert.deepEqual(Object.keys(ANSWERS).sort(), CHALLENGES.map((c) => c.id).sort(), 'a new challenge needs its answers here');
    const listed = await page.evaluate(() =>
      [...document.querySelectorAll('.challenge-item')].map((item) => ({ id: item.id, lesson: item.closest('section').querySelector('h2 a').hash.slice(1) })),
    );
    assert.deepEqual(listed.map((l) => l.id).sort(), CHALLENGES.map((c) => c.id).sort());
    for (const { id, lesson } of listed) assert.equal(lesson, CHALLENGES.find((c) => c.id === id).lesson, id);
    // Every lesson of the tutorial has a challenge, listed in the tutorial's order.
    const tutorial = await page.evaluate(async () => {
      const html = await (await fetch('tutorial.html')).text();
      return [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('section.lesson')].map((s) => s.id);
    });
    assert.ok(tutorial.length >= 10, tutorial.join(', '));
    assert.deepEqual([...new Set(listed.map((l) => l.lesson))], tutorial);
    assert.equal(await page.locator('.progress-count').textContent(), `0 of ${CHALLENGES.length} solved`);
    for (const kind of ['predict', 'threshold', 'fewest', 'fix']) assert.ok(CHALLENGES.some((c) => c.kind === kind), kind);
    // The picture shows the setup before the run: it must not show a limit's answer.
    for (const c of CHALLENGES.filter((c) => c.field)) assert.notEqual(c.setup[c.field], ANSWERS[c.id].right, c.id);
  });

  /** How many challenges the loop below left solved (the progress test reads the page against it). */
  let solvedCount = 0;

  for (const challenge of CHALLENGES) {
    const timed = TIMED.has(challenge.id);
    test(`${challenge.id}: the right answer is graded right and a wrong one wrong, from real runs`, async () => {
      const { right, wrong } = ANSWERS[challenge.id];
      const host = await openChallenge(page, challenge.id);
      await enter(page, host, challenge, right);
      const good = await checkAnswer(page, host);
      const truth = deserves(challenge, good.runs, right);
      // The grade is what the runs' reports say; for the untimed challenges that is the table's answer.
      assert.equal(good.grade, truth ? 'right' : 'wrong', `${challenge.id} with ${JSON.stringify(right)}: ${good.line}`);
      if (!timed) assert.ok(truth, `${challenge.id}: ${JSON.stringify(right)} is right by the reports`);
      if (truth) solvedCount++;
      assert.equal(good.status, truth ? 'solved' : challenge.kind === 'predict' ? 'missed' : undefined);
      assert.equal(good.explained, truth || challenge.kind === 'predict', 'the answer is explained once known');
      assert.ok(good.runs.every((run) => run.outcome !== 'cancelled' || challenge.setup.cancelAfterMs !== undefined), 'no run was stopped');
      if (challenge.kind === 'predict') {
        assert.equal(good.runs.length, 1);
        assert.ok(good.line.includes(FIGURES[challenge.measure](good.runs[0])), `${good.line} agrees with the report`);
      } else {
        // Each run is listed with what its report says.
        assert.equal(good.runsShown.length, good.runs.length);
        for (const [i, run] of good.runs.entries()) {
          const words = run.outcome === 'completed' ? `${run.accounting.done.length} of ${run.config.jobs} jobs done` : run.outcome;
          assert.ok(good.runsShown[i].includes(words), `${good.runsShown[i]} says ${words}`);
        }
        assert.deepEqual(good.runs.map((run) => run.met), good.runs.map((run) => met(challenge, run)), 'each run’s goal read from its report');
      }
      if ((challenge.kind === 'threshold' || challenge.kind === 'fewest') && good.runs[0].met) {
        // Checked from both sides: the value works, one step further is run too (unless at the range's end).
        const next = challenge.direction === 'most' ? right + 1 : right - 1;
        assert.deepEqual(good.runs.map((r) => r.config[challenge.field]), [right, next]);
      }
      if (challenge.kind === 'fix') {
        const [[field, value]] = Object.entries(right);
        assert.equal(good.runs[0].config[field], value, 'the run used the reader’s change');
      }

      for (const answer of wrong) {
        await enter(page, host, challenge, answer);
        const bad = await checkAnswer(page, host);
        const deserved = deserves(challenge, bad.runs, answer);
        assert.equal(bad.grade, deserved ? 'right' : 'wrong', `${challenge.id} with ${JSON.stringify(answer)}: ${bad.line}`);
        if (!timed) assert.ok(!deserved, `${challenge.id}: ${JSON.stringify(answer)} is wrong by the reports`);
        if (deserved) continue;
        assert.equal(bad.status, good.status, 'a wrong answer later does not change the progress');
        // A prediction's answer is out after its run; a limit's or a fix's is not given away.
        assert.equal(bad.explained, challenge.kind === 'predict' || truth);
        if (challenge.kind === 'predict') assert.ok(bad.line.includes(FIGURES[challenge.measure](bad.runs[0])), bad.line);
        if (challenge.hint && challenge.kind !== 'predict' && !truth) assert.ok(bad.hinted, 'a hint instead');
      }
      assert.deepEqual(site.consoleErrors, []);
    });
  }

  test('a limit that works but is not the limit is graded wrong, with both runs shown', async () => {
    const challenge = CHALLENGES.find((c) => c.id === 'send-first-most');
    const host = await openChallenge(page, challenge.id);
    await enter(page, host, challenge, 5);
    const result = await checkAnswer(page, host);
    assert.equal(result.grade, 'wrong');
    assert.deepEqual(result.runs.map((r) => [r.config.jobs, r.outcome]), [[5, 'completed'], [6, 'completed']]);
    assert.match(result.line, /5 works, but so does 6/);
  });

  test('answers that cannot be graded are refused in plain words, without a run', async () => {
    const threshold = CHALLENGES.find((c) => c.id === 'send-first-most');
    const host = await openChallenge(page, threshold.id);
    const widget = page.locator(host);
    const gradesBefore = await page.evaluate(() => window.grades);
    for (const text of ['', 'abc', '0', '41', '6.5', '<img src=x onerror="window.hacked=1">']) {
      await enter(page, host, threshold, text);
      await widget.locator('button.run').click();
      await widget.locator('.message').filter({ hasText: 'Enter a whole number from 1 to 40.' }).waitFor();
      assert.equal(await widget.evaluate((el) => el.dataset.state), 'ready', `“${text}” starts no run`);
    }
    assert.equal(await page.evaluate(() => window.hacked), undefined);

    const fix = CHALLENGES.find((c) => c.id === 'deadlock-fix-close');
    const fixHost = await openChallenge(page, fix.id);
    const fixWidget = page.locator(fixHost);
    await enter(page, fixHost, fix, {});
    await fixWidget.locator('button.run').click();
    await fixWidget.locator('.message').filter({ hasText: 'Change one setting first.' }).waitFor();
    await enter(page, fixHost, fix, { closeJobs: true, workers: 5 });
    await fixWidget.locator('button.run').click();
    await fixWidget.locator('.message').filter({ hasText: /^Change one setting only: you changed 2 \(Workers, .+\)\.$/ }).waitFor();
    assert.equal(await page.evaluate(() => window.grades), gradesBefore, 'no grade was announced');

    const predict = CHALLENGES.find((c) => c.id === 'ordering-second');
    const predictHost = await openChallenge(page, predict.id);
    await page.locator(predictHost).evaluate((el) => el.shadowRoot.querySelector('form').reset());
    await page.locator(predictHost).locator('button.run').click();
    await page.locator(predictHost).locator('.message').filter({ hasText: 'Pick your prediction first.' }).waitFor();
    assert.deepEqual(site.consoleErrors, []);
  });

  test('Stop ends the run without a grade, and the next run grades as usual', async () => {
    const challenge = CHALLENGES.find((c) => c.id === 'cancel-drain');
    const host = await openChallenge(page, challenge.id);
    const widget = page.locator(host);
    const gradesBefore = await page.evaluate(() => window.grades);
    const statusBefore = await page.locator('#cancel-drain .item-status').textContent();
    await enter(page, host, challenge, 22);
    await widget.locator('button.run').click();
    await waitState(page, host, ['running']);
    await widget.locator('button.stop').click();
    await widget.locator('.grade-line').filter({ hasText: 'Stopped: not graded. Run it again when you are ready.' }).waitFor();
    await waitState(page, host, ['ready']);
    assert.equal(await page.evaluate(() => window.grades), gradesBefore, 'no grade was announced');
    assert.equal(await page.locator('#cancel-drain .item-status').textContent(), statusBefore);
    assert.equal(await widget.locator('button.run').isDisabled(), false);
    const graded = await checkAnswer(page, host);
    assert.equal(graded.grade, deserves(challenge, graded.runs, 22) ? 'right' : 'wrong', graded.line);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('progress persists across a reload, and the reset clears it', async () => {
    const solved = CHALLENGES.length;
    const counted = async () => (await page.locator('.item-status').allTextContents()).filter((text) => text === 'Solved').length;
    assert.ok(solvedCount >= solved - TIMED.size, `${solvedCount} solved`);
    assert.equal(await counted(), solvedCount);
    const before = await page.locator('.progress-count').textContent();
    assert.match(before, new RegExp(`^${solvedCount} of ${solved} solved`));
    await page.reload();
    await page.locator('.challenge-item').first().waitFor();
    assert.equal(await page.locator('.progress-count').textContent(), before);
    assert.equal(await counted(), solvedCount);

    await page.getByRole('button', { name: 'Reset my progress' }).click();
    assert.equal(await page.locator('.progress-count').textContent(), `0 of ${solved} solved`);
    assert.deepEqual([...new Set(await page.locator('.item-status').allTextContents())], ['Not solved yet']);
    await page.reload();
    await page.locator('.challenge-item').first().waitFor();
    assert.equal(await page.locator('.progress-count').textContent(), `0 of ${solved} solved`);

    // A wrong prediction is a miss; a right answer after it does not turn it into a solve.
    const challenge = CHALLENGES.find((c) => c.id === 'errors-count');
    const host = await openChallenge(page, challenge.id);
    await enter(page, host, challenge, 19);
    assert.equal((await checkAnswer(page, host)).status, 'missed');
    await enter(page, host, challenge, 20);
    const again = await checkAnswer(page, host);
    assert.equal(again.grade, 'right');
    assert.equal(again.status, 'missed');
    assert.match(again.line, /stays missed until you reset/);
    assert.equal(await page.locator('.progress-count').textContent(), `0 of ${solved} solved, 1 missed`);
    assert.equal(await page.locator('#errors-count .item-status').textContent(), 'Missed: the answer was shown');
    await page.getByRole('button', { name: 'Reset my progress' }).click();
    assert.equal(await page.locator('.progress-count').textContent(), `0 of ${solved} solved`);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('looks right at 1280 and 390 px: nothing leaves the widget or is cut off', async () => {
    for (const width of [1280, 390]) {
      const view = await site.newPage({ width, height: 900 });
      await view.addInitScript(LISTEN);
      await view.goto(`${site.url}challenges.html#send-first-most`);
      const host = await openChallenge(view, 'send-first-most');
      await enter(view, host, CHALLENGES.find((c) => c.id === 'send-first-most'), 6);
      assert.equal((await checkAnswer(view, host)).grade, 'right');
      assert.deepEqual(await layoutProblems(view, host), [], `${width} px`);
      const scroll = await view.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width}`);
      await screenshot(view, `challenges-${width}`);
      await view.close();
    }
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('a challenge in a tutorial lesson, and as an embed', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('each lesson has one challenge slot, right after its pool; the ordering lesson’s grades a real run', async () => {
    for (const width of [1280, 390]) {
      const page = await site.newPage({ width, height: 900 });
      await page.addInitScript(LISTEN);
      await page.goto(`${site.url}tutorial.html`);
      const slots = await page.evaluate(() =>
        [...document.querySelectorAll('section.lesson')].map((lesson) => {
          const slot = lesson.querySelectorAll('.challenge-slot');
          return { lesson: lesson.id, count: slot.length, challenge: slot[0]?.dataset.challenge, afterPool: slot[0]?.previousElementSibling?.matches('.widget-slot') };
        }),
      );
      for (const { lesson, count, challenge, afterPool } of slots) {
        assert.equal(count, 1, `${lesson} has one challenge`);
        assert.equal(CHALLENGES.find((c) => c.id === challenge)?.lesson, lesson, `${lesson}’s challenge belongs to it`);
        assert.ok(afterPool, `${lesson}: right after its pool`);
      }
      const host = '#ordering .challenge-slot';
      await waitState(page, host, ['ready']);
      // Every pool above has drawn its preview, so nothing moves under the screenshot.
      await page.waitForFunction(() => [...document.querySelectorAll('pool-playground')].every((el) => el.dataset.state === 'ready'), null, {
        timeout: HANG_GUARD_MS,
      });
      await page.locator(host).scrollIntoViewIfNeeded();
      await enter(page, host, CHALLENGES.find((c) => c.id === 'ordering-second'), '4');
      const graded = await checkAnswer(page, host);
      assert.equal(graded.grade, 'right', graded.line);
      assert.deepEqual(await layoutProblems(page, host), [], `${width} px`);
      const widest = await page.evaluate(() => Math.max(document.scrollingElement.scrollWidth, document.querySelector('#ordering .challenge-slot').getBoundingClientRect().right));
      assert.ok(widest <= width, `${widest} px at ${width}`);
      await shoot(page.locator(host), `tutorial-challenge-${width}`);
      await page.evaluate(() => localStorage.clear());
      await page.close();
    }
    assert.deepEqual(site.consoleErrors, []);
  });

  test('<pool-playground challenge=…> mounts the challenge; a bad name is a plain message, never markup', async () => {
    const page = await site.newPage();
    await page.addInitScript(LISTEN);
    await page.goto(`${site.url}embed.html?scenario=basic`); // a page with the embed kit loaded
    await page.evaluate(() => {
      const add = (id, attributes) => {
        const element = document.createElement('pool-playground');
        element.id = id;
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.append(element);
      };
      add('good', { challenge: 'errors-count', workers: '3' });
      add('unknown', { challenge: 'no-such-challenge' });
      add('script', { challenge: '<img src=x onerror="window.hacked=1">' });
      add('empty', { challenge: '' });
    });
    await waitState(page, '#good', ['ready']);
    for (const id of ['unknown', 'script', 'empty']) await waitState(page, `#${id}`, ['unknown']);
    const message = (id) => page.locator(`#${id} .challenge-missing`).textContent();
    assert.match(await message('unknown'), /^There is no challenge called “no-such-challenge”\. Its name is one of: why-most-workers, /);
    const names = CHALLENGES.map((c) => c.id).join(', ');
    assert.equal(await message('script'), `There is no challenge called “<img src=x onerror="window.hacked=1">”. Its name is one of: ${names}.`);
    assert.equal(await page.locator('#script img').count(), 0, 'nothing became markup');
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    assert.match(await message('empty'), /has no name/);
    assert.match(await page.locator('#good .challenge-ignored').textContent(), /these settings were ignored: workers\.$/);

    await enter(page, '#good', CHALLENGES.find((c) => c.id === 'errors-count'), 20);
    const grade = await page.locator('#good').evaluate((el) => el.run());
    assert.equal(grade.right, true);
    assert.equal(await page.locator('#good').evaluate((el) => el.report.results.length), 20);

    // The embed page reads the challenge from its address.
    const framed = await site.newPage();
    await framed.goto(`${site.url}embed.html?challenge=backpressure-peak`);
    await waitState(framed, 'pool-playground', ['ready']);
    assert.equal(await framed.locator('pool-playground .challenge-title').textContent(), 'How full does the results channel get?');
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('challenges on a page without threads', () => {
  let site;
  before(async () => {
    site = await openSite({ isolated: false });
  });
  after(async () => {
    await site?.close();
  });

  test('say they need a real run instead of grading', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}challenges.html#cancel-drain`);
    await waitState(page, '#cancel-drain .challenge-host', ['unavailable']);
    const widget = page.locator('#cancel-drain .challenge-host');
    assert.match(await widget.locator('.challenge-off').textContent(), /^Threads are off on this page, so this challenge cannot be checked here: its grade comes from a real run/);
    assert.equal(await widget.locator('button.run').isDisabled(), true);
    assert.equal(await page.locator('#status').textContent(), 'threads are off on this page: challenges cannot be checked here');
    await screenshot(page, 'challenges-no-threads');
    assert.deepEqual(site.consoleErrors, []);
  });
});
