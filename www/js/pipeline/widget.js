// The pipeline example's widget: knobs built from the core's table (fieldSchema("pipeline")), a
// row of knobs per stage (add or remove stages, 1 to the table's most), Run and Cancel, the
// picture followed live and the finished run in words and figures (picture.js), and
// the sweep that widens one stage (sweep.js). Self-contained: give it an element and a PoolClient.

import { buildKnob, knobOf } from '../controls.js';
import { applyPipelineEvents, createPipelineModel } from './model.js';
import { createPipelinePicture } from './picture.js';
import { mountSweep } from './sweep.js';

const TEMPLATE = `
  <form class="pipeline-knobs" onsubmit="return false">
    <div class="pipeline-common controls"></div>
    <fieldset class="pipeline-stage-list"><legend>Stages</legend><div class="stage-rows"></div>
      <div class="stage-buttons">
        <button type="button" class="add-stage">Add a stage</button>
        <button type="button" class="remove-stage">Remove the last stage</button>
      </div>
    </fieldset>
    <div class="run-buttons">
      <button type="button" class="run primary">Run</button>
      <button type="button" class="cancel" disabled>Cancel</button>
    </div>
  </form>
  <p class="pipeline-message" role="alert" hidden></p>
  <div class="pipeline-view"></div>
  <details class="panel pipeline-sweep" open>
    <summary>Sweep: widen one stage, and watch the throughput follow the slowest stage</summary>
    <div class="sweep"></div>
  </details>`;

