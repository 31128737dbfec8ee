// The knobs: each shows its current value; Run and Cancel. The five basic knobs stay in view; the
// scenario knobs, then the production patterns' (production-knobs.js), sit in a "more" group that
// opens when a preset changes one of them.

import { PRODUCTION_KNOBS } from './production-knobs.js';

/** The knobs of the doubling example, with the same ranges the core enforces. */
export const KNOBS = [
  { name: 'workers', label: 'Workers', min: 1, max: 16, step: 1, value: 3 },
  { name: 'jobsBuffer', label: 'Jobs buffer', min: 0, max: 100, step: 1, value: 4 },
  { name: 'resultsBuffer', label: 'Results buffer', min: 0, max: 100, step: 1, value: 4 },
  { name: 'jobs', label: 'Jobs', min: 1, max: 10000, step: 1, value: 12, type: 'number' },
  { name: 'workMs', label: 'Work per job (ms)', min: 0, max: 2000, step: 10, value: 200 },
];

/** The scenario knobs (README, "Scenarios: the rest of the config"). */
export const MORE_KNOBS = [
  { name: 'jobCostMs', label: 'Cost per job (ms), in turn', kind: 'list', min: 0, max: 2000, most: 100, value: '', placeholder: 'empty: work per job; e.g. 250, 400' },
  { name: 'consumerMs', label: 'Consumer pause per result (ms)', min: 0, max: 2000, step: 10, value: 0 },
  { name: 'closeJobs', label: 'Producer closes jobs', kind: 'check', value: true },
  {
    name: 'collect',
    label: 'Results are read',
    kind: 'select',
    value: 'concurrent',
    options: [
      ['concurrent', 'while workers run'],
      ['after-wait', 'after wg.Wait()'],
      ['after-send', 'by the producer, last'],
    ],
  },
  {
    name: 'mistake',
    label: 'Mistake to make',
    kind: 'select',
    value: 'none',
    options: [
      ['none', 'none'],
      ['close-jobs-twice', 'close jobs twice'],
      ['close-results-early', 'close results without waiting'],
      ['add-in-worker', 'wg.Add in the worker'],
    ],
  },
  { name: 'failRate', label: 'Chance a job fails', min: 0, max: 1, step: 0.05, value: 0 },
  { name: 'failJobs', label: 'Jobs that always fail', kind: 'list', min: 1, max: 10000, most: 10000, value: '', placeholder: 'e.g. 3, 7' },
  { name: 'seed', label: 'Seed for failures', min: 0, max: 4294967295, step: 1, value: 1, type: 'number' },
  { name: 'ordered', label: 'Deliver in job order', kind: 'check', value: false },
  { name: 'cancelAfterMs', label: 'Cancel after (ms)', min: 0, max: 60000, step: 100, value: '', type: 'number', optional: true, placeholder: 'never' },
  {
    name: 'shutdown',
    label: 'Shutdown on cancel',
    kind: 'select',
    value: 'graceful',
    options: [
      ['graceful', 'graceful: finish in flight'],
      ['drain', 'drain: finish queued too'],
      ['force', 'force: drain, then cancel'],
    ],
  },
  { name: 'shutdownTimeoutMs', label: 'Force after (ms)', min: 0, max: 10000, step: 100, value: 1000 },
];

/**
 * Parses a list knob ("250, 400 550") into whole numbers from `min` to `max`, at most `most` of
 * them. Returns `{ list }` or `{ problem }` in plain words; empty text is an empty list.
 */
export function parseList(text, { label, min, max, most }) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length > most) return { problem: `${label}: at most ${most} numbers, but got ${parts.length}` };
  const list = [];
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < min || n > max) {
      return { problem: `${label}: “${part.slice(0, 12)}” is not a whole number from ${min} to ${max}` };
    }
    list.push(n);
  }
  return { list };
}

/**
 * One knob: its row element, and how to read, write and show its value. `knob` is
 * `{ name, label, value, min?, max?, step?, type?, kind?: 'select' | 'check' | 'list', options?, optional?, placeholder? }`;
 * `onInput()` runs when the reader changes it.
 */
