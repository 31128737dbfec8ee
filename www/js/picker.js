// The scenario picker: one toggle button per preset, and the chosen scenario's explanation.

import { SCENARIOS, scenarioText, watchText } from './scenarios.js';

function paragraph(lead, text) {
  const p = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = `${lead} `;
  p.append(strong, text);
  return p;
}

/**
 * Builds the picker in `root`. `onPick(name, presetConfig)` runs when the reader picks a preset.
 * Returns `{ setPresets(list), setLocked(flag), select(name), current() }`; buttons stay disabled
 * until presets arrive, and while the picker is locked.
 */
export function createPicker(root, { onPick }) {
  root.classList.add('picker');
  const group = document.createElement('div');
  group.className = 'scenario-buttons';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Scenarios');
  const text = document.createElement('div');
  text.className = 'scenario-text';
  text.setAttribute('aria-live', 'polite');
  const lockNote = Object.assign(document.createElement('p'), {
    className: 'figure-note picker-lock',
    textContent: 'A run is going on: the scenarios can be picked again when it ends (or is cancelled).',
    hidden: true,
  });
  root.replaceChildren(group, lockNote, text);

  let presets = new Map();
  let chosen = 'basic';
  let locked = false;
  const enable = () => {
    for (const [name, button] of buttons) button.disabled = locked || !presets.has(name);
  };
  const buttons = new Map(
    SCENARIOS.map(({ name, label }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.dataset.scenario = name;
      button.disabled = true;
      button.addEventListener('click', () => {
        select(name);
        onPick(name, presets.get(name) ?? {});
      });
      group.append(button);
      return [name, button];
    }),
  );

  let setup = null; // the knobs' config: the words that name numbers say its numbers

  /** Shows `name` as chosen, with its explanation (does not touch the knobs). */
  function select(name) {
    chosen = buttons.has(name) ? name : 'basic';
    for (const [key, button] of buttons) button.setAttribute('aria-pressed', String(key === chosen));
    const s = scenarioText(chosen);
    const heading = document.createElement('h2');
    heading.textContent = s.title;
    const code = document.createElement('code');
    code.textContent = s.go;
    const fix = paragraph(s.fixLead ?? 'The fix:', s.fix);
    const line = document.createElement('p');
    line.className = 'go-line';
    line.append(code);
    text.replaceChildren(heading, paragraph('Watch:', watchText(s, setup)), paragraph('Why:', s.why), fix, line);
  }
  select(chosen);

  return {
    /** Enables the presets that the core offers (`[{ name, config }]`). */
    setPresets(list) {
      presets = new Map(list.map(({ name, config }) => [name, config]));
      enable();
    },
    /** While a run goes on the picker is locked, so a pick cannot mix a new setup into it. */
    setLocked(flag) {
      locked = flag;
      lockNote.hidden = !flag;
      enable();
    },
    select,
    /** Words follow the setup on show (`config`, from the knobs). */
    follow(config) {
      setup = config;
      select(chosen);
    },
    current: () => chosen,
  };
}
