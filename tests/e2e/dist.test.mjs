// Shipping: the first load fetches only the core module; dist/ (./build.sh dist) works on a static
// host that sends no isolation headers (the pages' service worker isolates them, with one reload),
// on a host that reads _headers, embedded from another origin, and in a browser without shared
// memory (the recordings play, with a plain explanation).

import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openSite, screenshot } from '../../tools/browser.mjs';
import { startServer } from '../../tools/serve.mjs';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const DIST = join(REPO, 'dist');

/** The most gzipped wasm the first load may fetch. */
const FIRST_LOAD_GZIP_BYTES = 150 * 1024;

/** Opens `url` in a new page, recording every request and main-frame navigation. */
async function visit(site, url, { init } = {}) {
  const page = await site.newPage();
  const requests = [];
  const loads = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('framenavigated', (frame) => frame === page.mainFrame() && loads.push(frame.url()));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { page, requests, loads };
}

/** Waits until the playground says whether it has threads; returns `data-poolplay`. */
async function settled(page) {
  await page.waitForFunction(() => ['ready', 'unavailable'].includes(document.documentElement.dataset.poolplay), null, {
    timeout: HANG_GUARD_MS,
  });
  return page.evaluate(() => document.documentElement.dataset.poolplay);
}

/** Runs a small pool through the scripting contract and checks every job came back doubled. */
async function runPool(page) {
  const report = await page.evaluate(() => window.poolplay.run({ workers: 4, jobs: 24, workMs: 5 }));
  assert.equal(report.outcome, 'completed');
  assert.deepEqual(
    report.results.map((r) => r.job).sort((a, b) => a - b),
    Array.from({ length: 24 }, (_, i) => i + 1),
  );
  assert.ok(report.results.every((r) => r.value === r.job * 2));
  assert.equal(new Set(report.results.map((r) => r.worker)).size > 1, true, 'more than one worker took jobs');
}

