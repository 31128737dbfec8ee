// The picture, as a reader sees it: every preset's recorded run at its end, at 1280 and 390 px,
// with no label clipped by its chart or drawn over another; failures marked so that no worker
// colour hides them; the causes of a run's end drawn where they happened (closes, panics, the
// deadlock's stuck waits and its circle); retries and both sides of a comparison readable from the
// picture; the embed page sized to its frame; and the main page's replay scrubber by keyboard.
//
// Recordings make the layout checks deterministic: embed.html on a page without threads plays the
// recording of its preset, and with reduced motion it shows the run's end straight away.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS, openSite, screenshot } from '../../tools/browser.mjs';

const RECORDINGS = resolve(fileURLToPath(import.meta.url), '../../../www/recordings');
const WIDTHS = [1280, 390];

/** The presets that have a recording. */
async function presets() {
  const index = JSON.parse(await readFile(resolve(RECORDINGS, 'index.json'), 'utf8'));
  return index.recordings.map(({ name }) => name);
}

/** Opens embed.html for `scenario` at `width` px with reduced motion; waits for the recorded end. */
async function openRecorded(site, scenario, width) {
  const page = await site.newPage({ width, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${site.url}embed.html?scenario=${scenario}`);
  await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'recording', null, {
    timeout: HANG_GUARD_MS,
  });
  await page.waitForFunction(() => document.querySelector('pool-playground').shadowRoot.querySelector('.verdict:not([hidden])'));
  return page;
}

/**
 * Every label in the picture inside `root` (a shadow root or the document, found by `selector`):
 * for each canvas its recorded text boxes, for each SVG its texts' boxes, each with its chart's size.
 */
function labelProblems(hostSelector) {
  const root = hostSelector ? document.querySelector(hostSelector).shadowRoot : document;
  const problems = [];
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const check = (chart, boxes, width, height) => {
    boxes.forEach((box, i) => {
      if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
        problems.push(`${chart}: “${box.text}” leaves the chart (${box.left.toFixed(1)}..${box.right.toFixed(1)} of ${width})`);
      }
      for (const other of boxes.slice(i + 1)) {
        if (overlap(box, other)) problems.push(`${chart}: “${box.text}” covers “${other.text}”`);
      }
    });
  };
  for (const canvas of root.querySelectorAll('canvas')) {
    // A closed panel keeps its last drawing but shows nothing: only what can be seen counts.
    if (!canvas.checkVisibility() || !canvas.textBoxes) continue;
    check(`canvas.${canvas.className}`, canvas.textBoxes, canvas.clientWidth, canvas.clientHeight);
  }
  for (const chart of root.querySelectorAll('svg')) {
    if (!chart.checkVisibility()) continue;
    const base = chart.getBoundingClientRect();
    const boxes = [...chart.querySelectorAll('text')].map((text) => {
      const r = text.getBoundingClientRect();
      return { text: text.textContent, left: r.left - base.left, right: r.right - base.left, top: r.top - base.top, bottom: r.bottom - base.top };
    });
    check(`svg.${chart.getAttribute('class')}`, boxes, base.width, base.height);
    // No arrow runs through a label.
    for (const line of chart.querySelectorAll('line, path[d^="M"]')) {
      if (line.closest('marker')) continue;
      const r = line.getBoundingClientRect();
      const seg = { left: r.left - base.left, right: r.right - base.left, top: r.top - base.top, bottom: r.bottom - base.top };
      for (const box of boxes) {
        // Straight lines only: their box is the line itself (a path's box is only checked when thin).
        const thin = seg.right - seg.left < 3 || seg.bottom - seg.top < 3;
        if (thin && overlap({ ...seg, left: seg.left - 1, right: seg.right + 1 }, box)) {
          problems.push(`svg.${chart.getAttribute('class')}: an arrow runs through “${box.text}”`);
        }
      }
    }
  }
  return problems;
}

describe('the picture of every preset', () => {
  let site;
  before(async () => {
    site = await openSite({ isolated: false });
  });
  after(async () => {
    await site?.close();
  });

  test('no label is clipped or covered, at 1280 and 390 px', async () => {
    const names = await presets();
    assert.ok(names.length >= 14, `a recording per preset (${names.length})`);
    const problems = [];
    for (const width of WIDTHS) {
      for (const name of names) {
        const page = await openRecorded(site, name, width);
        try {
          for (const problem of await page.evaluate(labelProblems, 'pool-playground')) problems.push(`${name} @${width}: ${problem}`);
          await screenshot(page, `picture-${name}-${width}`);
        } finally {
          await page.close();
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('failures have a mark no worker colour hides, and worker colours are never red', async () => {
    const page = await openRecorded(site, 'errors', 1280);
    try {
      const found = await page.evaluate(async () => {
        const { workerColor, FAILURE } = await import('/js/view/palette.js');
        const probe = document.createElement('canvas').getContext('2d');
        const rgb = (color) => {
          probe.fillStyle = color;
          probe.fillRect(0, 0, 1, 1);
          return [...probe.getImageData(0, 0, 1, 1).data.slice(0, 3)];
        };
        const hue = ([r, g, b]) => {
          const max = Math.max(r, g, b);
          const min = Math.min(r, g, b);
          if (max === min) return 0;
          const h = max === r ? (g - b) / (max - min) : max === g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
          return (h * 60 + 360) % 360;
        };
        const hues = Array.from({ length: 16 }, (_, i) => hue(rgb(workerColor(i + 1))));
        const canvas = document.querySelector('pool-playground').shadowRoot.querySelector('canvas.lanes');
        const ctx = canvas.getContext('2d');
        const scale = canvas.width / canvas.clientWidth;
        const red = rgb(FAILURE);
        // Inside each failure mark: the red outline and the dark hatch, whatever the worker's colour.
        const marks = canvas.marks.filter((m) => m.kind === 'failed').map((m) => {
          const data = ctx.getImageData(Math.round(m.x * scale), Math.round(m.top * scale), Math.max(1, Math.round(m.width * scale)), Math.round(24 * scale)).data;
          let reds = 0;
          let darks = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b] = data.slice(i, i + 3);
            if (Math.abs(r - red[0]) < 30 && Math.abs(g - red[1]) < 30 && Math.abs(b - red[2]) < 30) reds++;
            if (r + g + b < 200) darks++;
          }
          return { actor: m.actor, job: m.job, reds, darks };
        });
        return { hues, marks };
      });
      for (const h of found.hues) assert.ok(h >= 40 && h <= 325, `worker hue ${h.toFixed(0)} stays out of the reds`);
      assert.ok(found.marks.length > 0, 'the errors run has failed jobs on the lanes');
      for (const m of found.marks) {
        assert.ok(m.reds > 0 && m.darks > 0, `job ${m.job} on ${m.actor}: red outline (${m.reds}) and dark hatch (${m.darks})`);
      }
    } finally {
      await page.close();
    }
  });

  test('the causes are on the lanes: the early close, the panicking send, both closes, the stuck waits', async () => {
    const marksOf = async (name) => {
      const page = await openRecorded(site, name, 1280);
      try {
        return await page.evaluate(() => {
          const root = document.querySelector('pool-playground').shadowRoot;
          const lanes = root.querySelector('canvas.lanes');
          return { marks: lanes.marks, labels: lanes.textBoxes.map((b) => b.text), verdict: root.querySelector('.verdict').textContent };
        });
      } finally {
        await page.close();
      }
    };

    const early = await marksOf('panic-send-on-closed');
    const close = early.marks.find((m) => m.kind === 'close' && m.channel === 'results');
    const panic = early.marks.find((m) => m.kind === 'panic');
    assert.equal(close?.actor, 'closer', 'close(results) on the closer’s lane');
    assert.match(panic?.actor ?? '', /^worker-\d+$/, 'the panic on the sending worker’s lane');
    assert.ok(close.t <= panic.t, 'the close comes before the panic');
    assert.ok(early.labels.includes('close(results)'), 'the close is named');
    assert.ok(early.labels.some((text) => /^panic: send on closed channel/.test(text)), 'the panic is named');

    const twice = await marksOf('panic-close-twice');
    const first = twice.marks.find((m) => m.kind === 'close' && m.channel === 'jobs');
    const second = twice.marks.find((m) => m.kind === 'panic');
    assert.equal(first?.actor, 'producer');
    assert.equal(second?.actor, 'producer', 'the second close panics on the same lane');
    assert.match(second.error, /close of closed channel/);
    assert.ok(first.t <= second.t);

    for (const name of ['deadlock-no-close', 'deadlock-after-wait', 'deadlock-circular']) {
      const { marks } = await marksOf(name);
      const recording = JSON.parse(await readFile(resolve(RECORDINGS, `${name}.json`), 'utf8'));
      const stuck = marks.filter((m) => m.kind === 'stuck');
      assert.deepEqual(stuck.map((m) => m.actor).sort(), recording.blocked.map((b) => b.actor).sort(), `${name}: every stuck actor’s wait`);
      for (const m of stuck) assert.ok(m.width >= 40, `${name}: ${m.actor}'s stuck wait is a stretch (${m.width.toFixed(0)} px), not a sliver`);
    }
  });

  test('the circular deadlock draws its circle; the others their dead end', async () => {
    const graphOf = async (name) => {
      const page = await openRecorded(site, name, 390);
      try {
        return await page.evaluate(() => {
          const root = document.querySelector('pool-playground').shadowRoot;
          return {
            summary: root.querySelector('.waitfor-summary').textContent,
            stuck: [...root.querySelectorAll('.waitfor-node.stuck')].map((n) => n.textContent),
            wakes: root.querySelectorAll('.waitfor [stroke-dasharray="5 3"]').length,
          };
        });
      } finally {
        await page.close();
      }
    };
    const circular = await graphOf('deadlock-circular');
    assert.match(circular.summary, /closed circle: .*producer/);
    assert.ok(circular.stuck.includes('producer'));
    assert.ok(circular.wakes >= 2, 'who could wake whom is drawn');
    const noClose = await graphOf('deadlock-no-close');
    assert.match(noClose.summary, /producer, which finished without doing it/);
  });

  test('retries: attempts on the lanes and the jobs a retry saved in the dead-letter panel', async () => {
    const page = await openRecorded(site, 'retry', 1280);
    try {
      const recording = JSON.parse(await readFile(resolve(RECORDINGS, 'retry.json'), 'utf8'));
      const retried = recording.results.filter((r) => r.attempts > 1 && r.error === undefined).map((r) => r.job);
      assert.ok(retried.length > 0, 'the recorded run saved some jobs by retrying');
      const shown = await page.evaluate(() => {
        const root = document.querySelector('pool-playground').shadowRoot;
        return {
          saved: [...root.querySelectorAll('.dead-letters .retried li')].map((li) => Number(li.dataset.job)),
          attempts: root.querySelector('canvas.lanes').marks.filter((m) => m.kind === 'failed').length,
          listed: [...root.querySelectorAll('.results-view li')].map((li) => [Number(li.dataset.attempts), li.textContent]),
        };
      });
      for (const [attempts, text] of shown.listed) {
        if (attempts > 1) assert.match(text, new RegExp(` · ${attempts} attempts$`), 'the results say how many attempts');
      }
      assert.equal(shown.listed.filter(([attempts]) => attempts > 1).length, recording.results.filter((r) => r.attempts > 1).length);
      assert.deepEqual(shown.saved.sort((a, b) => a - b), retried.sort((a, b) => a - b));
      assert.ok(shown.attempts >= retried.length, 'each failed attempt is marked');
    } finally {
      await page.close();
    }
  });

  test('no pool against a pool: the verdict tells both sides, and the result counts agree', async () => {
    const page = await openRecorded(site, 'unbounded-vs-pool', 1280);
    try {
      const recording = JSON.parse(await readFile(resolve(RECORDINGS, 'unbounded-vs-pool.json'), 'utf8'));
      const root = page.locator('pool-playground');
      const verdict = await root.locator('.verdict').textContent();
      assert.match(verdict, new RegExp(`${recording.comparison.unbounded.service.rejections} refused with a 429`));
      assert.match(verdict, /No pool/);
      assert.match(verdict, /A pool of \d+ workers/);
      const count = Number(await root.locator('.result-count').textContent());
      assert.equal(count, recording.results.length, 'the heading counts every result');
      assert.equal(count, Number(await root.locator('.results').getAttribute('data-total')));
      assert.equal(await root.locator('.results-view li').count(), Math.min(count, 100), 'the list shows the first hundred');
    } finally {
      await page.close();
    }
  });

  test('the embed page in a frame posts its height, so the frame fits its picture', async () => {
    const page = await site.newPage({ width: 1280, height: 900 });
    try {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(`${site.url}embed.html?scenario=basic`);
      const own = page.locator('pool-playground');
      await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'recording');
      assert.equal(await own.locator('.embed-actions .open-window').isHidden(), true, 'no "open in its own window" in its own window');
      assert.equal(await own.locator('.embed-isolation .open-window').isHidden(), true, 'nor in the note on threads');
      // A host page with the README's snippet.
      await page.setContent(`<!doctype html><html><body>
        <iframe src="${site.url}embed.html?scenario=deadlock-no-close" width="100%" height="300" style="border:0"></iframe>
        <script>
          addEventListener('message', ({ origin, source, data }) => {
            if (origin !== '${site.url.replace(/\/$/, '')}' || data?.type !== 'poolplay-height') return;
            for (const frame of document.querySelectorAll('iframe'))
              if (frame.contentWindow === source) frame.style.height = data.height + 'px';
          });
        </script></body></html>`);
      const frame = page.frameLocator('iframe');
      await frame.locator('pool-playground[data-state="recording"]').waitFor({ timeout: HANG_GUARD_MS });
      await page.waitForFunction(() => {
        const iframe = document.querySelector('iframe');
        const inner = iframe.contentDocument?.documentElement;
        return inner && Math.abs(iframe.getBoundingClientRect().height - inner.getBoundingClientRect().height) < 2 && iframe.getBoundingClientRect().height > 600;
      });
    } finally {
      await page.close();
    }
  });
});

