// The image example end to end in headless Chromium: real pixels resized on real threads, through
// the scripting contract and through the page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPlayground, openSite } from '../../tools/browser.mjs';

/** The built-in samples, in batch order (src/imaging/samples.rs). */
const SAMPLES = [
  [800, 600],
  [1200, 800],
  [1920, 1080],
  [640, 480],
  [5000, 3000],
  [2560, 1440],
  [3840, 2160],
  [1024, 768],
];
const TOO_WIDE = 'image too large: max width is 4000px';

/** Runs `config` through window.poolplay.run and keeps the contract's fields of each result. */
function runImages(page, config) {
  return page.evaluate(async (c) => {
    const report = await window.poolplay.run(c);
    const fields = ['image', 'job', 'worker', 'width', 'height', 'bytesIn', 'bytesOut', 'ms', 'error', 'arrival'];
    return {
      ...report,
      results: report.results.map((r) => ({
        ...Object.fromEntries(fields.filter((f) => f in r).map((f) => [f, r[f]])),
        thumbnailBytes: r.thumbnail?.length ?? 0,
      })),
    };
  }, config);
}

describe('the image example', () => {
  let site;
  let page;
  before(async () => {
    site = await openSite();
    page = await openPlayground(site);
  });
  after(async () => {
    await site?.close();
  });

  test('window.poolplay.run resizes the samples, one result per image in arrival order', async () => {
    const report = await runImages(page, { example: 'image', images: 'samples', targetWidth: 200, workers: 3 });
    assert.equal(report.outcome, 'completed');
    assert.equal(report.results.length, SAMPLES.length);
    assert.deepEqual(
      report.results.map((r) => r.arrival),
      SAMPLES.map((_, i) => i + 1),
      'arrival order',
    );
    const byName = new Map(report.results.map((r) => [r.image, r]));
    for (const [w, h] of SAMPLES) {
      const r = byName.get(`sample-${w}x${h}`);
      assert.ok(r, `a result for ${w}x${h}`);
      assert.ok(Number.isInteger(r.worker) && r.worker >= 1 && r.worker <= 3, `worker ${r.worker}`);
      assert.equal(r.bytesIn, w * h * 3);
      assert.ok(r.ms >= 0);
      if (w > 4000) {
        assert.equal(r.error, TOO_WIDE);
        assert.deepEqual([r.width, r.height, r.bytesOut, r.thumbnailBytes], [0, 0, 0, 0]);
      } else {
        assert.equal(r.error, undefined);
        assert.deepEqual([r.width, r.height], [200, Math.round((h * 200) / w)]);
        assert.ok(r.bytesOut > 0 && r.bytesOut === r.thumbnailBytes);
      }
    }
    assert.equal(report.stats.succeeded, 7);
    assert.equal(report.stats.failed, 1);
    const started = report.events.filter((e) => e.kind === 'started').length;
    assert.equal(started, SAMPLES.length, 'events: every image started once');
    assert.equal(report.events.at(-1).kind, 'ended');
    const received = report.events.filter((e) => e.kind === 'received' && e.channel === 'results');
    assert.deepEqual(received.map((e) => e.job), report.results.map((r) => r.job), 'arrival order is the consumer\'s');
  });

  test('sizes can be strings, pairs or { width, height } objects', async () => {
    const report = await runImages(page, {
      example: 'image',
      images: ['640x480', [300, 400], { width: 160, height: 90 }],
      targetWidth: 80,
      workers: 2,
      format: 'png',
    });
    const sizes = Object.fromEntries(report.results.map((r) => [r.image, [r.width, r.height]]));
    assert.deepEqual(sizes, {
      'sample-640x480': [80, 60],
      'sample-300x400': [80, 107],
      'sample-160x90': [80, 45],
    });
  });

  test('bad image configs reject with the field and its range', async () => {
    const cases = [
      [{ example: 'image', targetWidth: 8 }, 'targetWidth must be a whole number from 16 to 1024, but got 8'],
      [{ example: 'image', workers: 0 }, 'workers must be a whole number from 1 to 16, but got 0'],
      [{ example: 'image', quality: 101 }, 'quality must be a whole number from 1 to 100, but got 101'],
      [{ example: 'image', images: [{ width: 10 }] }, /^images\[0\] must be a size such as .* but got an object$/],
      [{ example: 'video' }, 'example must be one of "doubling", "image", but got "video"'],
    ];
    for (const [config, message] of cases) {
      const got = await page.evaluate((c) => window.poolplay.run(c).then(() => 'resolved', (e) => e.message), config);
      if (message instanceof RegExp) assert.match(got, message);
      else assert.equal(got, message);
    }
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});
