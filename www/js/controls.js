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

/** Whether a number knob takes fractions (its step is not whole). */
const takesFractions = (knob) => !Number.isInteger(knob.step ?? 1);

/**
 * Reads a number knob's text: `{ value }` (absent for an optional knob left empty) or `{ problem }`
 * in the words of the knob's label. Nothing that is not a number in range is read as one.
 */
export function parseNumber(text, knob) {
  const { label, min, max, optional } = knob;
  const fractions = takesFractions(knob);
  const wanted = `${fractions ? 'a number' : 'a whole number'} from ${min} to ${max}`;
  const trimmed = String(text).trim();
  if (trimmed === '') return optional ? { value: undefined } : { problem: `${label}: enter ${wanted}` };
  const pattern = fractions ? /^\d+(\.\d+)?$|^\.\d+$/ : /^\d+$/;
  const n = Number(trimmed);
  if (!pattern.test(trimmed) || n < min || n > max) {
    return { problem: `${label}: “${trimmed.slice(0, 12)}” is not ${wanted}` };
  }
  return { value: n };
}

let knobIds = 0; // makes each knob's message id unique on the page

/**
 * One knob: its row element, and how to read, write and show its value. `knob` is
 * `{ name, label, value, min?, max?, step?, type?, kind?: 'select' | 'check' | 'list', options?, optional?, placeholder? }`:
 * a number knob is a slider, or with `type: 'number'` a text field that is checked as it is typed.
 * A field whose text is not a value shows why beside it (`aria-invalid`, tied by
 * `aria-describedby`) until it is fixed. `onInput()` runs when the reader changes it.
 */
export function buildKnob(knob, onInput) {
  const label = document.createElement('label');
  const name = document.createElement('span');
  name.textContent = knob.label;
  const output = document.createElement('output');
  const error = document.createElement('small');
  error.className = 'knob-error';
  error.id = `knob-${knob.name}-${++knobIds}`;
  error.hidden = true;
  const typed = knob.type === 'number'; // a number typed as text, rather than a slider
  let input;
  if (knob.kind === 'select') {
    input = document.createElement('select');
    for (const [value, text] of knob.options) input.append(new Option(text, value));
  } else {
    input = document.createElement('input');
    if (knob.kind === 'check') input.type = 'checkbox';
    else if (knob.kind === 'list' || typed) {
      Object.assign(input, { type: 'text', inputMode: takesFractions(knob) ? 'decimal' : 'numeric', autocomplete: 'off', spellcheck: false });
    } else Object.assign(input, { type: 'range', min: knob.min, max: knob.max, step: knob.step });
    if (knob.placeholder) input.placeholder = knob.placeholder;
  }
  input.name = knob.name;

  /** `{ value }` (undefined: left out) or `{ problem }`. */
  const parse = () => {
    if (knob.kind === 'check') return { value: input.checked };
    if (knob.kind === 'select') return { value: input.value };
    if (knob.kind === 'list') {
      const { list, problem } = parseList(input.value, knob);
      return problem ? { problem } : { value: list };
    }
    return parseNumber(input.value, knob);
  };
  const put = (value) => {
    if (knob.kind === 'check') input.checked = Boolean(value);
    else if (Array.isArray(value)) input.value = value.join(', ');
    else input.value = value ?? '';
  };
  /** The value, or undefined when the knob is left out or its text is not a value. */
  const get = () => parse().value;
  const problem = () => parse().problem ?? null;
  const show = () => {
    const { value, problem: bad } = parse();
    input.setAttribute('aria-invalid', String(Boolean(bad)));
    error.hidden = !bad;
    error.textContent = bad ?? '';
    if (bad) input.setAttribute('aria-describedby', error.id);
    else input.removeAttribute('aria-describedby');
    label.classList.toggle('invalid', Boolean(bad));
    if (bad) output.textContent = 'invalid';
    else if (knob.kind === 'check') output.textContent = value ? 'yes' : 'no';
    else if (knob.kind === 'select') output.textContent = '';
    else if (knob.kind === 'list') output.textContent = value.length ? `${value.length} listed` : 'none';
    else if (value === undefined) output.textContent = knob.placeholder;
    else output.textContent = String(value);
    const text = knob.kind === 'check' ? String(input.checked) : input.value;
    label.classList.toggle('changed', text !== String(knob.value));
  };
  input.addEventListener(knob.kind === 'check' || knob.kind === 'select' ? 'change' : 'input', () => {
    show();
    onInput();
  });
  input.addEventListener('blur', show);
  put(knob.value);
  show();
  label.append(name, input, output, error);
  return { knob, label, input, get, parse, put, show, problem };
}

/**
 * Builds the controls in `root`; `onChange(config)` follows the knobs while every knob holds a
 * value (a field being fixed does not reach the picture). Returns `{ read, set, reset, problems,
 * openMore, setRunning }`.
 */
export function createControls(root, { onRun, onCancel, onChange }) {
  const knobs = new Map();
  const changed = () => {
    moreCount();
    if (problems().length === 0) onChange?.(read());
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

  /** The config the knobs describe; a knob whose text is not a value is left out (see `problems`). */
  function read() {
    const config = {};
    for (const [name, { knob, parse }] of knobs) {
      const { value } = parse();
      if (value === undefined) continue;
      if (knob.kind === 'list' && name !== 'failJobs' && value.length === 0) continue;
      config[name] = value;
    }
    return config;
  }

  /** Plain-words problems, in the labels' words, that stop a run from the page. */
  function problems() {
    return [...knobs.values()].map(({ problem }) => problem()).filter(Boolean);
  }

  return {
    read,
    problems,
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
    },
    /** Puts every knob back to the basic pool. */
    reset() {
      for (const { knob, put, show } of knobs.values()) {
        put(knob.value);
        show();
      }
      moreCount();
    },
    /** Opens the "more" group when any of its knobs differs from the basic pool. */
    openMore() {
      if (grouped.some(({ name }) => knobs.get(name).label.classList.contains('changed'))) more.open = true;
    },
    /**
     * Enables Run or Cancel. The one pressed keeps the keyboard: focus moves to the other rather
     * than falling to the page when its button is disabled.
     */
    setRunning(running, available = true) {
      const focused = root.getRootNode().activeElement;
      run.disabled = running || !available;
      cancel.disabled = !running;
      if (focused === run && run.disabled && !cancel.disabled) cancel.focus();
      if (focused === cancel && cancel.disabled && !run.disabled) run.focus();
    },
  };
}