export function buildKnob(knob, onInput) {
  const label = document.createElement('label');
  const name = document.createElement('span');
  name.textContent = knob.label;
  const output = document.createElement('output');
  let input;
  if (knob.kind === 'select') {
    input = document.createElement('select');
    for (const [value, text] of knob.options) input.append(new Option(text, value));
  } else {
    input = document.createElement('input');
    if (knob.kind === 'check') input.type = 'checkbox';
    else if (knob.kind === 'list') Object.assign(input, { type: 'text', inputMode: 'numeric', autocomplete: 'off' });
    else Object.assign(input, { type: knob.type ?? 'range', min: knob.min, max: knob.max, step: knob.step });
    if (knob.placeholder) input.placeholder = knob.placeholder;
  }
  input.name = knob.name;

  const get = () => {
    if (knob.kind === 'check') return input.checked;
    if (knob.kind === 'select' || knob.kind === 'list') return input.value;
    return input.value === '' && knob.optional ? '' : input.value;
  };
  const put = (value) => {
    if (knob.kind === 'check') input.checked = Boolean(value);
    else if (Array.isArray(value)) input.value = value.join(', ');
    else input.value = value ?? '';
  };
  const problem = () => (knob.kind === 'list' ? parseList(input.value, knob).problem ?? null : null);
  const show = () => {
    const value = get();
    const bad = problem();
    input.setAttribute('aria-invalid', String(Boolean(bad)));
    if (knob.kind === 'check') output.textContent = value ? 'yes' : 'no';
    else if (knob.kind === 'select') output.textContent = '';
    else if (knob.kind === 'list') output.textContent = bad ? 'invalid' : value.trim() === '' ? 'none' : `${parseList(value, knob).list.length} listed`;
    else if (knob.optional && value === '') output.textContent = knob.placeholder;
    else output.textContent = value;
    label.classList.toggle('changed', String(value) !== String(knob.value));
  };
  input.addEventListener(knob.kind === 'check' || knob.kind === 'select' ? 'change' : 'input', () => {
    show();
    onInput();
  });
  put(knob.value);
  show();
  label.append(name, input, output);
  return { knob, label, input, get, put, show, problem };
}

/** Builds the controls in `root`; `onChange(config)` follows the knobs. Returns `{ read, set, reset, problems, openMore, setRunning }`. */
export function createControls(root, { onRun, onCancel, onChange }) {
  const knobs = new Map();
  const changed = () => {
    moreCount();
    reflect();
    onChange?.(read());
  };
  const grouped = [...MORE_KNOBS, ...PRODUCTION_KNOBS];
  for (const knob of [...KNOBS, ...grouped]) knobs.set(knob.name, buildKnob(knob, changed));

  const run = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Run', className: 'run' });
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel', disabled: true });
  run.addEventListener('click', onRun);
  cancel.addEventListener('click', onCancel);
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(run, cancel);

  const more = document.createElement('details');
  more.className = 'more';
  const moreTitle = document.createElement('summary');
  const moreGrid = document.createElement('div');
  moreGrid.className = 'more-knobs';
  const patterns = Object.assign(document.createElement('p'), { className: 'knob-group', textContent: 'Production patterns: service, retries, scaling, arrivals' });
  moreGrid.append(...MORE_KNOBS.map(({ name }) => knobs.get(name).label), patterns, ...PRODUCTION_KNOBS.map(({ name }) => knobs.get(name).label));
  more.append(moreTitle, moreGrid);
  root.replaceChildren(...KNOBS.map(({ name }) => knobs.get(name).label), buttons, more);

  function moreCount() {
    const count = grouped.filter(({ name }) => knobs.get(name).label.classList.contains('changed')).length;
    moreTitle.textContent = count ? `More knobs (${count} changed from the basic pool)` : 'More knobs: costs, closing, failures, order, cancel, service, retries, scaling';
  }
  moreCount();

  /** An autoscaling pool sizes itself between its bounds: the Workers knob then has no say. */
  function reflect() {
    const auto = knobs.get('pool')?.get() === 'autoscale';
    const { input, label } = knobs.get('workers');
    input.disabled = auto;
    label.classList.toggle('inapplicable', auto);
    label.title = auto ? 'An autoscaling pool sets its own size, between min and max workers.' : '';
  }

  /** The full config the knobs describe; a malformed list is left out (see `problems`). */
  function read() {
    const config = {};
    for (const [name, { knob, get, problem }] of knobs) {
      const value = get();
      if (knob.kind === 'check' || knob.kind === 'select') config[name] = value;
      else if (knob.kind === 'list') {
        if (problem()) continue;
        const { list } = parseList(value, knob);
        if (name === 'failJobs' || list.length) config[name] = list;
      } else if (!(knob.optional && value === '')) config[name] = Number(value);
    }
    return config;
  }

  return {
    read,
    /** Plain-words problems that stop a run from the page (malformed lists). */
    problems: () => [...knobs.values()].map(({ problem }) => problem()).filter(Boolean),
    /**
     * Moves the knobs to `config`. With `complete`, `config` describes a whole run (a preset over
     * the defaults, or the config that ran), so optional knobs it leaves out are cleared.
     */
    set(config, { complete = false } = {}) {
      for (const [name, { knob, put, show }] of knobs) {
        if (config[name] !== undefined && config[name] !== null) put(config[name]);
        else if (complete && (knob.optional || knob.kind === 'list')) put('');
        show();
      }
      moreCount();
      reflect();
    },
    /** Puts every knob back to the basic pool. */
    reset() {
      for (const { knob, put, show } of knobs.values()) {
        put(knob.value);
        show();
      }
      moreCount();
      reflect();
    },
    /** Opens the "more" group when any of its knobs differs from the basic pool. */
    openMore() {
      if (grouped.some(({ name }) => knobs.get(name).label.classList.contains('changed'))) more.open = true;
    },
    setRunning(running, available = true) {
      run.disabled = running || !available;
      cancel.disabled = !running;
    },
  };
}
