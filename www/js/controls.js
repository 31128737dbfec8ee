// The knobs, built from the core's table of fields (fieldSchema(), README "Scripting contract"):
// each field's label, range, step, default and placeholder come from there, and the core judges
// every value (checkFields), so a new field needs no edit here. The basic group stays in view;
// the scenario group, then the production patterns' groups, sit in a "more" group that opens when
// a preset changes one of them. Run and Cancel sit between.

/** A number field spanning more steps than this is typed as text rather than slid. */
const SLIDER_STEPS = 200;
const MORE_GROUPS = ['scenario'];
const PATTERN_GROUPS = ['service', 'retry', 'scaling', 'arrivals'];
const NUMBER = /^-?\d+(\.\d+)?$|^-?\.\d+$/;

/**
 * A knob for one field of the core's table (`{ name, label, help, kind, min, max, step, most,
 * default, optional, placeholder, choices }`): a slider for a short range, a text field for a long
 * one or an optional number, a checkbox, a menu, or a list typed as text.
 */
export function knobOf(field) {
  const numeric = field.kind === 'whole' || field.kind === 'fraction';
  const typed = numeric && (field.optional || (field.max - field.min) / field.step > SLIDER_STEPS);
  const value = Array.isArray(field.default) ? field.default.join(', ') : (field.default ?? '');
  return { ...field, typed, value };
}

/** A number's text as a config value: a number when it reads as one, else the text for the core to judge. */
const typedValue = (text) => (NUMBER.test(text) ? Number(text) : text);

let knobIds = 0; // makes each knob's message id unique on the page

/**
 * One knob: its row element, and how to read, write and show its value. `knob` is a field of the
 * core's table through `knobOf` (a number knob without `kind` is a whole number; `typed` makes it
 * a text field). `setProblem(message)` flags it (`aria-invalid`, the message under it tied by
 * `aria-describedby`) until it is cleared. `onInput()` runs when the reader changes it.
 */
export function buildKnob(knob, onInput) {
  const kind = knob.kind ?? 'whole';
  const label = document.createElement('label');
  const name = document.createElement('span');
  name.textContent = knob.label;
  if (knob.help) label.title = knob.help;
  const output = document.createElement('output');
  const error = document.createElement('small');
  error.className = 'knob-error';
  error.id = `knob-${knob.name}-${++knobIds}`;
  error.hidden = true;
  let input;
  if (kind === 'choice') {
    input = document.createElement('select');
    for (const { value, label: words } of knob.choices) input.append(new Option(words, value));
  } else {
    input = document.createElement('input');
    if (kind === 'flag') input.type = 'checkbox';
    else if (kind === 'wholes' || knob.typed) {
      Object.assign(input, { type: 'text', inputMode: kind === 'fraction' ? 'decimal' : 'numeric', autocomplete: 'off', spellcheck: false });
    } else Object.assign(input, { type: 'range', min: knob.min, max: knob.max, step: knob.step });
    if (knob.placeholder) input.placeholder = knob.placeholder;
  }
  input.name = knob.name;
  let problem = null;

  /**
   * The value for a config: a number, flag, choice or list of numbers; the reader's text where
   * it does not read as one (the core then says why); undefined for an optional field left empty.
   */
  const get = () => {
    if (kind === 'flag') return input.checked;
    if (kind === 'choice') return input.value;
    const text = input.value.trim();
    if (kind === 'wholes') return text.split(/[\s,;]+/).filter(Boolean).map(typedValue);
    if (text === '' && knob.optional) return undefined;
    return typedValue(text);
  };
  /** Puts `value` in the field; returns whether that changed what the field holds. */
  const put = (value) => {
    const before = kind === 'flag' ? input.checked : input.value;
    if (kind === 'flag') input.checked = Boolean(value);
    else if (Array.isArray(value)) input.value = value.join(', ');
    else input.value = value ?? '';
    return (kind === 'flag' ? input.checked : input.value) !== before;
  };
  const show = () => {
    const value = get();
    input.setAttribute('aria-invalid', String(Boolean(problem)));
    error.hidden = !problem;
    error.textContent = problem ?? '';
    if (problem) input.setAttribute('aria-describedby', error.id);
    else input.removeAttribute('aria-describedby');
    label.classList.toggle('invalid', Boolean(problem));
    if (problem) output.textContent = 'invalid';
    else if (kind === 'flag') output.textContent = value ? 'yes' : 'no';
    // A menu and a typed number show their value themselves (an empty one, its placeholder).
    else if (kind === 'choice' || knob.typed) output.textContent = '';
    else if (kind === 'wholes') output.textContent = value.length ? `${value.length} listed` : 'none';
    else output.textContent = String(value);
    const text = kind === 'flag' ? String(input.checked) : input.value;
    label.classList.toggle('changed', text !== String(knob.value));
  };
  /** Flags the knob with the core's `message`, or clears it (null). */
  const setProblem = (message) => {
    problem = message;
    show();
  };
  input.addEventListener(kind === 'flag' || kind === 'choice' ? 'change' : 'input', () => {
    show();
    onInput();
  });
  input.addEventListener('blur', () => onInput());
  put(knob.value);
  show();
  label.append(name, input, output, error);
  return {
    knob,
    label,
    input,
    get,
    put,
    show,
    setProblem,
    /** The problem flagged on the knob, or null. */
    get problem() {
      return problem;
    },
  };
}

