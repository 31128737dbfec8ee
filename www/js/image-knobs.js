// The image example's knobs, built from the core's table of the image example's fields
// (fieldSchema("image")): each knob as in the doubling playground's controls, with the same
// labels, ranges and defaults the core enforces. A widget names the fields it shows and may
// override a knob's label or starting value (a wider preview for tiles).

import { buildKnob, knobOf } from './controls.js';

/**
 * Builds the knobs named in `names` into `root` once `fields` (the client's promise of the core's
 * tables) resolves, with `overrides` of their labels or starting values. Returns `{ read(),
 * set(config), setDisabled(flag) }`: `read()` gives the config fields, `set()` moves the knobs to
 * a config that ran.
 */
export function createKnobGroup(root, fields, names, overrides = {}, onChange = () => {}) {
  let knobs = [];
  let disabled = false;
  fields.then((tables) => {
    if (!tables) return;
    const byName = new Map(tables.image.map((field) => [field.name, field]));
    knobs = names.map((name) => buildKnob({ ...knobOf(byName.get(name)), ...overrides[name] }, onChange));
    // Named apart from the doubling playground's inputs of the same fields.
    for (const { input, knob } of knobs) Object.assign(input, { name: `image-${knob.name}`, disabled });
    root.replaceChildren(...knobs.map(({ label }) => label));
  });
  return {
    read() {
      const config = {};
      for (const { knob, get } of knobs) config[knob.name] = get();
      return config;
    },
    set(config) {
      for (const { knob, put, show } of knobs) {
        if (config[knob.name] !== undefined) put(config[knob.name]);
        show();
      }
    },
    setDisabled(flag) {
      disabled = flag;
      for (const { input } of knobs) input.disabled = flag;
    },
  };
}
