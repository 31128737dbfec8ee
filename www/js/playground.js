// The playground widget: scenario picker, knobs, and the picture of the run (picture/picture.js,
// the same picture the tutorial and the embeds show), with its replay scrubber once a run is over.
// Self-contained: give it an element and a PoolClient.

import { applyEvents, createModel } from './model.js';
import { createControls } from './controls.js';
import { createPicker } from './picker.js';
import { scenarioText } from './scenarios.js';
import { createPicture } from './picture/picture.js';

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
  const picture = createPicture($('.playground-picture'), { runOnce: () => runFromKnobs(), resultsOpen: true });

  let model = null;
  let startedAt = 0;
  let live = false; // a run is streaming into `model`
  let available = true;
  let running = 0; // runs submitted and not yet settled
  let poolThreads = 0;

  const animate = () => {
    if (!live) return;
    picture.show(model, Math.max(model.now, performance.now() - startedAt));
    requestAnimationFrame(animate);
  };
  window.addEventListener('resize', () => picture.redraw());

  const controls = createControls($('.controls'), {
    onRun: () => runFromKnobs().catch(() => {}),
    onCancel: () => client.cancel(),
    onChange: (config) => {
      picker.follow(config);
      preview(config);
    },
  });

  const picker = createPicker($('.scenario-picker'), {
    onPick(name, preset) {
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
  picker.follow(controls.read());

  client.ready.then(
    ({ threads, scenarios }) => {
      poolThreads = threads;
      picker.setPresets(scenarios);
    },
    () => {},
  );

  /** Until a run happens (or when a scenario is picked), the picture shows the empty pool the knobs describe. */
  function preview(config, { fresh = false } = {}) {
    if (running || (!fresh && picture.report())) return;
    picture.preview(config);
  }
  preview(controls.read());

  /** Runs what the knobs say, plus the chosen scenario; a malformed list stops it with a message. */
  function runFromKnobs() {
    const problems = controls.problems();
    if (problems.length) {
      message.textContent = problems.join(' · ');
      message.hidden = false;
      return Promise.reject(new Error(problems[0]));
    }
    return run({ ...controls.read(), scenario: picker.current() });
  }

  async function run(config) {
    message.hidden = true;
    running++;
    controls.setRunning(true, available);
    try {
      const finished = await client.submit(
        { type: 'run', config },
        {
          onStarted(effective) {
            controls.set(effective, { complete: true });
            if (effective.scenario && effective.scenario !== picker.current()) {
              picker.select(effective.scenario);
              picture.focus(scenarioText(effective.scenario).focus);
            }
            picker.follow(effective);
            model = createModel(effective);
            startedAt = performance.now();
            live = true;
            picture.setResultsTitle(
              effective.ordered ? 'Results, in job order (released by the reorder buffer)' : 'Results, in arrival order',
            );
            picture.start(model);
            requestAnimationFrame(animate);
          },
          onEvents: (events) => applyEvents(model, events),
        },
      );
      live = false;
      picture.finish(finished, poolThreads, { model });
      root.dispatchEvent(new CustomEvent('poolplay-report', { detail: finished }));
      return finished;
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      live = false;
      running--;
      controls.setRunning(running > 0, available);
    }
  }

  return {
    run,
    cancel: () => client.cancel(),
    /** Disables running, with a reason shown in the widget. */
    disable(reason) {
      available = false;
      controls.setRunning(false, false);
      picture.panel('repeat')?.setAvailable(false);
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