describe('the first load', () => {
  let site;
  before(async () => {
    site = await openSite();
  });
  after(async () => {
    await site?.close();
  });

  test('fetches the core module only, at most 150 KB gzipped; the image example fetches its own', async () => {
    const core = await readFile(join(REPO, 'pkg', 'poolplay_bg.wasm'));
    const gzipped = gzipSync(core, { level: 9 }).length;
    assert.ok(gzipped <= FIRST_LOAD_GZIP_BYTES, `the core module is ${gzipped} bytes gzipped`);

    const { page, requests } = await visit(site, site.url);
    assert.equal(await settled(page), 'ready');
    // Ready comes before the pool's workers have all started: a run asked for now waits for them,
    // and a cancel still reaches it (whether it is waiting or already running).
    const early = await page.evaluate(async () => {
      const run = window.poolplay.run({ workers: 16, jobs: 200, workMs: 2000 });
      await new Promise((resolve) => setTimeout(resolve, 0)); // the request is on its way
      window.poolplay.cancel();
      const { outcome, config } = await run;
      return { outcome, workers: config.workers };
    });
    assert.deepEqual(early, { outcome: 'cancelled', workers: 16 });
    await runPool(page);
    const wasm = () => requests.filter((url) => url.endsWith('.wasm')).map((url) => new URL(url).pathname);
    assert.deepEqual(wasm(), ['/pkg/poolplay_bg.wasm']);
    assert.equal(requests.some((url) => url.includes('poolplay_imaging')), false);

    await page.getByRole('button', { name: 'Resizing images' }).click();
    const report = await page.evaluate(() =>
      window.poolplay.run({ example: 'image', images: ['640x480', '800x600', '5000x3000'], workers: 2, targetWidth: 64 }),
    );
    assert.equal(report.outcome, 'completed');
    assert.equal(report.results.length, 3);
    assert.deepEqual(
      report.results.map((r) => r.error ?? 'ok').sort(),
      ['image too large: max width is 4000px', 'ok', 'ok'],
    );
    assert.ok(wasm().includes('/pkg/poolplay_imaging_bg.wasm'), 'the image module loads when its example opens');
    // The doubling example still runs, now on the image module's pool.
    await page.getByRole('button', { name: 'Doubling numbers' }).click();
    await runPool(page);
    assert.equal(await page.evaluate(() => window.poolplay.threads), 20);
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('dist/ on a static host that sends no isolation headers (GitHub Pages)', () => {
  let site;
  let host; // the host's root: dist/ is its sub-folder /poolplay/, as on a project's GitHub Pages
  let url; // the site's address, in that sub-folder
  before(async () => {
    await access(join(DIST, 'index.html')).catch(() => {
      throw new Error('dist/ is missing: run ./build.sh dist first');
    });
    host = await mkdtemp(join(tmpdir(), 'poolplay-host-'));
    await symlink(DIST, join(host, 'poolplay'));
    site = await openSite({ server: { site: host, headers: 'plain' } });
    url = `${site.url}poolplay/`;
  });
  after(async () => {
    await site?.close();
    if (host) {
      await unlink(join(host, 'poolplay')); // the link only, never dist/ itself
      await rm(host, { recursive: true, force: true });
    }
  });

  test('the pages isolate themselves through the service worker, with one reload, and run a pool on threads', async () => {
    const { page, loads } = await visit(site, url);
    assert.equal(await settled(page), 'ready');
    assert.equal(loads.length, 2, `one reload: ${loads.join(', ')}`);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => window.poolplay.threads), 20);
    await runPool(page);
    // Later visits are isolated from the start: no more reloads.
    await page.reload();
    assert.equal(await settled(page), 'ready');
    assert.equal(loads.length, 3);
    await page.goto(`${url}tutorial.html`);
    await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'ready', null, {
      timeout: HANG_GUARD_MS,
    });
    assert.equal(loads.length, 4, 'the tutorial is under the same service worker');
    await screenshot(page, 'dist-tutorial');
    await page.goto(`${url}challenges.html#errors-count`);
    await page.waitForFunction(() => document.querySelector('#errors-count .challenge-host')?.dataset.state === 'ready', null, {
      timeout: HANG_GUARD_MS,
    });
    assert.equal(loads.length, 5, 'the challenges page is under the same service worker, and its challenges can run');
    assert.deepEqual(site.consoleErrors, []);
  });

  test('where no service worker can register, the page says so without reloading, and plays a recording', async () => {
    const context = await site.browser.newContext({ serviceWorkers: 'block' });
    context.setDefaultTimeout(HANG_GUARD_MS);
    try {
      const page = await context.newPage();
      let loads = 0;
      page.on('framenavigated', (frame) => frame === page.mainFrame() && loads++);
      await page.goto(url);
      assert.equal(await settled(page), 'unavailable');
      assert.equal(await page.locator('#isolation').isVisible(), true);
      await page.waitForFunction(() => document.querySelector('#recording')?.dataset.state === 'recording');
      assert.notEqual(await page.evaluate(() => document.documentElement.dataset.coi), 'reloading');
      assert.equal(loads, 1, 'no reload');
    } finally {
      await context.close();
    }
  });

  test('embedded from another origin it loads, and plays a recording where the post is not isolated', async () => {
    const root = await mkdtemp(join(tmpdir(), 'poolplay-post-'));
    await mkdir(join(root, 'www'));
    await writeFile(
      join(root, 'www', 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title><link rel="icon" href="data:,">
<script type="module" src="${url}js/embed.js"></script></head>
<body><h1>A post</h1><pool-playground scenario="deadlock-no-close"></pool-playground></body></html>`,
    );
    const blog = await startServer({ root, headers: 'plain' });
    try {
      const { page } = await visit(site, blog.url);
      await page.waitForFunction(() => document.querySelector('pool-playground')?.dataset.state === 'recording', null, {
        timeout: HANG_GUARD_MS,
      });
      const shown = await page.evaluate(() => {
        const element = document.querySelector('pool-playground');
        return { outcome: element.report?.outcome, events: element.report?.events.length, mode: element.dataset.mode };
      });
      assert.deepEqual({ ...shown, events: shown.events > 0 }, { outcome: 'deadlock', events: true, mode: 'recording' });
      await screenshot(page, 'dist-embed-other-origin');
    } finally {
      await blog.close();
      await rm(root, { recursive: true, force: true });
    }
    assert.deepEqual(site.consoleErrors, []);
  });

  test('a browser without shared memory gets a plain explanation and a recording on the playground', async () => {
    // WebKitGTK and others: the page is isolated, but workers cannot share memory.
    const { page } = await visit(site, url, { init: () => delete self.SharedArrayBuffer });
    assert.equal(await settled(page), 'unavailable');
    const notice = page.locator('#no-threads');
    assert.equal(await notice.isVisible(), true);
    assert.match(await notice.textContent(), /does not let Web Workers share memory/);
    assert.equal(await page.locator('#isolation').isHidden(), true);
    await page.waitForFunction(() => document.querySelector('#recording')?.dataset.state === 'recording', null, {
      timeout: HANG_GUARD_MS,
    });
    const recording = await page.evaluate(() => document.querySelector('#recording').dataset.mode);
    assert.equal(recording, 'recording');
    // The recording plays: the replay moves on from its start.
    await page.locator('#recording').scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => {
        const range = document.querySelector('#recording').shadowRoot.querySelector('.replay input[type=range]');
        return range && Number(range.value) > Number(range.min);
      },
      null,
      { timeout: HANG_GUARD_MS },
    );
    const rejection = await page.evaluate(() => window.poolplay.run().then(() => 'resolved', (e) => e.message));
    assert.match(rejection, /shared memory/);
    await screenshot(page, 'dist-no-shared-memory');
    assert.deepEqual(site.consoleErrors, []);
  });
});

describe('dist/ on a host that reads _headers (Netlify, Cloudflare Pages)', () => {
  let site;
  before(async () => {
    site = await openSite({ server: { site: DIST, headers: 'file' } });
  });
  after(async () => {
    await site?.close();
  });

  test('is isolated from the first load, with no reload, and runs a pool on threads', async () => {
    const { page, loads } = await visit(site, site.url);
    assert.equal(await settled(page), 'ready');
    assert.equal(loads.length, 1);
    const wasm = await page.evaluate(async () => (await fetch('pkg/poolplay_bg.wasm')).headers.get('content-type'));
    assert.equal(wasm, 'application/wasm');
    await runPool(page);
    assert.deepEqual(site.consoleErrors, []);
  });
});