/**
 * Builds the controls in `root` from `fields` (the core's table for the doubling example).
 * `check(config)` asks the core for every problem (`[{ field, message }]`); `onChange(config)`
 * follows the knobs while the core finds none, so a field being fixed never reaches the picture.
 * Returns `{ read, validate, set, reset, openMore, setRunning }`.
 */
export function createControls(root, fields, { onRun, onCancel, onChange, check }) {
  const knobs = new Map();
  let asked = 0; // the latest check; older answers are dropped
  let problems = [];

  /** Asks the core about what the knobs say now, flags each problem at its field, returns them. */
  async function validate() {
    const config = read();
    const ticket = ++asked;
    const found = await check(config);
    if (ticket !== asked) return problems;
    problems = found;
    const byField = new Map();
    for (const { field, message } of found) if (!byField.has(field)) byField.set(field, message);
    for (const [name, knob] of knobs) knob.setProblem(byField.get(name) ?? null);
    return found;
  }

  const changed = () => {
    moreCount();
    reflect();
    validate().then(
      (found) => found.length === 0 && onChange?.(read()),
      () => {},
    );
  };
  const shown = fields.filter(({ group }) => group !== 'image');
  for (const field of shown) knobs.set(field.name, buildKnob(knobOf(field), changed));
  const rows = (groups) => shown.filter(({ group }) => groups.includes(group)).map(({ name }) => knobs.get(name).label);
  const grouped = shown.filter(({ group }) => group !== 'basic');

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
  moreGrid.append(...rows(MORE_GROUPS), patterns, ...rows(PATTERN_GROUPS));
  more.append(moreTitle, moreGrid);
  root.replaceChildren(...rows(['basic']), buttons, more);

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

  /** The config the knobs describe, as the reader wrote it (the core judges it: `validate`). */
  function read() {
    const config = {};
    for (const [name, { knob, get }] of knobs) {
      const value = get();
      if (value === undefined) continue;
      // An empty list is the default; only the failures' list is always written (it is a setting
      // of the scenarios that fail jobs).
      if (knob.kind === 'wholes' && value.length === 0 && name !== 'failJobs') continue;
      config[name] = value;
    }
    return config;
  }

  return {
    read,
    /** Resolves with every problem the core finds in the knobs, each flagged at its field. */
    validate,
    /**
     * Moves the knobs to `config`. With `complete`, `config` describes a whole run (a preset over
     * the defaults, or the config that ran), so optional knobs it leaves out are cleared.
     */
    set(config, { complete = false } = {}) {
      // Only the knobs that change are shown again (a run's start sets them all).
      for (const [name, entry] of knobs) {
        const { knob, put, setProblem } = entry;
        let moved = false;
        if (config[name] !== undefined && config[name] !== null) moved = put(config[name]);
        else if (complete && (knob.optional || knob.kind === 'wholes')) moved = put('');
        if (moved || entry.problem) setProblem(null);
      }
      problems = [];
      moreCount();
      reflect();
    },
    /** Puts every knob back to the basic pool. */
    reset() {
      for (const { knob, put, setProblem } of knobs.values()) {
        put(knob.value);
        setProblem(null);
      }
      problems = [];
      moreCount();
      reflect();
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
