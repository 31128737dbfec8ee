// The image example end to end in headless Chromium: real pixels resized on real threads, through
// the scripting contract and through the page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANG_GUARD_MS, openPlayground, openSite, screenshot } from '../../tools/browser.mjs';

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
      [{ example: 'video' }, 'example must be one of "doubling", "image", "pipeline", but got "video"'],
    ];
    for (const [config, message] of cases) {
      const got = await page.evaluate((c) => window.poolplay.run(c).then(() => 'resolved', (e) => e.message), config);
      if (message instanceof RegExp) assert.match(got, message);
      else assert.equal(got, message);
    }
  });

  test('a batch from the page shows a thumbnail for every sample and the too-wide error on its card', async () => {
    await page.click('.example-switch button[data-example=image]');
    await page.click('.mode-tabs button[data-mode=batch]');
    await page.locator('.mode-batch input[name=image-workers]').fill('2');
    await page.locator('.mode-batch input[name=image-targetWidth]').fill('320');
    await page.click('.mode-batch details.image-more summary');
    await page.locator('.mode-batch input[name=image-fetchMs]').fill('150');
    await page.getByRole('button', { name: 'Run batch' }).click();
    // Mid-run: some cards are framed by the worker working on them, or filled in, others queued.
    await page.waitForFunction(() => {
      const states = [...document.querySelectorAll('.image-card')].map((card) => card.dataset.state);
      return states.length === 8 && states.includes('queued') && states.some((s) => s !== 'queued');
    });
    await page.waitForFunction(() => /resized/.test(document.querySelector('.batch-status').textContent), null, { timeout: HANG_GUARD_MS });
    assert.match(await page.locator('.batch-status').textContent(), /^8 images: 7 resized, 1 failed · [\d.]+ s with 2 workers/);
    const cards = await page.evaluate(async () => {
      const { workerColor } = await import('/js/view/palette.js');
      return [...document.querySelectorAll('.image-card')].map((card) => {
        const img = card.querySelector('.thumb img');
        return {
          name: card.querySelector('.card-name').textContent,
          state: card.dataset.state,
          framed: card.style.getPropertyValue('--accent') === workerColor(Number(card.dataset.worker)),
          worker: Number(card.dataset.worker),
          loaded: img ? img.complete && img.naturalWidth === 320 : false,
          sizes: card.querySelector('.card-sizes').textContent,
          error: card.querySelector('.card-error')?.textContent ?? null,
          stages: card.querySelector('.card-stages')?.textContent ?? '',
        };
      });
    });
    assert.deepEqual(
      cards.map((c) => c.name),
      SAMPLES.map(([w, h]) => `sample-${w}x${h}`),
      'one card per sample, in batch order',
    );
    for (const card of cards) {
      assert.ok(card.framed && card.worker >= 1 && card.worker <= 2, `${card.name} framed by worker ${card.worker}`);
      const wait = Number(/^wait ([\d.]+) /.exec(card.stages)?.[1]);
      assert.ok(wait >= 149, `${card.name} shows its stages, the 150 ms wait first: ${card.stages}`);
      if (card.name === 'sample-5000x3000') {
        assert.deepEqual([card.state, card.error, card.loaded], ['failed', TOO_WIDE, false]);
      } else {
        assert.deepEqual([card.state, card.error, card.loaded], ['done', null, true], card.name);
        assert.match(card.sizes, /^\d+×\d+ → 320×\d+$/);
      }
    }
    // The samples are near-grey pictures, the frames saturated worker colours: a frame's colour is
    // never the picture's. Saturation here is HSV's: how far a colour is from grey (0–1).
    const colours = await page.evaluate(() => {
      const saturation = ([r, g, b]) => (Math.max(r, g, b) ? (Math.max(r, g, b) - Math.min(r, g, b)) / Math.max(r, g, b) : 0);
      const probe = document.createElement('span');
      document.body.append(probe);
      const out = [...document.querySelectorAll('.image-card[data-state=done]')].map((card) => {
        const img = card.querySelector('.thumb img');
        const canvas = Object.assign(document.createElement('canvas'), { width: img.naturalWidth, height: img.naturalHeight });
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const pixels = [];
        for (let i = 0; i < data.length; i += 4) pixels.push(saturation([data[i], data[i + 1], data[i + 2]]));
        pixels.sort((a, b) => a - b);
        probe.style.color = card.style.getPropertyValue('--accent');
        const frame = getComputedStyle(probe).color.match(/\d+/g).slice(0, 3).map(Number);
        return { picture: pixels[Math.floor(pixels.length * 0.99)], frame: saturation(frame) };
      });
      probe.remove();
      return out;
    });
    assert.equal(colours.length, 7);
    for (const { picture, frame } of colours) {
      assert.ok(picture < 0.25, `a sample's colours stay near grey (99th percentile saturation ${picture.toFixed(2)})`);
      assert.ok(frame > 0.5, `its frame is a saturated worker colour (${frame.toFixed(2)})`);
    }
    await screenshot(page, 'image-batch');
  });

  test('a dropped file that is not an image fails on its card and the rest of the batch completes', async () => {
    const png = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(300, 200);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#1971c2';
      ctx.fillRect(0, 0, 300, 200);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      return [...new Uint8Array(await blob.arrayBuffer())];
    });
    await page.locator('.mode-batch input[name=image-fetchMs]').fill('0');
    for (const box of await page.locator('.sample-toggles input').all()) {
      if (!['640x480', '5000x3000'].includes(await box.inputValue())) await box.uncheck();
    }
    await page.locator('.mode-batch input[type=file]').setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    const dropped = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['a shopping list, not a picture'], 'notes.txt', { type: 'text/plain' }));
      return data;
    });
    await page.dispatchEvent('.mode-batch .drop-zone', 'drop', { dataTransfer: dropped });
    assert.deepEqual(
      await page.locator('.mode-batch .chosen-files li span').allTextContents(),
      [`blue.png · ${(png.length / 1024).toFixed(1)} KB`, 'notes.txt · 30 B'],
    );
    await page.getByRole('button', { name: 'Run batch' }).click();
    await page.waitForFunction(() => /^4 images/.test(document.querySelector('.batch-status').textContent), null, { timeout: HANG_GUARD_MS });
    assert.match(await page.locator('.batch-status').textContent(), /^4 images: 2 resized, 2 failed/);
    const outcome = Object.fromEntries(
      await page.evaluate(() =>
        [...document.querySelectorAll('.image-card')].map((card) => [
          card.querySelector('.card-name').textContent,
          card.querySelector('.card-error')?.textContent ?? card.querySelector('.card-sizes').textContent,
        ]),
      ),
    );
    assert.deepEqual(outcome, {
      'sample-640x480': '640×480 → 320×240',
      'sample-5000x3000': TOO_WIDE,
      'blue.png': '300×200 → 300×200',
      'notes.txt': 'not an image: the file is neither a JPEG nor a PNG',
    });
    await screenshot(page, 'image-batch-files');
  });

  test('tile mode draws the picture and numbers every tile in its worker\'s colour', async () => {
    await page.click('.mode-tabs button[data-mode=tiles]');
    await page.locator('.mode-tiles input[name=image-tileSize]').fill('256');
    await page.locator('.mode-tiles input[name=image-workers]').fill('3');
    const reported = page.evaluate(
      () =>
        new Promise((resolve) =>
          document.querySelector('#images').addEventListener(
            'poolplay-report',
            ({ detail }) =>
              resolve({
                places: detail.config.tiles,
                results: detail.results.map(({ tile, worker, arrival, error }) => ({ tile, worker, arrival, error })),
              }),
            { once: true },
          ),
        ),
    );
    await page.getByRole('button', { name: 'Run tiles' }).click();
    const { places, results } = await reported;
    assert.equal(results.length, 40, '1920×1080 in tiles of 256: 8 × 5');
    assert.deepEqual(results.map((r) => r.arrival).sort((a, b) => a - b), places.map((_, i) => i + 1));
    assert.ok(results.every((r) => r.error === undefined && r.worker >= 1 && r.worker <= 3));
    // The overlay is drawn on the next frame: wait for two, whatever they take.
    await page.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))));
    // Each tile's square in the overlay holds its worker's colour, opaque (the badge), and white
    // glyph pixels (its number), and no other worker's colour.
    const marks = await page.evaluate(
      async ({ places, results }) => {
        const { workerColor } = await import('/js/view/palette.js');
        const rgb = (css) => {
          const ctx = new OffscreenCanvas(1, 1).getContext('2d');
          ctx.fillStyle = css;
          ctx.fillRect(0, 0, 1, 1);
          return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
        };
        const colors = [1, 2, 3].map((k) => rgb(workerColor(k)));
        const overlay = document.querySelector('.tile-overlay');
        const scale = overlay.width / document.querySelector('.tile-picture').width;
        const ctx = overlay.getContext('2d');
        return results.map(({ tile, worker }) => {
          const t = places[tile - 1];
          const [x, y, w, h] = [t.outX, t.outY, t.outWidth, t.outHeight].map((v) => Math.round(v * scale));
          const { data } = ctx.getImageData(x, y, w, h);
          const count = Array(4).fill(0); // pixels of workers 1-3, and white ones
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] !== 255) continue;
            const k = colors.findIndex(([r, g, b]) => r === data[i] && g === data[i + 1] && b === data[i + 2]);
            if (k >= 0) count[k]++;
            else if (data[i] >= 235 && data[i + 1] >= 235 && data[i + 2] >= 235) count[3]++;
          }
          return { tile, worker, count };
        });
      },
      { places, results },
    );
    for (const { tile, worker, count } of marks) {
      assert.ok(count[worker - 1] > 20, `tile ${tile}: a badge in worker ${worker}'s colour (${count})`);
      assert.ok(count[3] > 0, `tile ${tile}: a number on it (${count})`);
      const others = count.slice(0, 3).filter((_, k) => k !== worker - 1);
      assert.deepEqual(others, [0, 0], `tile ${tile}: no other worker's colour`);
    }
    await screenshot(page, 'image-tiles');
  });

  test('the sizing sweep plots speedup against workers next to the ideal line and the cores', async () => {
    await page.click('.mode-tabs button[data-mode=sweep]');
    await page.locator('input[name=mostWorkers]').fill('3');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await page.waitForFunction(() => /^Best speedup/.test(document.querySelector('.sweep-status').textContent), null, {
      timeout: HANG_GUARD_MS,
    });
    const chart = await page.evaluate(() => {
      const points = (series) =>
        [...document.querySelectorAll(`.speedup-chart circle[data-series=${series}]`)].map((c) => Number(c.dataset.workers));
      return {
        cpu: points('cpu'),
        io: points('io'),
        lines: document.querySelectorAll('.speedup-chart polyline').length,
        ideal: document.querySelectorAll('.speedup-chart .ideal').length,
        cores: document.querySelector('.speedup-chart .cores-label')?.textContent,
        hardwareConcurrency: navigator.hardwareConcurrency,
        rows: [...document.querySelectorAll('.sweep-table tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent)),
      };
    });
    assert.deepEqual(chart.cpu, [1, 2, 3]);
    assert.deepEqual(chart.io, [1, 2, 3]);
    assert.equal(chart.lines, 2);
    assert.equal(chart.ideal, 1);
    assert.equal(chart.cores, `${chart.hardwareConcurrency} cores here`);
    assert.equal(chart.rows.length, 3);
    assert.deepEqual(chart.rows[0].slice(1).map((cell) => cell.split(' · ')[1]), ['1.00×', '1.00×']);
    for (const row of chart.rows) for (const cell of row.slice(1)) assert.match(cell, /^\d+\.\d\d s · \d+\.\d\d×$/);
    await screenshot(page, 'image-sweep');
  });

  test('on a 390 px wide screen nothing overflows sideways', async () => {
    const phone = await site.newPage({ width: 390, height: 844 });
    await phone.goto(`${site.url}#image`);
    await phone.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
    await phone.evaluate(() => window.poolplay.run({ example: 'image', images: 'samples', workers: 2 }));
    assert.equal(await phone.locator('.image-card img').count(), 7);
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(await overflow(), 0);
    await screenshot(phone, 'image-batch-phone');
    await phone.evaluate(() => window.poolplay.run({ example: 'image', mode: 'tiles', tileSize: 128, targetWidth: 480 }));
    assert.equal(await overflow(), 0);
    await screenshot(phone, 'image-tiles-phone');
    await phone.close();
  });

  test('nothing was logged to the console as an error', () => {
    assert.deepEqual(site.consoleErrors, []);
  });
});
