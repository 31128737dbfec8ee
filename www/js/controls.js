// The knobs: each shows its current value; Run and Cancel.

/** The knobs of the doubling example, with the same ranges the core enforces. */
export const KNOBS = [
  { name: 'workers', label: 'Workers', min: 1, max: 16, step: 1, value: 3 },
  { name: 'jobsBuffer', label: 'Jobs buffer', min: 0, max: 100, step: 1, value: 4 },
  { name: 'resultsBuffer', label: 'Results buffer', min: 0, max: 100, step: 1, value: 4 },
  { name: 'jobs', label: 'Jobs', min: 1, max: 10000, step: 1, value: 12, type: 'number' },
  { name: 'workMs', label: 'Work per job (ms)', min: 0, max: 2000, step: 10, value: 200 },
];

/** Builds the controls in `root`; `onChange(config)` follows the knobs. Returns `{ read, set, setRunning }`. */
export function createControls(root, { onRun, onCancel, onChange }) {
  const inputs = new Map();
  const rows = KNOBS.map((knob) => {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = knob.label;
    const input = document.createElement('input');
    Object.assign(input, { type: knob.type ?? 'range', min: knob.min, max: knob.max, step: knob.step, value: knob.value, name: knob.name });
    const output = document.createElement('output');
    const show = () => (output.textContent = input.value);
    input.addEventListener('input', () => {
      show();
      onChange?.(read());
    });
    show();
    inputs.set(knob.name, { input, show });
    label.append(name, input, output);
    return label;
  });
  const run = Object.assign(document.createElement('button'), { textContent: 'Run', className: 'run' });
  const cancel = Object.assign(document.createElement('button'), { textContent: 'Cancel', disabled: true });
  run.addEventListener('click', onRun);
  cancel.addEventListener('click', onCancel);
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(run, cancel);
  root.replaceChildren(...rows, buttons);

  /** The config the knobs describe (numbers; the core validates them). */
  const read = () => Object.fromEntries([...inputs].map(([name, { input }]) => [name, Number(input.value)]));

  return {
    read,
    /** Moves the knobs to `config` (for runs started by script). */
    set(config) {
      for (const [name, { input, show }] of inputs) {
        if (config[name] !== undefined) input.value = config[name];
        show();
      }
    },
    setRunning(running, available = true) {
      run.disabled = running || !available;
      cancel.disabled = !running;
    },
  };
}
