// The image example's knobs, with the ranges and defaults src/imaging/config.rs enforces, and a
// small group that builds a set of them (each knob as in the doubling playground's controls).

import { buildKnob } from './controls.js';

/** Every knob the image example's widgets use, by config field. */
export const IMAGE_KNOBS = {
  workers: { name: 'workers', label: 'Workers', min: 1, max: 16, step: 1, value: 3 },
  targetWidth: { name: 'targetWidth', label: 'Thumbnail width (px)', min: 16, max: 1024, step: 8, value: 320 },
  format: {
    name: 'format',
    label: 'Encode as',
    kind: 'select',
    value: 'jpeg',
    options: [
      ['jpeg', 'JPEG'],
      ['png', 'PNG'],
    ],
  },
  quality: { name: 'quality', label: 'JPEG quality', min: 1, max: 100, step: 1, value: 85 },
  fetchMs: { name: 'fetchMs', label: 'Wait per image, like a download (ms)', min: 0, max: 2000, step: 10, value: 0 },
  maxMegapixels: { name: 'maxMegapixels', label: 'Pixel budget (megapixels)', min: 1, max: 12, step: 1, value: 12 },
  jobsBuffer: { name: 'jobsBuffer', label: 'Jobs buffer', min: 0, max: 100, step: 1, value: 4 },
  resultsBuffer: { name: 'resultsBuffer', label: 'Results buffer', min: 0, max: 100, step: 1, value: 4 },
  tileSize: { name: 'tileSize', label: 'Tile size (px)', min: 64, max: 1024, step: 16, value: 256 },
  tileOp: {
    name: 'tileOp',
    label: 'Each tile is',
    kind: 'select',
    value: 'blur',
    options: [
      ['blur', 'blurred and resized'],
      ['resize', 'only resized'],
    ],
  },
};

/**
 * Builds the knobs named in `names` into `root` (with `overrides` of their defaults, e.g. a wider
 * preview for tiles). Returns `{ read(), set(config), setDisabled(flag) }`: `read()` gives the
 * config fields, `set()` moves the knobs to a config that ran.
 */
export function createKnobGroup(root, names, overrides = {}, onChange = () => {}) {
  const knobs = names.map((name) => buildKnob({ ...IMAGE_KNOBS[name], ...overrides[name] }, onChange));
  // Named apart from the doubling playground's inputs of the same fields.
  for (const { input, knob } of knobs) input.name = `image-${knob.name}`;
  root.replaceChildren(...knobs.map(({ label }) => label));
  return {
    read() {
      const config = {};
      for (const { knob, get } of knobs) config[knob.name] = knob.kind === 'select' ? get() : Number(get());
      return config;
    },
    set(config) {
      for (const { knob, put, show } of knobs) {
        if (config[knob.name] !== undefined) put(config[knob.name]);
        show();
      }
    },
    setDisabled(disabled) {
      for (const { input } of knobs) input.disabled = disabled;
    },
  };
}
