// The cross-browser subset in Firefox ESR, driven over W3C WebDriver (tools/webdriver.mjs): the
// playground on real threads from the UI and the scripting contract, the image module loaded when
// its example opens, dist/ isolating itself on a host without headers, and a page without
// isolation playing a recording.

import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../tools/serve.mjs';
import { openFirefox } from '../../tools/webdriver.mjs';

const DIST = resolve(fileURLToPath(import.meta.url), '../../../dist');

/** Waits until the playground says whether it has threads; resolves with `data-poolplay`. */
const settled = (firefox) =>
  firefox.waitFor(() => {
    const state = document.documentElement.dataset.poolplay;
    return ['ready', 'unavailable'].includes(state) && state;
  });

/** Runs a small pool through the scripting contract; checks every job came back doubled. */
async function runPool(firefox) {
  const report = await firefox.evaluate(() => window.poolplay.run({ workers: 4, jobs: 24, workMs: 5 }));
  assert.equal(report.outcome, 'completed');
  assert.deepEqual(
    report.results.map((r) => r.job).sort((a, b) => a - b),
    Array.from({ length: 24 }, (_, i) => i + 1),
  );
  assert.ok(report.results.every((r) => r.value === r.job * 2));
}

describe('Firefox', () => {
  let firefox;
  const servers = [];
  const serve = async (options) => {
    const server = await startServer(options);
    servers.push(server);
    return server.url;
  };
  before(async () => {
    firefox = await openFirefox();
  });
  after(async () => {
    await firefox?.close();
    for (const server of servers) await server.close();
  });

  test('runs the playground on real threads, from the UI and from a script, and the image example', async () => {
    await firefox.goto(await serve({ isolated: true }));
    assert.equal(await settled(firefox), 'ready');
    assert.deepEqual(await firefox.evaluate(() => [crossOriginIsolated, window.poolplay.threads]), [true, 20]);
    await runPool(firefox);
    await firefox.click('#playground button.run');
    await firefox.waitFor(() => document.querySelector('.summary dd')?.textContent === 'completed');
    const shown = await firefox.evaluate(() => document.querySelectorAll('.results li').length);
    assert.ok(shown > 0, 'the UI run lists its results');
    await firefox.screenshot('firefox-playground');

    await firefox.click('button[data-example="image"]');
    // Thumbnails are byte arrays, which WebDriver does not carry: the page sends back their sizes.
    const report = await firefox.evaluate(async () => {
      const { outcome, results } = await window.poolplay.run({
        example: 'image',
        images: ['640x480', '1200x800'],
        workers: 2,
        targetWidth: 64,
      });
      return { outcome, results: results.map((r) => ({ width: r.width, error: r.error ?? null, bytes: r.thumbnail?.length })) };
    });
    // Only the image module has the image example: the core would have refused this run.
    assert.equal(report.outcome, 'completed');
    assert.ok(report.results.every((r) => r.bytes > 0), 'every thumbnail was encoded');
    assert.deepEqual(
      report.results.map(({ width, error }) => ({ width, error })),
      [
        { width: 64, error: null },
        { width: 64, error: null },
      ],
    );
    await firefox.screenshot('firefox-image-example');
  });

  test('dist/ on a host without isolation headers isolates itself with one reload and runs a pool', async () => {
    await access(join(DIST, 'index.html')).catch(() => {
      throw new Error('dist/ is missing: run ./build.sh dist first');
    });
    const url = await serve({ site: DIST, headers: 'plain' });
    await firefox.goto(url);
    assert.equal(await settled(firefox), 'ready');
    assert.equal(await firefox.evaluate(() => crossOriginIsolated), true);
    assert.equal(await firefox.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'reload');
    await runPool(firefox);
    await firefox.screenshot('firefox-dist');
  });

  test('a page without isolation explains why and plays a recording', async () => {
    await firefox.goto(await serve({ isolated: false }));
    assert.equal(await settled(firefox), 'unavailable');
    const notice = await firefox.evaluate(() => {
      const isolation = document.querySelector('#isolation');
      return !isolation.hidden && isolation.textContent.includes('Cross-Origin-Embedder-Policy');
    });
    assert.equal(notice, true);
    await firefox.waitFor(() => document.querySelector('#recording')?.dataset.state === 'recording');
    const outcome = await firefox.evaluate(() => document.querySelector('#recording').dataset.mode);
    assert.equal(outcome, 'recording');
    await firefox.screenshot('firefox-not-isolated');
  });
});
