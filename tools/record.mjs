// Records one real run of every preset, for embeds on pages without threads to replay.
//
// Serves the site cross-origin isolated, opens the playground in headless Chromium, and runs each
// preset that `window.poolplay.scenarios` lists through `window.poolplay.run` on real threads.
// Each report (config, events, results, stats) goes to www/recordings/<preset>.json, and
// www/recordings/index.json lists them with when and on how many threads they were recorded; the
// pipeline example's run with the core's defaults goes to pipeline.json (the index's `pipeline`).
// `./build.sh build` runs this after building pkg/, so the recordings always come from the
// module being shipped. By hand: `node tools/record.mjs` (needs pkg/).

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPlayground, openSite } from './browser.mjs';

const FOLDER = resolve(fileURLToPath(import.meta.url), '../../www/recordings');

/** Records every preset; resolves with the index it wrote. */
export async function recordAll() {
  const site = await openSite();
  try {
    const page = await openPlayground(site);
    const { threads, names, userAgent } = await page.evaluate(() => ({
      threads: window.poolplay.threads,
      names: window.poolplay.scenarios.map(({ name }) => name),
      userAgent: navigator.userAgent,
    }));
    if (!threads) throw new Error('the playground has no threads; nothing real to record');
    await rm(FOLDER, { recursive: true, force: true });
    await mkdir(FOLDER, { recursive: true });
    const recordedAt = new Date().toISOString();
    const recordings = [];
    for (const name of names) {
      const report = await page.evaluate((scenario) => window.poolplay.run({ scenario }), name);
      const recording = { ...report, recorded: { at: recordedAt, poolThreads: threads, userAgent } };
      await writeFile(join(FOLDER, `${name}.json`), JSON.stringify(recording));
      recordings.push({ name, outcome: report.outcome, wallMs: report.stats.wallMs, events: report.events.length });
    }
    // The pipeline example's run with the core's defaults, for its embed on a page without threads
    // (apart from the presets: it is not one, and its picture is the pipeline's own).
    const piped = await page.evaluate(() => window.poolplay.run({ example: 'pipeline' }));
    await writeFile(join(FOLDER, 'pipeline.json'), JSON.stringify({ ...piped, recorded: { at: recordedAt, poolThreads: threads, userAgent } }));
    const pipeline = { outcome: piped.outcome, wallMs: piped.stats.wallMs, events: piped.events.length };
    if (site.consoleErrors.length) throw new Error(`the page logged errors: ${site.consoleErrors.join('; ')}`);
    const index = { recordedAt, poolThreads: threads, userAgent, recordings, pipeline };
    await writeFile(join(FOLDER, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
    return index;
  } finally {
    await site.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = await recordAll();
  for (const { name, outcome, wallMs, events } of [...index.recordings, { name: 'the pipeline', ...index.pipeline }]) {
    console.log(`recorded ${name}: ${outcome}, ${wallMs.toFixed(0)} ms, ${events} events`);
  }
}