/** The values of `knobs` (name → knob) as a config's fields, leaving out an empty optional one. */
function valuesOf(knobs) {
  const values = {};
  for (const [name, knob] of knobs) {
    const value = knob.get();
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/**
 * Mounts the pipeline example in `root`, driven by `client`. `preset` is a config to start the
 * knobs from; `onState(state)` hears `"running"` when a run starts and `"ready"` when it is over.
 * Returns `{ run(config), current(), report(), cancel(), showRecording(report), disable(reason), ready }`
 * (`current()`: the config on the knobs; `report()`: the last finished run's); every finished run
 * is announced on `root` as a `poolplay-report` event.
 */
export function mountPipeline(root, client, { preset = null, onState = () => {} } = {}) {
  root.classList.add('pipeline-example');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const message = $('.pipeline-message');
  const picture = createPipelinePicture($('.pipeline-view'), { idle: 'No run yet: press Run.' });
  const runButton = $('.run');
  const cancelButton = $('.cancel');
  const common = new Map(); // field name → knob
  let stageFields = [];
  let stageKnobs = []; // per stage: Map of field name → knob
  let most = 6;
  let available = true;
  let unavailable = ''; // why runs are off (disable's reason): it stays in the message line
  let running = 0;
  let recorded = null; // the recording on show, on a page that cannot run (showRecording)

  const sweep = mountSweep($('.sweep'), {
    config: () => (stageKnobs.length ? read() : null),
    runOnce: (config) => client.submit({ type: 'run', config }),
  });

  function read() {
    return { example: 'pipeline', ...valuesOf(common), stages: stageKnobs.map(valuesOf) };
  }

  function addStage(values = {}) {
    const index = stageKnobs.length;
    const row = document.createElement('fieldset');
    row.className = 'stage-row controls';
    row.append(Object.assign(document.createElement('legend'), { textContent: `Stage ${index + 1}` }));
    const knobs = new Map();
    for (const field of stageFields) {
      const knob = buildKnob({ ...knobOf(field), name: `s${index + 1}-${field.name}` }, changed);
      if (values[field.name] !== undefined) knob.put(values[field.name]);
      knob.show();
      knobs.set(field.name, knob);
      row.append(knob.label);
    }
    stageKnobs.push(knobs);
    $('.stage-rows').append(row);
    buttons();
  }

  function removeStage() {
    if (stageKnobs.length <= 1) return;
    stageKnobs.pop();
    $('.stage-rows').lastElementChild.remove();
    buttons();
    changed();
  }

  /** Puts `config` on the knobs: its fields, and as many stage rows as it has stages. */
  function set(config) {
    for (const [name, knob] of common) {
      if (config[name] !== undefined) knob.put(config[name]);
      knob.show();
    }
    if (config.stages) {
      stageKnobs = [];
      $('.stage-rows').replaceChildren();
      for (const stage of config.stages) addStage(stage);
    }
  }

  function buttons() {
    $('.add-stage').disabled = running > 0 || stageKnobs.length >= most;
    $('.remove-stage').disabled = running > 0 || stageKnobs.length <= 1;
    runButton.disabled = running > 0 || !available;
    cancelButton.disabled = running === 0;
    sweep.setAvailable(available && running === 0);
  }

  let previewed = 0;
  /** A change of the knobs: the core judges it; a config it accepts is previewed as an empty picture. */
  function changed() {
    const ticket = ++previewed;
    sweep.setStages(stageKnobs.length);
    client.problems(read()).then((problems) => {
      if (ticket !== previewed) return;
      // A knob the core finds wrong is flagged with its words (a stage's knobs are sliders and a
      // checkbox, always in range; a rule over all stages is only in the message line).
      for (const [name, knob] of common) knob.setProblem(problems.find((p) => p.field === name)?.message ?? null);
      const lines = [...problems.map((p) => p.message), unavailable].filter(Boolean);
      message.hidden = lines.length === 0;
      message.textContent = lines.join(' · ');
      if (!problems.length && !running) preview();
    });
  }

  function preview() {
    client.check(read()).then(
      (checked) => {
        if (!running && !recorded) picture.preview(checked, checked.actors);
      },
      () => {},
    );
  }

  async function run(config) {
    message.hidden = true;
    running++;
    onState('running');
    buttons();
    let model = null;
    try {
      const finished = await client.submit(
        { type: 'run', config: { ...config, example: 'pipeline' } },
        {
          onStarted(effective, actors) {
            set(effective);
            model = createPipelineModel(effective, actors);
            picture.start(model);
          },
          onEvents: (events, now) => model && applyPipelineEvents(model, events, now),
        },
      );
      running--;
      picture.finish(finished);
      sweep.setStages(finished.config.stages.length, finished.bottleneck);
      root.dispatchEvent(new CustomEvent('poolplay-report', { detail: finished }));
      return finished;
    } catch (error) {
      running--;
      message.textContent = error.message;
      message.hidden = false;
      picture.stop();
      throw error;
    } finally {
      if (!running) onState('ready');
      buttons();
    }
  }

  async function runFromKnobs() {
    const config = read();
    const problems = await client.problems(config);
    if (problems.length) {
      message.textContent = `Not run: ${problems.map((p) => p.message).join(' · ')}`;
      message.hidden = false;
      return;
    }
    run(config).catch(() => {});
  }

  const ready = client.fields.then((fields) => {
    const table = fields?.pipeline;
    if (!table) return;
    const knobs = $('.pipeline-common');
    for (const field of table) {
      if (field.kind === 'records') {
        stageFields = field.fields;
        most = field.max;
        continue;
      }
      const knob = buildKnob({ ...knobOf(field), name: `pipeline-${field.name}` }, changed);
      common.set(field.name, knob);
      knobs.append(knob.label);
    }
    const stages = table.find((f) => f.kind === 'records');
    set({ stages: stages.default, ...(preset ?? {}) });
    changed();
  });

  $('.add-stage').addEventListener('click', () => {
    addStage();
    changed();
  });
  $('.remove-stage').addEventListener('click', removeStage);
  runButton.addEventListener('click', runFromKnobs);
  cancelButton.addEventListener('click', () => client.cancel());
  window.addEventListener('resize', picture.redraw);
  buttons();

  return {
    run,
    ready,
    current: read,
    report: picture.report,
    cancel: () => client.cancel(),
    /**
     * Shows `report`, a recorded run, where nothing can run: its picture and figures, its setup
     * on the knobs (the recorded run's, not the embed's own, which apply when it runs live).
     */
    async showRecording(report) {
      recorded = report;
      await ready;
      set(report.config);
      picture.finish(report);
      sweep.setStages(report.config.stages.length, report.bottleneck);
    },
    /** Disables running, with a reason shown in the widget. */
    disable(reason) {
      available = false;
      unavailable = reason;
      buttons();
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
