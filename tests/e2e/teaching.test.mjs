// Teaching end to end: the Go program beside each pool is live (it follows the knobs, each classic
// mistake is a line the reader toggles and the next run commits, and the replay puts each actor on
// its line in its colour), the numbers the tutorial's prose quotes from a preset are the preset's,
// and the lessons and the playground read well at 1280 and 390 px. No assertion is about time.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { HANG_GUARD_MS, SCREENSHOTS, openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

const { source: AXE } = createRequire(import.meta.url)('axe-core');

/** Opens the tutorial (at `viewport`) and waits until every pool on it is ready to run. */
async function openTutorial(site, viewport) {
  const page = await site.newPage(viewport);
  await page.goto(`${site.url}tutorial.html`);
  await page.waitForFunction(
    () => {
      const pools = [...document.querySelectorAll('pool-playground')];
      return pools.length > 0 && pools.every((el) => el.dataset.state === 'ready');
    },
    null,
    { timeout: HANG_GUARD_MS },
  );
  return page;
}

/** The Go program of the pool in `lesson`: each line's id, text, edit mark and actors on it. */
function program(page, lesson) {
  return page.locator(`#${lesson} pool-playground`).evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('.gp-line')].map((row) => ({
      id: row.dataset.line,
      text: row.firstElementChild.textContent,
      edit: row.dataset.edit ?? null,
      actors: row.dataset.actors ? row.dataset.actors.split(' ') : [],
      pressed: row.querySelector('.gp-toggle')?.getAttribute('aria-pressed') ?? null,
    })),
  );
}

const line = (lines, id) => lines.find((l) => l.id === id);

/** Runs the lesson's pool as its knobs now say (the Run button's path) and returns the report. */
async function runLesson(page, lesson) {
  return page.locator(`#${lesson} pool-playground`).evaluate((el) => el.run());
}

/** Waits until the lesson's Go program shows `text` on line `id` (the knobs are checked by the core first). */
async function waitForLine(page, lesson, id, text) {
  await page.waitForFunction(
    ([lesson, id, text]) =>
      document.querySelector(`#${lesson} pool-playground`).shadowRoot.querySelector(`.gp-line[data-line="${id}"]`)?.firstElementChild.textContent === text,
    [lesson, id, text],
    { timeout: HANG_GUARD_MS },
  );
}

