// The playground widget: scenario picker, knobs, and the picture of the run (picture/picture.js,
// the same picture the tutorial and the embeds show), with its replay scrubber once a run is over.
// Self-contained: give it an element and a PoolClient.

import { applyEvents, createModel } from './model.js';
import { createControls } from './controls.js';
import { createPicker } from './picker.js';
import { scenarioText } from './scenarios.js';
import { createPicture } from './picture/picture.js';
import { tryEdit } from './picture/edit.js';

const TEMPLATE = `
  <section class="scenario-picker" aria-label="Scenarios"></section>
  <form class="controls" onsubmit="return false"></form>
  <p class="message" role="alert" hidden></p>
  <div class="playground-picture"></div>`;

/**
 * Mounts a playground in `root`, driven by `client`. Returns `{ run(config), cancel(), disable(reason) }`.
 * Every finished run, from the page or by script, is also announced on `root` as a
 * `poolplay-report` event whose `detail` is the report.
 */
export function mountPlayground(root, client) {
  root.classList.add('playground');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const message = $('.message');
  const picture = createPicture($('.playground-picture'), {
    runOnce: () => runFromKnobs(),
    // The Go program's toggles edit the knobs, as if the reader had changed them.
    edit(fields) {
      if (!controls || !available) return;
      tryEdit(controls, fields, (problems) => {
        message.textContent = problems;
        message.hidden = false;
        problemsShown = true;
      }).then((ok) => ok && knobsChanged(controls.read()));
    },
    resultsOpen: true,
  });

  let model = null;
  let available = true;
  let running = 0; // runs submitted and not yet settled
  let poolThreads = 0;

  window.addEventListener('resize', () => picture.redraw());

  let problemsShown = false; // whether the message lists the knobs' problems
  let controls = null; // built once the core's table of fields arrives
  client.fields.then((fields) => {
    if (!fields) return;
    controls = createControls($('.controls'), fields.doubling, {
      onRun: () => runFromKnobs().catch(() => {}),
      onCancel: () => client.cancel(),
      onChange: knobsChanged,
      check: (config) => client.problems({ ...config, scenario: picker.current() }),
    });
    controls.setRunning(running > 0, available);
    picker.follow(controls.read());
    preview(controls.read());
  });

  /** The knobs now say `config`: the picker, the Go program and (before a run) the pool follow. */
  function knobsChanged(config) {
    if (problemsShown) message.hidden = true;
    problemsShown = false;
    picker.follow(config);
    picture.follow({ ...config, scenario: picker.current() });
    preview(config);
  }

  const picker = createPicker($('.scenario-picker'), {
    onPick(name, preset) {
      if (!controls) return; // the knobs come with the core's table of fields
      controls.reset();
      controls.set(preset);
      controls.openMore();
      picker.follow(controls.read());
      picture.focus(scenarioText(name).focus);
      message.hidden = true;
      if (!running) preview(controls.read(), { fresh: true });
    },
  });
  picture.focus(scenarioText('basic').focus);

  client.ready.then(
    ({ threads, scenarios }) => {
      poolThreads = threads;
      picker.setPresets(scenarios);
    },
    () => {},
  );

  let previewed = 0; // the latest preview; older answers are dropped
  /**
   * Until a run happens (or when a scenario is picked), the picture shows the empty pool the knobs
   * describe, with the actors the core says it starts.
   */
  function preview(config, { fresh = false } = {}) {
    const stale = () => running || (!fresh && picture.report());
    if (stale()) return;
    const ticket = ++previewed;
    client.check({ ...config, scenario: picker.current() }).then(
      (checked) => {
        if (ticket !== previewed || stale()) return;
        picture.preview(checked, checked.actors);
      },
      () => {},
    );
  }

  /** Runs what the knobs say, plus the chosen scenario, once the core finds no problem in it. */
  async function runFromKnobs() {
    const problems = await controls.validate();
    if (problems.length) {
      message.textContent = `Not run: ${problems.map((p) => p.message).join(' · ')}`;
      message.hidden = false;
      problemsShown = true;
      throw new Error(problems[0].message);
    }
    return run({ ...controls.read(), scenario: picker.current() });
  }

  async function run(config) {
    message.hidden = true;
    problemsShown = false;
    running++;
    controls?.setRunning(true, available);
    picker.setLocked(true);
    try {
      const finished = await client.submit(
        { type: 'run', config },
        {
          onStarted(effective, actors) {
            controls?.set(effective, { complete: true });
            if (effective.scenario && effective.scenario !== picker.current()) {
              picker.select(effective.scenario);
              picture.focus(scenarioText(effective.scenario).focus);
            }
            picker.follow(effective);
            model = createModel(effective, actors);
            picture.setResultsTitle(
              effective.ordered ? 'Results, in job order (released by the reorder buffer)' : 'Results, in arrival order',
            );
            picture.start(model);
          },
          onEvents: (events, now) => applyEvents(model, events, now),
        },
      );
      await picture.finish(finished, poolThreads, { model });
      root.dispatchEvent(new CustomEvent('poolplay-report', { detail: finished }));
      return finished;
    } catch (error) {
      picture.stop();
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      running--;
      controls?.setRunning(running > 0, available);
      picker.setLocked(running > 0);
    }
  }

  return {
    run,
    cancel: () => client.cancel(),
    /** Disables running, with a reason shown in the widget. */
    disable(reason) {
      available = false;
      controls?.setRunning(false, false);
      picture.panel('go')?.setEditable(false);
      picture.panel('repeat')?.setAvailable(false);
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
