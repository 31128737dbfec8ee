// The embed kit end to end: <pool-playground> on another site's page, with and without cross-origin
// isolation (and made isolated by the drop-in service worker), the embed page's URL as its state,
// hostile settings, replay, and the exported trace.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openSite, screenshot } from '../../tools/browser.mjs';
import { startServer } from '../../tools/serve.mjs';

const WWW = resolve(fileURLToPath(import.meta.url), '../../../www');

/** The post's embed: the custom element. */
const EMBED = () => '<pool-playground scenario="deadlock-no-close" workers="3" jobs-buffer="0"></pool-playground>';

/** The post's embed: the iframe form. */
const FRAME = (poolplayUrl) =>
  `<iframe src="${poolplayUrl}embed.html?scenario=basic&amp;workers=2" allow="cross-origin-isolated" width="900" height="900"></iframe>`;

/**
 * Serves a one-page "blog" from its own origin (another port) whose post embeds a playground from
 * the Poolplay site at `poolplayUrl`. `head` goes first in <head>.
 */
async function serveBlog(poolplayUrl, { isolated, head = '', body = EMBED }) {
  const root = await mkdtemp(join(tmpdir(), 'poolplay-blog-'));
  await mkdir(join(root, 'www'));
  await writeFile(
    join(root, 'www', 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}<title>A blog post</title>
<link rel="icon" href="data:,">
<script type="module" src="${poolplayUrl}js/embed.js"></script></head>
<body><h1>Worker pools, a post</h1><p>Here is the bug:</p>
${body(poolplayUrl)}
</body></html>`,
  );
  await copyFile(join(WWW, 'poolplay-coi.js'), join(root, 'www', 'poolplay-coi.js'));
  const server = await startServer({ root, isolated });
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Waits until the page's playground (the first, or `selector`) has settled into a state. */
async function settled(page, selector = 'pool-playground') {
  await page.waitForFunction(
    (s) => ['ready', 'recording'].includes(document.querySelector(s)?.dataset.state),
    selector,
    { timeout: HANG_GUARD_MS },
  );
}

/**
 * Clicks `button`, reads the downloaded file (named `name`) and checks it is trace-event JSON:
 * a `traceEvents` list of known phases with names, numeric timestamps and integer lanes.
 */
async function exportedTrace(page, button, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), name);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const trace = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.ok(Array.isArray(trace.traceEvents));
  for (const e of trace.traceEvents) {
    assert.ok(['M', 'X', 'i', 'C'].includes(e.ph), `phase ${e.ph}`);
    assert.equal(typeof e.name, 'string');
    assert.equal(e.pid, 1);
    assert.ok(Number.isInteger(e.tid));
    if (e.ph !== 'M') assert.ok(Number.isFinite(e.ts) && e.ts >= 0, `ts ${e.ts}`);
    if (e.ph === 'X') assert.ok(Number.isFinite(e.dur) && e.dur >= 0, `dur ${e.dur}`);
  }
  return trace;
}

describe('<pool-playground> on another site', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('on a page without COOP/COEP it says so, offers both ways out, and plays the recording', async () => {
    const blog = await serveBlog(site.url, { isolated: false });
    try {
      const page = await site.newPage();
      await page.goto(blog.url);
      await settled(page);
      const element = page.locator('pool-playground');
      assert.equal(await page.evaluate(() => crossOriginIsolated), false);
      assert.equal(await element.getAttribute('data-mode'), 'recording');
      assert.match(await element.locator('.embed-mode').textContent(), /recording/);
      assert.match(await element.locator('.embed-isolation').textContent(), /Threads are off on this page/);
      const own = new URL(await element.locator('.embed-isolation .open-window').getAttribute('href'));
      assert.equal(own.origin + '/', site.url, 'the own-window page is on the Poolplay site');
      assert.equal(own.pathname, '/embed.html');
      assert.equal(own.searchParams.get('scenario'), 'deadlock-no-close');
      assert.equal(own.searchParams.get('jobs-buffer'), '0');
      assert.equal(await element.locator('.embed-isolation .service-worker').getAttribute('href'), `${site.url}poolplay-coi.js`);
      assert.equal(await element.locator('.controls').isHidden(), true, 'no knobs where nothing can run');
      assert.match(await element.locator('.replay-title').textContent(), /^Recording of a real run on \d+ threads$/);

      // It plays: the clock moves and the picture fills, up to the recorded verdict.
      const report = await page.evaluate(() => document.querySelector('pool-playground').report);
      assert.equal(report.config.scenario, 'deadlock-no-close');
      assert.equal(report.outcome, 'deadlock');
      assert.ok(report.recorded.poolThreads >= report.stats.threads, 'recorded on a real thread pool');
      // It began at the start (the recording may be over by the time this looks: it is short).
      await page.waitForFunction(() => document.querySelector('pool-playground').shadowRoot.querySelector('.scrubber').dataset.playedFrom);
      assert.equal(await element.locator('.scrubber').getAttribute('data-played-from'), '0', 'played from the start');
      await element.locator('.verdict[data-outcome="deadlock"]').waitFor({ timeout: HANG_GUARD_MS });
      assert.match(await element.locator('.go-message').textContent(), /all goroutines are asleep/);
      const stuck = await element.locator('.actor.stuck').count();
      assert.equal(stuck, report.blocked.length, 'the stuck actors are the recorded ones');
      await screenshot(page, 'embed-recording');
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await blog.close();
    }
  });

  test('on an isolated page the same element runs on real threads', async () => {
    const blog = await serveBlog(site.url, { isolated: true });
    try {
      const page = await site.newPage();
      await page.goto(blog.url);
      await settled(page);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      const element = page.locator('pool-playground');
      assert.equal(await element.getAttribute('data-mode'), 'threads');
      assert.match(await element.locator('.embed-mode').textContent(), /real threads \(20 in the pool\)/);
      assert.equal(await element.locator('.embed-isolation').isHidden(), true);
      await element.locator('button.run').click();
      await element.locator('.verdict[data-outcome="deadlock"]').waitFor({ timeout: HANG_GUARD_MS });
      const report = await page.evaluate(() => document.querySelector('pool-playground').report);
      assert.equal(report.recorded, undefined, 'a live run, not the recording');
      assert.equal(report.config.jobsBuffer, 0, 'the attribute applied');
      assert.equal(report.config.workers, 3);
      const workers = new Set(report.events.filter((e) => e.kind === 'started').map((e) => e.actor));
      assert.deepEqual([...workers].sort(), ['worker-1', 'worker-2', 'worker-3'], 'jobs ran on three worker threads');
      assert.equal(report.stats.threads, 6);
      await screenshot(page, 'embed-threads');
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await blog.close();
    }
  });

  test('the iframe form runs on threads in an isolated page and falls back to the recording elsewhere', async () => {
    for (const isolated of [true, false]) {
      const blog = await serveBlog(site.url, { isolated, body: FRAME });
      try {
        const page = await site.newPage();
        await page.goto(blog.url);
        const frame = page.frameLocator('iframe');
        await frame.locator('pool-playground[data-state]').waitFor();
        const inner = page.frames().find((f) => f.url().startsWith(`${site.url}embed.html`));
        await settled(inner);
        assert.equal(await inner.evaluate(() => crossOriginIsolated), isolated);
        assert.equal(await frame.locator('pool-playground').getAttribute('data-mode'), isolated ? 'threads' : 'recording');
        if (isolated) {
          const report = await inner.evaluate(() => document.querySelector('pool-playground').run());
          assert.equal(report.config.workers, 2);
          assert.equal(report.outcome, 'completed');
        }
        assert.deepEqual(site.consoleErrors, []);
      } finally {
        await blog.close();
      }
    }
  });

  test('the drop-in service worker makes a plain static host isolated, and then it runs live', async () => {
    const blog = await serveBlog(site.url, { isolated: false, head: '<script src="poolplay-coi.js"></script>' });
    try {
      const page = await site.newPage();
      await page.goto(blog.url);
      // The first load registers the worker and reloads; the second comes through it.
      const deadline = Date.now() + HANG_GUARD_MS;
      let state = null;
      while (Date.now() < deadline) {
        state = await page
          .evaluate(() => ({ isolated: crossOriginIsolated, mode: document.querySelector('pool-playground')?.dataset.mode }))
          .catch(() => null); // the reload may be under way
        if (state?.isolated && state.mode === 'threads') break;
        await new Promise((wait) => setTimeout(wait, 200));
      }
      assert.deepEqual(state, { isolated: true, mode: 'threads' });
      const report = await page.evaluate(() => document.querySelector('pool-playground').run());
      assert.equal(report.outcome, 'deadlock');
      assert.equal(report.recorded, undefined);
      assert.deepEqual(site.consoleErrors, []);
    } finally {
      await blog.close();
    }
  });
});

describe('embed.html: the iframe form, and its address as its state', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('script in a URL parameter is reported as text and never runs or enters the page', async () => {
    const page = await site.newPage();
    const hostile = new URLSearchParams([
      ['scenario', 'basic'],
      ['workers', '"><img src=x onerror="window.__pwned=1">'],
      ['jobs-buffer', '<script>window.__pwned=2</script>'],
      ['onclick', 'window.__pwned=3'],
      ['<svg onload=window.__pwned=4>', '1'],
      ['results-buffer', '2'],
      ['cancel-after-ms', 'soon'],
    ]);
    await page.goto(`${site.url}embed.html?${hostile}`);
    await settled(page);
    const element = page.locator('pool-playground');
    await element.click(); // an onclick attribute, had one been made, would fire now
    // In the words of the knobs' labels, as the playground flags them.
    const problems = await element.locator('.embed-problems li').allTextContents();
    assert.deepEqual(problems, [
      '“onclick” is not a setting (ignored)',
      '“<svg onload=window.__pwned=4>” is not a setting (ignored)',
      'Workers must be a whole number from 1 to 16, but got "\\"><img src=x onerror=\\"wi"… (ignored)',
      'Jobs buffer must be a whole number from 0 to 100, but got "<script>window.__pwned=2"… (ignored)',
      'Cancel after (ms) must be a whole number from 0 to 60000, but got "soon" (ignored)',
    ]);
    const found = await page.evaluate(() => {
      const host = document.querySelector('pool-playground');
      const everywhere = [...document.querySelectorAll('*'), ...host.shadowRoot.querySelectorAll('*')];
      return {
        pwned: window.__pwned ?? null,
        // No image or script came in, and no element carries the payload in any attribute.
        injected: everywhere.filter(
          (el) =>
            (['IMG', 'SCRIPT'].includes(el.tagName) && !el.closest('head')) ||
            [...el.attributes].some((a) => a.value.includes('__pwned')),
        ).length,
        handlers: everywhere.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on') && a.name !== 'onsubmit')).length,
        attributes: host.getAttributeNames().filter((name) => !name.startsWith('data-')),
      };
    });
    assert.deepEqual(found, { pwned: null, injected: 0, handlers: 0, attributes: [] });
    // The good setting still applied, and the address now holds only what applied.
    const report = await page.evaluate(() => document.querySelector('pool-playground').run());
    assert.equal(report.config.resultsBuffer, 2);
    assert.equal(report.config.workers, 3);
    assert.equal(new URL(page.url()).search, '?scenario=basic&results-buffer=2');
    await screenshot(page, 'embed-hostile-url');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('"share this run" gives a link that reproduces the setup', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}embed.html?scenario=ordering`);
    await settled(page);
    const element = page.locator('pool-playground');
    await element.locator('input[name=workers]').fill('5');
    await element.locator('input[name=jobsBuffer]').fill('1');
    await element.locator('.more summary').click();
    await element.locator('input[name=ordered]').check();
    await element.locator('button.share').click();
    const link = await element.locator('.share-link').inputValue();
    const url = new URL(link);
    assert.equal(url.pathname, '/embed.html');
    assert.deepEqual(Object.fromEntries(url.searchParams), { scenario: 'ordering', workers: '5', 'jobs-buffer': '1', ordered: 'true' });
    assert.equal(page.url(), link, 'the address bar holds the same link');

    const other = await site.newPage();
    await other.goto(link);
    await settled(other);
    const report = await other.evaluate(() => document.querySelector('pool-playground').run());
    assert.equal(report.config.scenario, 'ordering');
    assert.equal(report.config.workers, 5);
    assert.equal(report.config.jobsBuffer, 1);
    assert.equal(report.config.ordered, true);
    assert.deepEqual(report.config.jobCostMs, [250, 400, 550, 100], 'the rest from the preset');
    assert.deepEqual(report.results.map((r) => r.job), Array.from({ length: 12 }, (_, i) => i + 1), 'ordered delivery');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('after a run the scrubber replays the trace step by step through the same picture', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}embed.html?scenario=basic&jobs=6&work-ms=60`);
    await settled(page);
    const element = page.locator('pool-playground');
    await element.locator('button.run').click();
    await element.locator('.verdict[data-outcome="completed"]').waitFor({ timeout: HANG_GUARD_MS });
    const report = await page.evaluate(() => document.querySelector('pool-playground').report);
    const shown = () => element.locator('.results li').count();
    assert.equal(await shown(), 6);
    const end = Math.max(report.stats.wallMs, report.events.at(-1).t);
    assert.equal(Number(await element.locator('.scrubber').getAttribute('data-time')), end, 'it starts at the end');

    await element.locator('.replay-start').click();
    assert.equal(Number(await element.locator('.scrubber').getAttribute('data-time')), 0);
    assert.equal(await shown(), 0);
    assert.equal(await element.locator('.verdict').isHidden(), true, 'no verdict before the end');
    // Step to the first result's arrival, one event time at a time.
    const firstArrival = report.events.find((e) => e.kind === 'received' && e.channel === 'results').t;
    const times = [...new Set(report.events.map((e) => e.t))];
    for (const t of times.filter((time) => time <= firstArrival)) {
      await element.locator('.replay-forward').click();
      assert.equal(Number(await element.locator('.scrubber').getAttribute('data-time')), t);
    }
    assert.equal(await shown(), 1);
    await element.locator('.replay-back').click();
    assert.equal(await shown(), 0);
    // Played at 10×, it reaches the end and shows the verdict again.
    await element.locator('.replay-speed select').selectOption('10');
    await element.locator('.replay-play').click();
    await element.locator('.verdict[data-outcome="completed"]').waitFor({ timeout: HANG_GUARD_MS });
    assert.equal(await shown(), 6);
    // Keyboard: the range moves with the arrow keys.
    await element.locator('.replay-time').focus();
    await page.keyboard.press('Home');
    assert.equal(Number(await element.locator('.scrubber').getAttribute('data-time')), 0);
    assert.deepEqual(site.consoleErrors, []);
  });

  test('"export trace" saves Chrome trace-event JSON with a lane per actor', async () => {
    const page = await site.newPage();
    await page.goto(`${site.url}embed.html?scenario=deadlock-no-close&workers=2`);
    await settled(page);
    const element = page.locator('pool-playground');
    await element.locator('button.run').click();
    await element.locator('.verdict[data-outcome="deadlock"]').waitFor({ timeout: HANG_GUARD_MS });
    const report = await page.evaluate(() => document.querySelector('pool-playground').report);
    const trace = await exportedTrace(page, element.locator('button.export'), 'poolplay-deadlock-no-close.trace.json');
    const lanes = new Map(trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.args.name, e.tid]));
    assert.deepEqual([...lanes.keys()], ['main', 'producer', 'worker 1', 'worker 2', 'closer', 'consumer']);
    assert.equal(new Set(lanes.values()).size, lanes.size, 'one tid per lane');
    // Each job is one complete event in the lane of the worker that ran it, in microseconds.
    const jobs = trace.traceEvents.filter((e) => e.cat === 'job');
    assert.equal(jobs.length, 8);
    for (const e of report.events.filter((x) => x.kind === 'started')) {
      const job = jobs.find((j) => j.args.job === e.job);
      assert.equal(job.tid, lanes.get(e.actor.replace('-', ' ')));
      assert.ok(Math.abs(job.ts - e.t * 1000) < 0.01);
    }
    // The waits the deadlock froze are marked, one per stuck actor; the jobs channel was never closed.
    const stuck = trace.traceEvents.filter((e) => e.cat === 'wait' && e.args.stuck);
    assert.deepEqual(stuck.map((e) => e.tid).sort(), report.blocked.map((b) => lanes.get(b.actor.replace('-', ' '))).sort());
    assert.equal(trace.traceEvents.some((e) => e.name === 'close jobs'), false);
    assert.ok(trace.traceEvents.some((e) => e.ph === 'i' && e.args?.outcome === 'deadlock'));
    assert.ok(trace.traceEvents.some((e) => e.ph === 'C' && e.name === 'results queue'));
    assert.deepEqual(site.consoleErrors, []);
  });

  test('the playground page exports its last run the same way', async () => {
    const page = await site.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
    const button = page.getByRole('button', { name: 'Export the last run’s trace' });
    assert.equal(await button.isDisabled(), true, 'nothing to export before a run');
    const report = await page.evaluate(() => window.poolplay.run({ workers: 2, jobs: 6, workMs: 10 }));
    const trace = await exportedTrace(page, button, 'poolplay-basic.trace.json');
    const jobs = trace.traceEvents.filter((e) => e.cat === 'job');
    assert.deepEqual(jobs.map((e) => e.args.job).sort((a, b) => a - b), report.results.map((r) => r.job).sort((a, b) => a - b));
    assert.deepEqual(site.consoleErrors, []);
  });
});