describe('the main page', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('the tutorial: captions follow each lesson’s setup; an autoscaling pool has no Workers knob', async () => {
    const page = await site.newPage();
    try {
      await page.goto(`${site.url}tutorial.html`);
      await page.waitForFunction(() => {
        const pools = [...document.querySelectorAll('pool-playground')];
        return pools.length > 0 && pools.every((el) => el.dataset.state === 'ready');
      }, null, { timeout: HANG_GUARD_MS });
      const sizing = page.locator('#sizing pool-playground');
      const watch = await sizing.locator('.embed-watch').textContent();
      assert.match(watch, /32 jobs into the 8-slot jobs buffer/);
      assert.match(watch, /2 workers take jobs/);
      await sizing.locator('input[name=workers]').fill('5');
      // The knob is judged by the core (a message to its worker) before the caption follows it.
      await sizing.locator('.embed-watch', { hasText: /5 workers take jobs/ }).waitFor();
      const autoscale = page.locator('#autoscale pool-playground');
      assert.equal(await autoscale.locator('input[name=workers]').isDisabled(), true);
      assert.equal(await page.locator('#basic pool-playground input[name=workers]').isDisabled(), false);
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await page.close();
    }
  });

  test('a live lane thinned as it grows is thinned as if all at once, at every step', async () => {
    const page = await site.newPage();
    await page.goto(site.url);
    try {
      const steps = await page.evaluate(async () => {
        const { thinned, thinnedGrowing } = await import('./js/view/thin.js');
        // A worker's lane as a run writes it: each span opens after the last closed, most of
        // them thinner than a pixel, some wide, some failed; a deterministic random walk.
        let seed = 7;
        const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        const spans = [];
        const draw = (list) => JSON.stringify(list.map(({ kind, reason, start, end, merged, failed }) => [kind, reason, start, end, merged, failed]));
        const msPerPixel = 0.5;
        let t = 0;
        let differ = 0;
        for (let step = 0; step < 3000; step++) {
          const open = spans.at(-1);
          if (open && open.end === null) {
            t += random() < 0.9 ? random() * 0.6 : random() * 20;
            open.end = t;
            if (open.kind === 'job' && random() < 0.05) open.failed = true;
          } else {
            t += random() < 0.8 ? 0 : random() * 3;
            const blocked = random() < 0.5;
            spans.push(blocked ? { kind: 'blocked', reason: random() < 0.5 ? 'empty' : 'full', start: t, end: null } : { kind: 'job', job: step, start: t, end: null, failed: false });
          }
          if (draw(thinnedGrowing(spans, msPerPixel)) !== draw(thinned(spans, msPerPixel))) differ++;
        }
        // A new scale starts over.
        if (draw(thinnedGrowing(spans, 2)) !== draw(thinned(spans, 2))) differ++;
        return { differ, spans: spans.length, merged: thinned(spans, msPerPixel).length };
      });
      assert.equal(steps.differ, 0);
      assert.ok(steps.merged < steps.spans * 0.8, `thinning merged (${steps.merged} of ${steps.spans})`);
    } finally {
      await page.close();
    }
  });

  test('a big run: its trace stays packed, its lanes are drawn in steps, and moving back replays it a slice at a time to the same picture', async () => {
    const page = await site.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
    try {
      // 2,000 jobs through unbuffered channels: about 20,000 events, in several streamed batches.
      const outcome = await page.evaluate(async () => {
        window.bigRun = await window.poolplay.run({ workers: 8, jobs: 2000, workMs: 0, jobsBuffer: 0, resultsBuffer: 0 });
        return window.bigRun.outcome;
      });
      assert.equal(outcome, 'completed');
      const trace = await page.evaluate(async () => {
        const { traceOf } = await import('./js/events.js');
        const report = window.bigRun;
        const trace = traceOf(report);
        const cursor = trace.cursor();
        const pieces = [];
        while (cursor.left) pieces.push(...cursor.take(777)); // pieces that cross the batches' edges
        const { events } = report;
        return {
          count: trace.count,
          events: events.length,
          kept: events === report.events,
          sameByCursor: JSON.stringify(pieces) === JSON.stringify(events),
          sameTimes: trace.times().every((t, i) => t === events[i].t),
          inOrder: trace.times().every((t, i, times) => i === 0 || times[i - 1] <= t),
        };
      });
      assert.ok(trace.count > 10_000, `a big trace (${trace.count} events)`);
      assert.deepEqual(trace, { ...trace, events: trace.count, kept: true, sameByCursor: true, sameTimes: true, inOrder: true });

      // Lanes drawn in steps (a live frame's, the end's) show nothing until the last step, then
      // exactly what a drawing at once shows, with the same label record and marks.
      const stepped = await page.evaluate(async () => {
        const { createReplay } = await import('./js/replay.js');
        const { drawLanes, drawLanesInSteps } = await import('./js/view/lanes.js');
        const lanes = document.querySelector('#playground canvas.lanes');
        const canvases = [0, 1].map(() => {
          const canvas = document.createElement('canvas');
          canvas.style.width = `${lanes.clientWidth}px`;
          document.body.append(canvas);
          return canvas;
        });
        const [once, inSteps] = canvases;
        const replay = createReplay(window.bigRun);
        const end = replay.modelAt(replay.end);
        drawLanes(once, end, replay.end, replay.end);
        const half = replay.end / 2;
        drawLanes(inSteps, replay.modelAt(half), half, replay.end); // what was on show before
        const before = inSteps.toDataURL();
        const steps = drawLanesInSteps(inSteps, end, replay.end, replay.end);
        let count = 0;
        let unchanged = true;
        while (!steps.next().done) {
          count++;
          unchanged &&= inSteps.toDataURL() === before;
        }
        const result = {
          lanes: end.actorNames.length,
          steps: count,
          unchangedUntilDone: unchanged,
          sameAsOnce: inSteps.toDataURL() === once.toDataURL(),
          sameLabels: JSON.stringify(inSteps.textBoxes) === JSON.stringify(once.textBoxes),
          sameMarks: JSON.stringify(inSteps.marks) === JSON.stringify(once.marks),
          // The page's own end, drawn in steps as the run finished.
          pageSameAsOnce: lanes.toDataURL() === once.toDataURL(),
        };
        for (const canvas of canvases) canvas.remove();
        return result;
      });
      assert.ok(stepped.steps >= stepped.lanes, `a step per lane (${stepped.steps} steps, ${stepped.lanes} lanes)`);
      assert.deepEqual(stepped, { ...stepped, unchangedUntilDone: true, sameAsOnce: true, sameLabels: true, sameMarks: true, pageSameAsOnce: true });

      // Back to the middle: more events than one task replays, so the moment is drawn a task later.
      const seek = await page.evaluate(() => {
        const events = window.bigRun.events;
        const range = document.querySelector('#playground .replay-time');
        range.value = String(events[Math.floor(events.length / 2)].t);
        range.dispatchEvent(new Event('input'));
        return { t: Number(range.value), shownAtOnce: document.querySelector('#playground .picture').dataset.shown };
      });
      assert.notEqual(seek.shownAtOnce, String(seek.t), 'not drawn in the task of the move');
      await page.waitForFunction((t) => document.querySelector('#playground .picture').dataset.shown === String(t), seek.t);
      // The same moment replayed at once, drawn on a canvas of the same width: the same pixels.
      const same = await page.evaluate(async (t) => {
        const { createReplay } = await import('./js/replay.js');
        const { drawLanes } = await import('./js/view/lanes.js');
        const lanes = document.querySelector('#playground canvas.lanes');
        const canvas = document.createElement('canvas');
        canvas.style.width = `${lanes.clientWidth}px`;
        document.body.append(canvas);
        const replay = createReplay(window.bigRun);
        drawLanes(canvas, replay.modelAt(t), t, replay.end);
        const same = canvas.toDataURL() === lanes.toDataURL();
        canvas.remove();
        return same;
      }, seek.t);
      assert.equal(same, true, 'the lanes caught up with the moment');
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await page.evaluate(() => window.poolplay?.cancel()).catch(() => {});
      await page.close();
    }
  });

  test('a live run draws the lanes only once they are on the screen', async () => {
    const page = await site.newPage({ width: 1280, height: 500 });
    await page.goto(site.url);
    await page.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
    try {
      const readLanes = () => document.querySelector('#playground canvas.lanes').textBoxes.map((box) => box.text).join('|');
      const lanesText = () => page.evaluate(readLanes);
      const offScreen = () => page.evaluate(() => document.querySelector('#playground canvas.lanes').getBoundingClientRect().top > innerHeight);
      await page.evaluate(() => scrollTo(0, 0));
      assert.equal(await offScreen(), true, 'the lanes start below the fold');
      // The empty pool's preview comes with the core's answer about the knobs: wait for it.
      await page.waitForFunction(() => document.querySelector('#playground canvas.lanes').textBoxes?.length > 0);
      // A run that goes on until cancelled: 2 workers, 1,000 jobs of 2 s each. The preview is read
      // in the same task that starts it, so no later preview can slip in between (a run drops them).
      const preview = await page.evaluate(`(() => {
        const text = (${readLanes})();
        window.longRun = window.poolplay.run({ workers: 2, jobs: 1000, workMs: 2000, jobsBuffer: 0, resultsBuffer: 0 });
        return text;
      })()`);
      // Live frames go by (the run's moment on show moves on); the lanes, off the screen, stay as they were.
      const running = () => (document.querySelector('#playground .progress-figures')?.textContent ?? '').endsWith('running');
      await page.waitForFunction(`(${running})() && Number(document.querySelector('#playground .picture').dataset.shown) > 300`);
      assert.equal(await offScreen(), true);
      assert.equal(await lanesText(), preview, 'lanes off the screen are not drawn');
      // In sight, they are drawn while the run goes on: jobs 1 and 2 at work on the lanes.
      await page.locator('#playground canvas.lanes').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => ['1', '2'].every((job) => document.querySelector('#playground canvas.lanes').textBoxes.some((box) => box.text === job)));
      assert.equal(await page.evaluate(running), true, 'drawn while the run goes on');
      await page.evaluate(() => window.poolplay.cancel());
      assert.equal(await page.evaluate(() => window.longRun.then((report) => report.outcome)), 'cancelled');
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await page.evaluate(() => window.poolplay?.cancel()).catch(() => {});
      await page.close();
    }
  });

  test('its words follow the knobs; after a run it has the replay scrubber, which works by keyboard', async () => {
    const page = await site.newPage();
    const warnings = [];
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    await page.goto(site.url);
    await page.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
    try {
      // The scenario's words follow the knobs.
      await page.locator('#playground input[name=workers]').fill('5');
      await page.locator('#playground .scenario-text', { hasText: /5 workers take jobs/ }).waitFor();
      const report = await page.evaluate(() => window.poolplay.run({ scenario: 'panic-send-on-closed' }));
      assert.equal(report.outcome, 'panic');
      const scrubber = page.locator('#playground .scrubber');
      await scrubber.waitFor();
      assert.equal(await page.locator('#playground .verdict').isVisible(), true, 'at the end: the verdict');
      const range = page.locator('#playground .replay-time');
      await range.focus();
      await page.keyboard.press('Home');
      assert.equal(Number(await scrubber.getAttribute('data-time')), 0);
      assert.equal(await page.locator('#playground .verdict').isHidden(), true, 'before the end: no verdict');
      await page.locator('#playground .replay-forward').focus();
      await page.keyboard.press('Enter');
      assert.ok(Number(await scrubber.getAttribute('data-time')) > 0, 'a step forward moves to the next event');
      await range.focus();
      await page.keyboard.press('End');
      await page.locator('#playground .verdict').waitFor();
      const problems = await page.evaluate(labelProblems, null);
      assert.deepEqual(problems, []);
      await screenshot(page, 'main-scrubber');
      assert.deepEqual(site.consoleErrors, []);
      assert.deepEqual(warnings.filter((text) => /deprecated/.test(text)), [], 'the wasm module is initialised the current way');
    } finally {
      await page.evaluate(() => window.poolplay?.cancel()).catch(() => {});
      await page.close();
    }
  });
});
