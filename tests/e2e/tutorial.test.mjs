// The tutorial page end to end: every lesson has its live pool (or says plainly that its preset is
// coming), every pool runs on real threads, the Rust beside each pool is the code that runs, the
// page works from the keyboard and on a phone, and without threads it plays recordings, still
// when the reader asks for reduced motion.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openSite, screenshot } from '../../tools/browser.mjs';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');

/** Opens the tutorial and waits until every pool on it has settled. */
async function openTutorial(site, viewport, options) {
  const page = await site.newPage(viewport, options);
  await page.goto(`${site.url}tutorial.html`);
  await page.waitForFunction(
    () => {
      const slots = [...document.querySelectorAll('.widget-slot[data-scenario]')];
      const filled = slots.every((slot) => slot.querySelector('pool-playground') || slot.classList.contains('coming'));
      const pools = [...document.querySelectorAll('pool-playground')];
      return filled && pools.every((el) => ['ready', 'recording'].includes(el.dataset.state));
    },
    null,
    { timeout: HANG_GUARD_MS },
  );
  return page;
}

/**
 * What each lesson's slots hold: a scenario (a pool's preset) or a widget (`data-widget`: the
 * sizing lesson's "image-sweep", the pipelines lesson's "pipeline"), and whether a pool, that
 * widget or a "coming" note fills it.
 */
function slots(page) {
  return page.evaluate(() => {
    // What each widget puts in its slot.
    const marks = { pipeline: '.pipeline-example .pipeline-lanes', 'image-sweep': '.sweep-status' };
    return [...document.querySelectorAll('.widget-slot')].map((slot) => ({
      lesson: slot.closest('section').id,
      scenario: slot.dataset.scenario ?? null,
      widget: slot.dataset.widget ?? null,
      pool: Boolean(slot.querySelector('pool-playground')),
      filled: slot.dataset.widget in marks && Boolean(slot.querySelector(marks[slot.dataset.widget])),
      text: slot.textContent,
    }));
  });
}

/** Unescapes the text of a code block as the HTML holds it. */
const unescape = (html) => html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

