// The image example: three views of one pool doing real pixel work, as tabs. A batch of images
// (thumbnails framed by worker), one image in tiles (the order of completion on a picture), and a
// sweep over worker counts (speedup against cores). Self-contained: give it an element and a
// PoolClient.

import { createBatchWidget } from './image-batch.js';
import { createTileWidget } from './image-tiles.js';
import { createSweepWidget } from './image-sweep.js';

const MODES = [
  ['batch', 'A batch of images'],
  ['tiles', 'One image in tiles'],
  ['sweep', 'How many workers?'],
];

/**
 * Mounts the image example in `root`, driven by `client`. Returns `{ open(), run(config), disable(reason) }`:
 * `run` takes an image config (`example: "image"`) and shows it in its mode's view. Every
 * finished batch or tile run is announced on `root` as a `poolplay-report` event.
 */
export function mountImageExample(root, client) {
  root.classList.add('image-example');
  const tabs = document.createElement('div');
  tabs.className = 'mode-tabs';
  tabs.setAttribute('role', 'group');
  tabs.setAttribute('aria-label', 'Image example views');
  const views = new Map(
    MODES.map(([mode]) => {
      const view = document.createElement('section');
      view.className = `mode-view mode-${mode}`;
      view.dataset.mode = mode;
      return [mode, view];
    }),
  );
  const buttons = new Map(
    MODES.map(([mode, label]) => {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: label });
      button.dataset.mode = mode;
      button.addEventListener('click', () => show(mode));
      return [mode, button];
    }),
  );
  tabs.append(...buttons.values());
  root.replaceChildren(tabs, ...views.values());

  const announce = (report) => root.dispatchEvent(new CustomEvent('poolplay-report', { detail: report }));
  const batch = createBatchWidget(views.get('batch'), client, { onReport: announce });
  const tiles = createTileWidget(views.get('tiles'), client, { onReport: announce });
  const sweep = createSweepWidget(views.get('sweep'), client);

  function show(mode) {
    for (const [name, view] of views) view.hidden = name !== mode;
    for (const [name, button] of buttons) button.setAttribute('aria-pressed', String(name === mode));
  }
  show('batch');

  let opened = null;

  return {
    /** Loads the image module (once; the first page load does without it) and fills in the samples. */
    open() {
      opened ??= client.loadImaging().then(
        ({ samples }) => {
          batch.setSamples(samples);
          tiles.setSamples(samples);
        },
        () => {},
      );
      return opened;
    },
    run(config) {
      this.open();
      const mode = config?.mode === 'tiles' ? 'tiles' : 'batch';
      show(mode);
      return (mode === 'tiles' ? tiles : batch).run(config);
    },
    /** Disables running, with the reason shown in the batch view. */
    disable(reason) {
      for (const widget of [batch, tiles, sweep]) widget.setAvailable(false);
      const message = views.get('batch').querySelector('.image-message');
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
