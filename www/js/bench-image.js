// The image batch benchmark, in the browser: the built-in samples several times over, resized to
// JPEG thumbnails through startRun as the page runs them, with 1 worker and with 2. Rounds
// alternate between the two counts, so a change in the machine's load hits both alike.

/** Source megapixels of the images that became thumbnails. */
function megapixels(results) {
  const pixels = results
    .filter((r) => r.error === undefined)
    .reduce((sum, r) => sum + r.sourceWidth * r.sourceHeight, 0);
  return pixels / 1e6;
}

/**
 * Runs the benchmark on `client`: the samples `repeats` times over, `targetWidth` wide, best of
 * `rounds` per worker count. Resolves with `{ images, megapixels, targetWidth, oneWorker,
 * twoWorkers, speedup }` (megapixels per second), the shape of `examples/image_bench.rs`'s line.
 */
export async function imageBenchmark(client, { repeats, targetWidth, rounds }) {
  const { samples } = await client.loadImaging();
  const images = Array.from({ length: repeats }, () => samples.map(({ width, height }) => `${width}x${height}`)).flat();
  const best = { 1: 0, 2: 0 };
  let batchMegapixels = 0;
  for (let round = 0; round < rounds; round++) {
    for (const workers of [1, 2]) {
      const config = { example: 'image', images, targetWidth, workers };
      const report = await client.submit({ type: 'run', config, files: [] });
      if (report.outcome !== 'completed' || report.results.length !== images.length) {
        throw new Error(`image benchmark run ended ${report.outcome} with ${report.results.length} results`);
      }
      batchMegapixels = megapixels(report.results);
      best[workers] = Math.max(best[workers], (batchMegapixels / report.stats.wallMs) * 1000);
    }
  }
  const round1 = (x) => Math.round(x * 10) / 10;
  return {
    images: images.length,
    megapixels: round1(batchMegapixels),
    targetWidth,
    oneWorker: round1(best[1]),
    twoWorkers: round1(best[2]),
    speedup: Math.round((best[2] / best[1]) * 100) / 100,
  };
}