describe('the live Go program in the tutorial', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openTutorial(site, { width: 1280, height: 900 });
  });
  after(async () => {
    await site?.close();
  });

  test('it follows the knobs: buffers, workers, jobs, the work and the consumer’s pause', async () => {
    const pool = page.locator('#basic pool-playground');
    let lines = await program(page, 'basic');
    assert.equal(line(lines, 'make-jobs').text, 'jobs := make(chan int, 4)');
    assert.equal(line(lines, 'spawn-loop').text, 'for w := 1; w <= 3; w++ {');
    assert.equal(line(lines, 'send-loop').text, 'for j := 1; j <= 12; j++ {');
    assert.equal(line(lines, 'work').text, 'time.Sleep(200 * time.Millisecond)');
    assert.equal(line(lines, 'consumer-sleep'), undefined, 'no pause, no sleep in the consumer');
    await pool.locator('input[name=jobsBuffer]').fill('2');
    await pool.locator('input[name=workers]').fill('5');
    await pool.locator('input[name=resultsBuffer]').fill('0');
    await waitForLine(page, 'basic', 'make-jobs', 'jobs := make(chan int, 2)');
    await waitForLine(page, 'basic', 'spawn-loop', 'for w := 1; w <= 5; w++ {');
    await waitForLine(page, 'basic', 'make-results', 'results := make(chan int, 0) // unbuffered');
    // The backpressure lesson's consumer rests after each result: its loop sleeps.
    lines = await program(page, 'backpressure');
    assert.equal(line(lines, 'consumer-sleep').text, 'time.Sleep(300 * time.Millisecond)');
    assert.equal(line(lines, 'make-jobs').text, 'jobs := make(chan int, 2)');
    // The cancel lesson's producer sends in a select, so its timeout can free it.
    lines = await program(page, 'cancel');
    assert.equal(line(lines, 'make-ctx').text, 'ctx, cancel := context.WithTimeout(context.Background(), 1 * time.Second)');
    assert.equal(line(lines, 'send-job').text, 'case jobs <- j:');
    assert.equal(line(lines, 'producer-stop').text, 'return // graceful: the queued jobs are dropped');
    // Errors travel as results: the worker's call returns one, and the result carries it.
    lines = await program(page, 'errors');
    assert.equal(line(lines, 'send-result').text, 'results <- Result{Job: j, Value: v, Err: err}');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('toggling close(jobs) off strikes it, unticks the knob, and the next run deadlocks; on again, it completes', async () => {
    const pool = page.locator('#basic pool-playground');
    const toggle = pool.locator('.gp-line[data-line="close-jobs"] .gp-toggle');
    await toggle.click();
    await page.waitForFunction(
      () => document.querySelector('#basic pool-playground').shadowRoot.querySelector('.gp-line[data-line="close-jobs"]').dataset.edit === 'struck',
      null,
      { timeout: HANG_GUARD_MS },
    );
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await pool.locator('input[name=closeJobs]').isChecked(), false, 'the knob follows the code');
    assert.equal(await pool.locator('.gp-line[data-line="close-twice"]').count(), 0, 'no second close without a first');
    const stuck = await runLesson(page, 'basic');
    assert.equal(stuck.outcome, 'deadlock');
    assert.equal(stuck.config.closeJobs, false);
    // At the end, every worker is shown stuck on its range over jobs.
    const lines = await program(page, 'basic');
    const workers = stuck.actors.filter((a) => a.startsWith('worker-'));
    assert.deepEqual(line(lines, 'range-jobs').actors, workers);
    assert.deepEqual(line(lines, 'range-results').actors, ['consumer']);
    assert.deepEqual(line(lines, 'closer-wait').actors, ['closer']);
    await screenshot(page, 'teaching-go-deadlock');

    await toggle.click();
    await page.waitForFunction(
      () => !document.querySelector('#basic pool-playground').shadowRoot.querySelector('.gp-line[data-line="close-jobs"]').dataset.edit,
      null,
      { timeout: HANG_GUARD_MS },
    );
    assert.equal((await runLesson(page, 'basic')).outcome, 'completed');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('each other mistake, toggled on the code, gives the outcome the lesson predicts', async () => {
    // The basic pool: 3 workers, buffers of 4, 12 jobs. 12 > 3 + 4 + 4 and 12 > 4, so sending
    // everything first and waiting first both deadlock.
    const predicted = [
      { toggle: 'close-twice', fields: { mistake: 'close-jobs-twice' }, outcome: 'panic', words: 'close of closed channel', actor: 'producer' },
      { toggle: 'go-producer', fields: { collect: 'after-send' }, outcome: 'deadlock' },
      { toggle: 'wait-first', fields: { collect: 'after-wait' }, outcome: 'deadlock' },
    ];
    const pool = page.locator('#basic pool-playground');
    for (const { toggle, fields, outcome, words, actor } of predicted) {
      const button = pool.locator(`.gp-toggle[data-toggle="${toggle}"]`).first();
      await button.click();
      await page.waitForFunction(
        (toggle) =>
          document.querySelector('#basic pool-playground').shadowRoot.querySelector(`.gp-toggle[data-toggle="${toggle}"]`)?.getAttribute('aria-pressed') === 'true',
        toggle,
        { timeout: HANG_GUARD_MS },
      );
      const report = await runLesson(page, 'basic');
      for (const [field, value] of Object.entries(fields)) assert.equal(report.config[field], value, toggle);
      assert.equal(report.outcome, outcome, toggle);
      if (words) assert.deepEqual([report.panic.actor, report.panic.error], [actor, words], toggle);
      if (toggle === 'close-twice') {
        const lines = await program(page, 'basic');
        assert.deepEqual(line(lines, 'close-twice').actors, ['producer'], 'the producer panicked on its second close');
      }
      // Undo it, so the next mistake starts from the correct pool.
      await pool.locator(`.gp-toggle[data-toggle="${toggle}"]`).first().click();
      await page.waitForFunction(
        (toggle) =>
          document.querySelector('#basic pool-playground').shadowRoot.querySelector(`.gp-toggle[data-toggle="${toggle}"]`)?.getAttribute('aria-pressed') === 'false',
        toggle,
        { timeout: HANG_GUARD_MS },
      );
    }
    assert.equal((await runLesson(page, 'basic')).outcome, 'completed', 'every toggle undone: the correct pool again');
    // wg.Add(1) inside the worker is a race, so its outcome is the scheduler's: the toggle moves
    // the line and sets the mistake, and the repeat panel (in the playground) tallies the runs.
    await pool.locator('.gp-toggle[data-toggle="add"]').first().click();
    await page.waitForFunction(
      () => document.querySelector('#basic pool-playground').shadowRoot.querySelector('.gp-line[data-line="add-worker"]')?.dataset.edit === 'added',
      null,
      { timeout: HANG_GUARD_MS },
    );
    const moved = await program(page, 'basic');
    assert.equal(line(moved, 'add-main').edit, 'struck');
    assert.equal(await pool.locator('select[name=mistake]').inputValue(), 'add-in-worker');
    await pool.locator('.gp-toggle[data-toggle="add"]').first().click();
    await page.waitForFunction(
      () => !document.querySelector('#basic pool-playground').shadowRoot.querySelector('.gp-line[data-line="add-worker"]'),
      null,
      { timeout: HANG_GUARD_MS },
    );
    assert.equal(await pool.locator('select[name=mistake]').inputValue(), 'none');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('the replay puts each actor on its line, in its colour', async () => {
    const pool = page.locator('#basic pool-playground');
    const report = await runLesson(page, 'basic');
    assert.equal(report.outcome, 'completed');
    await pool.locator('.replay-start').click();
    // Step event by event until a worker is working: it is on the sleep line, tinted its colour.
    let working = null;
    for (let i = 0; i < report.events.length && !working; i++) {
      await pool.locator('.replay-forward').click();
      working = line(await program(page, 'basic'), 'work').actors.find((a) => a.startsWith('worker-'));
    }
    assert.ok(working, 'some step shows a worker on its work line');
    const shown = await pool.evaluate((el, actor) => {
      const row = el.shadowRoot.querySelector('.gp-line[data-line="work"]');
      const chip = [...row.querySelectorAll('.gp-chip')].find((c) => c.textContent === actor.replace('-', ' '));
      const actorChip = [...el.shadowRoot.querySelectorAll('.actors li')].find((li) => li.textContent.startsWith(actor.replace('-', ' ')));
      return {
        chip: chip && getComputedStyle(chip).borderLeftColor,
        lane: getComputedStyle(actorChip).getPropertyValue('--accent'),
        edge: row.style.getPropertyValue('--edge'),
        state: actorChip.textContent,
      };
    }, working);
    assert.ok(shown.chip, `a chip names ${working}`);
    assert.equal(shown.edge.replace(/\s/g, ''), shown.lane.replace(/\s/g, ''), 'the line is edged in the actor’s colour');
    assert.match(shown.state, /working on job/, 'the actors’ chips agree: it is working');
    await screenshot(page, 'teaching-go-replay');
    // Axe on the highlighted program: contrast holds under the tints.
    await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => {
      const result = await window.axe.run(document.querySelector('#basic'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
      return result.violations.map(({ id, nodes }) => `${id}: ${nodes.map((n) => n.target.join(' >> ')).join(', ')}`);
    });
    assert.deepEqual(found, []);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('a mistake the lesson’s pool cannot make is explained, and the knobs stay as they were', async () => {
    // The first lesson runs no pool first (a task per job): there is no producer to close jobs twice.
    const pool = page.locator('#why pool-playground');
    await pool.locator('.gp-toggle[data-toggle="close-twice"]').click();
    const message = pool.locator('.message');
    await message.filter({ hasText: /^That mistake cannot be made in this pool: / }).waitFor({ timeout: HANG_GUARD_MS });
    assert.match(await message.textContent(), /close-jobs-twice/);
    assert.equal(await pool.locator('select[name=mistake]').inputValue(), 'none');
    assert.equal(await pool.locator('.gp-toggle[data-toggle="close-twice"]').getAttribute('aria-pressed'), 'false');
    assert.equal((await runLesson(page, 'why')).outcome, 'completed', 'the lesson still runs');
  });

  test('the toggles work from the keyboard', async () => {
    const pool = page.locator('#deadlocks pool-playground');
    const toggle = pool.locator('.gp-line[data-line="close-jobs"] .gp-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the lesson’s preset leaves close(jobs) out');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#deadlocks pool-playground').shadowRoot.querySelector('.gp-line[data-line="close-jobs"] .gp-toggle').getAttribute('aria-pressed') === 'false',
      null,
      { timeout: HANG_GUARD_MS },
    );
    assert.equal(await pool.locator('input[name=closeJobs]').isChecked(), true);
    assert.equal((await runLesson(page, 'deadlocks')).outcome, 'completed');
  });
});

describe('the tutorial’s numbers', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('every number the prose quotes from a preset is that preset’s', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}tutorial.html`);
    const found = await page.evaluate(async () => {
      const { sharedClient } = await import('./js/embed.js');
      const presets = new Map((await sharedClient().scenarios).map(({ name, config }) => [name, config]));
      return [...document.querySelectorAll('data.core[data-preset]')].map((el) => ({
        where: `${el.closest('section').id}: ${el.dataset.preset}.${el.dataset.field}`,
        stated: Number(el.value),
        core: presets.get(el.dataset.preset)?.[el.dataset.field],
      }));
    });
    assert.ok(found.length >= 20, `${found.length} numbers`);
    for (const { where, stated, core } of found) assert.equal(stated, core, where);
  });
});

describe('the Go program elsewhere, and the pages at 1280 and 390 px', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('the playground’s Go program follows its knobs and its toggles change them', async () => {
    const page = await openPlayground(site);
    const go = page.locator('#playground details.panel[data-panel="go"]');
    assert.equal(await go.getAttribute('open'), '', 'open from the start');
    await page.locator('input[name=jobsBuffer]').fill('7');
    await page.waitForFunction(() => document.querySelector('#playground .gp-line[data-line="make-jobs"]')?.textContent === 'jobs := make(chan int, 7)', null, { timeout: HANG_GUARD_MS });
    await go.locator('.gp-toggle[data-toggle="closer-wait"]').click();
    await page.waitForFunction(() => document.querySelector('#playground select[name=mistake]')?.value === 'close-results-early', null, { timeout: HANG_GUARD_MS });
    const report = await page.evaluate(() => new Promise((resolve) => {
      document.querySelector('#playground').addEventListener('poolplay-report', (e) => resolve(e.detail), { once: true });
      document.querySelector('#playground button.run').click();
    }));
    assert.equal(report.config.mistake, 'close-results-early');
    assert.equal(report.outcome, 'panic');
    await screenshot(page, 'teaching-playground-1280');
    const phone = await openPlayground(site, { width: 390, height: 844 });
    await phone.locator('#playground details.panel[data-panel="go"]').scrollIntoViewIfNeeded();
    assert.ok((await phone.evaluate(() => document.scrollingElement.scrollWidth)) <= 390, 'nothing wider than the phone');
    await screenshot(phone, 'teaching-playground-390');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('the embed page shows the Go program of its preset', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}embed.html?scenario=panic-close-twice`);
    await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'ready', null, { timeout: HANG_GUARD_MS });
    const lines = await page.locator('pool-playground').evaluate((el) =>
      [...el.shadowRoot.querySelectorAll('.gp-line')].map((row) => [row.dataset.line, row.dataset.edit ?? '']),
    );
    assert.deepEqual(lines.find(([id]) => id === 'close-twice'), ['close-twice', 'added']);
  });

  test('the tutorial’s lessons at 1280 and 390 px: nothing wider than the screen', async () => {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const page = await openTutorial(site, { width, height });
      await runLesson(page, 'deadlocks');
      assert.ok((await page.evaluate(() => document.scrollingElement.scrollWidth)) <= width, `${width} px`);
      for (const lesson of ['basic', 'deadlocks', 'retries', 'autoscale']) {
        await page.locator(`#${lesson}`).scrollIntoViewIfNeeded();
        await page.locator(`#${lesson}`).screenshot({ path: join(SCREENSHOTS, `teaching-${lesson}-${width}.png`) });
      }
      await screenshot(page, `teaching-tutorial-${width}`);
      await page.close();
    }
    assert.deepEqual(site.consoleErrors, []);
  });
});
