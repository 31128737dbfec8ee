// Tile mode: one image cut into square tiles, each tile a job. The preview fills in as tiles come
// back, and the overlay shows who did each one and in what order they finished.

import { createKnobGroup } from './image-knobs.js';
import { createFilePicker } from './files.js';
import { submitImageRun } from './image-run.js';
import { createRunControls } from './run-controls.js';
import { createTileMap } from './view/tilemap.js';
import { createWorkerTally } from './view/tally.js';

const TEMPLATE = `
  <form class="controls image-controls" onsubmit="return false">
    <label class="tile-image"><span>Image</span><select name="tileImage"></select></label>
    <div class="knobs"></div>
    <div class="image-buttons">
      <button type="button" class="run">Run tiles</button>
      <button type="button" class="cancel" disabled>Cancel</button>
    </div>
  </form>
  <div class="files"></div>
  <p class="image-message" role="alert" hidden></p>
  <p class="tile-status" aria-live="polite">Press Run tiles: every tile is one job for the pool.</p>
  <label class="overlay-toggle"><input type="checkbox" checked> Colour each tile by its worker and number it in order of completion</label>
  <ul class="worker-tally"></ul>
  <div class="tile-map-view"></div>`;

/** The value of the image choice that means the reader's file. */
const OWN_FILE = 'file';

/**
 * Builds the tile widget in `root`, driven by `client`. Returns `{ run(config, files?),
 * setSamples(list), setAvailable(flag) }`; `onReport(report)` hears every finished run.
 */
export function createTileWidget(root, client, { onReport }) {
  root.classList.add('image-tiles');
  root.innerHTML = TEMPLATE;
  const $ = (selector) => root.querySelector(selector);
  const choice = $('select[name=tileImage]');
  const knobs = createKnobGroup($('.knobs'), client.fields, ['tileSize', 'tileOp', 'workers', 'targetWidth', 'fetchMs'], {
    targetWidth: { label: 'Preview width (px)', value: 640 },
    fetchMs: { label: 'Wait per tile (ms)' },
  });
  const file = createFilePicker($('.files'), {
    single: true,
    onChange(files) {
      const own = choice.querySelector(`option[value=${OWN_FILE}]`);
      own.disabled = files.length === 0;
      own.textContent = files.length ? `your file: ${files[0].name}` : 'your file (choose one below)';
      choice.value = files.length ? OWN_FILE : choice.value === OWN_FILE ? '1920x1080' : choice.value;
    },
  });
  const map = createTileMap($('.tile-map-view'));
  const tally = createWorkerTally($('.worker-tally'), 'tile');
  const message = $('.image-message');
  const status = $('.tile-status');
  const runButton = $('.run');
  const cancelButton = $('.cancel');
  $('.overlay-toggle input').addEventListener('change', (event) => map.setOverlay(event.target.checked));

  function setSamples(list) {
    const own = new Option('your file (choose one below)', OWN_FILE);
    own.disabled = file.files().length === 0;
    choice.replaceChildren(...list.map(({ width, height }) => new Option(`${width}×${height} sample`, `${width}x${height}`)), own);
    choice.value = '1920x1080';
  }

  async function fromPage() {
    const own = choice.value === OWN_FILE;
    const config = { example: 'image', mode: 'tiles', images: own ? [] : [choice.value], ...knobs.read() };
    return [config, own ? await file.read() : []];
  }

  async function perform(config, chosen) {
    let total = 0;
    let done = 0;
    const report = await submitImageRun(client, config, chosen, {
      onStarted(effective) {
        knobs.set(effective);
        total = effective.tiles.length;
        map.plan(effective);
        tally.reset(effective.workers);
        status.textContent = `${effective.image}: ${effective.columns} × ${effective.rows} tiles, 0 of ${total} done…`;
      },
      onWorking: (job, worker) => map.working(job, worker),
      onResults(results) {
        map.show(results);
        tally.add(results);
        done += results.length;
        status.textContent = `${done} of ${total} tiles done…`;
      },
    });
    map.show(report.results);
    tally.reset(report.config.workers);
    tally.add(report.results);
    const { config: ran, stats } = report;
    const failed = report.results.filter((r) => r.error !== undefined).length;
    status.textContent =
      `${ran.image} (${ran.width}×${ran.height}): ${report.results.length} ${report.results.length === 1 ? 'tile' : 'tiles'} of ${ran.tileSize} px` +
      `${failed ? `, ${failed} failed` : ''} · ${(stats.wallMs / 1000).toFixed(2)} s with ${ran.workers} ` +
      `${ran.workers === 1 ? 'worker' : 'workers'}` +
      (report.outcome === 'completed' ? '' : ` · ${report.message ?? report.outcome}`);
    onReport(report);
    return report;
  }

  const controls = createRunControls({
    runButton,
    cancelButton,
    message,
    status,
    client,
    notStarted: 'The tiles did not start.',
    fromPage,
    perform,
  });

  return { run: controls.run, setSamples, setAvailable: controls.setAvailable };
}
