// The reader's answer to a challenge (list.js), by its kind: a choice of predictions (radio
// buttons), a number (a prediction, or a limit's value), or, for a fix, the knobs of the settings
// it may change, built from the core's table of fields like every other knob (controls.js). The
// answer is read into a value the grading understands (grade.js), or a problem in the reader's
// words; a fix's problems come from the core itself (checkFields), and it must change exactly one
// setting.

import { buildKnob, knobOf } from '../controls.js';
import { changedFields, readNumber } from './grade.js';

/** A config the core checked, without the actors it lists (not a field). */
const configOf = ({ actors, ...config }) => config;

/** Radio buttons, one per choice, in a fieldset. */
function choiceInputs(box, choices) {
  const set = document.createElement('fieldset');
  set.append(Object.assign(document.createElement('legend'), { textContent: 'Your prediction' }));
  for (const { value, label } of choices) {
    const row = document.createElement('label');
    row.append(Object.assign(document.createElement('input'), { type: 'radio', name: 'answer', value }), ` ${label}`);
    set.append(row);
  }
  box.replaceChildren(set);
  return {
    read() {
      const picked = set.querySelector('input[name=answer]:checked');
      return picked ? { value: picked.value } : { problem: 'Pick your prediction first.' };
    },
  };
}

/** A text field for a whole number from `range.min` to `range.max`, labelled `words`. */
function numberInput(box, words, range) {
  const label = document.createElement('label');
  label.className = 'answer-number';
  const input = Object.assign(document.createElement('input'), { type: 'text', name: 'answer', inputMode: 'numeric', autocomplete: 'off', size: 6 });
  label.append(Object.assign(document.createElement('span'), { textContent: `${words} (${range.min} to ${range.max})` }), input);
  box.replaceChildren(label);
  return { read: () => readNumber(input.value, range) };
}

/** The knobs of `names` (from the core's `fields`), set to `setup`; exactly one must change. */
function fixKnobs(box, names, { setup, fields, client }) {
  const table = new Map(fields.map((field) => [field.name, field]));
  const knobs = names.map((name) => buildKnob(knobOf(table.get(name)), () => {}));
  const reset = () => {
    for (const knob of knobs) {
      knob.put(setup[knob.knob.name]);
      knob.setProblem(null);
    }
  };
  reset();
  const note = Object.assign(document.createElement('p'), { className: 'answer-note', textContent: 'Change exactly one of these, then run it.' });
  const grid = Object.assign(document.createElement('div'), { className: 'controls' });
  grid.append(...knobs.map((knob) => knob.label));
  box.replaceChildren(note, grid);
  return {
    async read() {
      const config = configOf(setup);
      for (const knob of knobs) config[knob.knob.name] = knob.get();
      const problems = await client.problems(config);
      for (const knob of knobs) knob.setProblem(problems.find((p) => p.field === knob.knob.name)?.message ?? null);
      if (problems.length) return { problem: problems.map((p) => p.message).join(' · ') };
      const checked = await client.check(config);
      const changed = changedFields(names, setup, checked);
      if (changed.length === 1) return { value: configOf(checked) };
      const labels = knobs.filter((k) => changed.includes(k.knob.name)).map((k) => k.knob.label);
      return { problem: changed.length ? `Change one setting only: you changed ${labels.length} (${labels.join(', ')}).` : 'Change one setting first.' };
    },
    reset,
  };
}

/**
 * Builds the answer's inputs for `challenge` in `box`. `setup` is the challenge's setup as the
 * core checked it, `fields` the core's table of fields, `client` the coordinator's client (a fix
 * asks it about the reader's config). Returns `{ read(), reset() }`: `read` resolves with
 * `{ value }` for grade.js, or `{ problem }`; `reset` puts a fix's knobs back to the setup.
 */
export function createAnswer(box, challenge, context) {
  let inputs;
  if (challenge.kind === 'fix') inputs = fixKnobs(box, challenge.fields, context);
  else if (challenge.kind !== 'predict') inputs = numberInput(box, challenge.answerLabel, challenge);
  else if (challenge.answer.type === 'choice') inputs = choiceInputs(box, challenge.answer.choices);
  else inputs = numberInput(box, 'Your prediction', challenge.answer);
  return { read: async () => inputs.read(), reset: () => inputs.reset?.() };
}