describe('the tutorial on an isolated page', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openTutorial(site);
  });
  after(async () => {
    await site?.close();
  });

  test('every lesson has its pool for each preset the core offers, and says "coming" for the others', async () => {
    const offered = await page.evaluate(async () => {
      const { sharedClient } = await import('./js/embed.js');
      return (await sharedClient().scenarios).map(({ name }) => name);
    });
    const lessons = await slots(page);
    const order = ['why', 'basic', 'errors', 'ordering', 'backpressure', 'deadlocks', 'cancel', 'retries', 'autoscale', 'sizing', 'pipelines'];
    assert.deepEqual([...new Set(lessons.map((l) => l.lesson))], order);
    // Every lesson of the page is in that list, with a slot of its own.
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('section.lesson')].map((s) => s.id)), order);
    for (const { lesson, scenario, widget, pool, filled, text } of lessons) {
      if (widget) {
        assert.ok(filled && !pool, `${lesson}: its widget "${widget}" fills its slot`);
        continue;
      }
      assert.equal(pool, offered.includes(scenario), `${lesson}: a pool exactly when "${scenario}" is offered`);
      if (!pool) assert.match(text, new RegExp(`^Coming: .*“${scenario}” preset`), lesson);
    }
    const pools = await page.locator('pool-playground').count();
    assert.ok(pools >= 7, `${pools} pools`);
    assert.equal(await page.locator('#status').textContent(), '20 threads in the pool · cross-origin isolated');
  });

  test('every pool runs its lesson’s preset on real threads', async () => {
    const runs = await page.evaluate(async () => {
      const out = [];
      for (const el of document.querySelectorAll('pool-playground')) {
        const report = await el.run();
        out.push({
          lesson: el.closest('section').id,
          scenario: report.config.scenario,
          wanted: el.getAttribute('scenario'),
          outcome: report.outcome,
          mode: el.dataset.mode,
          workers: report.config.workers,
          jobs: report.config.jobs,
          pool: report.config.pool,
          maxWorkers: report.config.maxWorkers,
          workerActors: new Set(report.events.filter((e) => e.kind === 'started').map((e) => e.actor)).size,
          verdict: el.shadowRoot.querySelector('.verdict').dataset.outcome,
        });
      }
      return out;
    });
    const expected = { deadlocks: 'deadlock', cancel: 'cancelled' };
    for (const run of runs) {
      assert.equal(run.scenario, run.wanted, run.lesson);
      assert.equal(run.mode, 'threads', run.lesson);
      assert.equal(run.outcome, expected[run.lesson] ?? 'completed', run.lesson);
      assert.equal(run.verdict, run.outcome, `${run.lesson}: the verdict shows the outcome`);
      // A comparison runs a task per job and then its workers; an autoscaling pool up to its maximum.
      const most = { compare: run.jobs + run.workers, autoscale: run.maxWorkers }[run.pool] ?? run.workers;
      assert.ok(run.workerActors >= 1 && run.workerActors <= most, `${run.lesson}: jobs ran on worker threads`);
    }
    const sizing = runs.find((r) => r.lesson === 'sizing');
    assert.deepEqual([sizing.workers, sizing.jobs], [2, 32], 'the lesson’s own settings applied');
    await screenshot(page, 'tutorial-desktop');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('the sizing lesson’s sweep measures this machine', async () => {
    const sweep = page.locator('#sizing .image-sweep');
    await sweep.locator('input[name=mostWorkers]').fill('1');
    await sweep.getByRole('button', { name: 'Run sweep' }).click();
    await sweep.locator('.sweep-status').filter({ hasText: /^Best speedup/ }).waitFor({ timeout: HANG_GUARD_MS });
    const rows = await sweep.locator('.sweep-table tbody tr').allTextContents();
    assert.equal(rows.length, 1);
    assert.match(rows[0], /^1\d+\.\d\d s · 1\.00×\d+\.\d\d s · 1\.00×$/, rows[0]);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('works from the keyboard: skip link, then Tab to a Run button and Enter runs it', async () => {
    const keys = await site.newPage();
    await keys.goto(`${site.url}tutorial.html`);
    await keys.waitForFunction(() => document.querySelector('#basic pool-playground')?.dataset.state === 'ready', null, { timeout: HANG_GUARD_MS });
    await keys.keyboard.press('Tab');
    assert.equal(await keys.evaluate(() => document.activeElement.textContent), 'Skip to the first lesson');
    await keys.keyboard.press('Enter');
    // Following the link is a navigation of its own: wait for it rather than read the address at once.
    await keys.waitForFunction(() => location.hash === '#why');
    assert.equal(new URL(keys.url()).hash, '#why');
    let focused = null;
    for (let i = 0; i < 80 && focused !== 'basic Run'; i++) {
      await keys.keyboard.press('Tab');
      focused = await keys.evaluate(() => {
        const host = document.activeElement;
        const inner = host?.shadowRoot?.activeElement;
        return inner ? `${host.closest('section').id} ${inner.textContent}` : null;
      });
    }
    assert.equal(focused, 'basic Run', 'Tab reaches the first live pool’s Run button');
    await keys.keyboard.press('Enter');
    await keys.locator('#basic pool-playground .verdict[data-outcome="completed"]').waitFor({ timeout: HANG_GUARD_MS });
    // The replay bar is reachable too, and its Start button takes the replay back to 0.
    for (let i = 0; i < 80 && focused !== 'basic Start'; i++) {
      await keys.keyboard.press('Tab');
      focused = await keys.evaluate(() => `${document.activeElement.closest('section')?.id} ${document.activeElement.shadowRoot?.activeElement?.textContent}`);
    }
    await keys.keyboard.press('Enter');
    assert.equal(await keys.locator('#basic pool-playground .scrubber').getAttribute('data-time'), '0');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('reads well on a 390 px phone: nothing wider than the screen', async () => {
    const phone = await openTutorial(site, { width: 390, height: 844 });
    await phone.locator('#ordering pool-playground').evaluate((el) => el.run());
    const widths = await phone.evaluate(() => ({
      page: document.scrollingElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('pool-playground, .pipeline-example, .challenge-slot')].map((el) => el.getBoundingClientRect().right)),
    }));
    assert.ok(widths.page <= 390, `page ${widths.page} px wide`);
    assert.ok(widths.widest <= 390, `a pool reaches ${widths.widest} px`);
    await screenshot(phone, 'tutorial-phone');
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('the tutorial’s code', () => {
  test('each Rust excerpt is the code in the file it names (pieces between "// …", in order)', async () => {
    const html = await readFile(resolve(REPO, 'www/tutorial.html'), 'utf8');
    const figures = [...html.matchAll(/<figure class="rust" data-source="([^"]+)">.*?<pre[^>]*><code>(.*?)<\/code><\/pre>/gs)];
    assert.ok(figures.length >= 7, `${figures.length} excerpts`);
    const trim = (lines) => lines.map((line) => line.trim());
    for (const [, source, code] of figures) {
      const file = trim((await readFile(resolve(REPO, source), 'utf8')).split('\n'));
      let from = 0;
      for (const piece of unescape(code).split(/\n\s*\/\/ …\n/)) {
        const lines = trim(piece.split('\n'));
        const at = file.findIndex((_, i) => i >= from && lines.every((line, k) => file[i + k] === line));
        assert.ok(at >= 0, `the excerpt from ${source} starting "${lines[0]}" is no longer in it: update www/tutorial.html`);
        from = at + lines.length;
      }
    }
  });
});

describe('the tutorial on a page without threads', () => {
  let site;
  before(async () => {
    site = await openSite({ isolated: false });
  });
  after(async () => {
    await site?.close();
  });

  test('each pool shows its recording, and with reduced motion none of them starts playing by itself', async () => {
    const page = await site.newPage({ width: 1280, height: 900 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${site.url}tutorial.html`);
    await page.waitForFunction(
      () => [...document.querySelectorAll('pool-playground')].length > 0 && [...document.querySelectorAll('pool-playground')].every((el) => el.dataset.state === 'recording'),
      null,
      { timeout: HANG_GUARD_MS },
    );
    assert.equal(await page.locator('#status').textContent(), 'threads are off on this page: the pools play recordings');
    await page.locator('#basic').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const pools = await page.evaluate(() =>
      [...document.querySelectorAll('pool-playground')].map((el) => ({
        lesson: el.closest('section').id,
        mode: el.dataset.mode,
        time: Number(el.shadowRoot.querySelector('.scrubber').dataset.time),
        end: Math.max(el.report.stats.wallMs, el.report.events.at(-1).t),
        playing: el.shadowRoot.querySelector('.replay-play').getAttribute('aria-pressed'),
        recorded: Boolean(el.report.recorded),
      })),
    );
    for (const pool of pools) {
      assert.equal(pool.mode, 'recording', pool.lesson);
      assert.ok(pool.recorded, `${pool.lesson}: a recording`);
      assert.equal(pool.time, pool.end, `${pool.lesson}: shown at its end, not playing`);
      assert.notEqual(pool.playing, 'true', pool.lesson);
    }
    assert.equal(await page.locator('#sizing .image-sweep button.run').isDisabled(), true, 'no sweep without threads');
    assert.match(await page.locator('#sizing .coming-note').textContent(), /needs threads; there is no recording of it/);
    // The pipeline has no recording: it says it needs threads, and cannot be run.
    assert.match(await page.locator('#pipelines .pipeline-message').textContent(), /needs threads/);
    assert.equal(await page.locator('#pipelines .pipeline-example button.run').isDisabled(), true, 'no pipeline run without threads');
    // The reader can still play it.
    await page.locator('#basic pool-playground .replay-play').click();
    await page.waitForFunction(() => Number(document.querySelector('#basic pool-playground').shadowRoot.querySelector('.scrubber').dataset.time) > 0);
    await screenshot(page, 'tutorial-recordings');
    assert.deepEqual(site.consoleErrors, []);
  });
});
