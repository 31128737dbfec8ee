// The picture's panels: the figures a scenario is about, beside the lanes. A registry, so the
// playground, the tutorial and the embeds show the same panels drawn the same way.
//
// Each panel is `{ name, title, markup, mount(element, options) }`; `mount` fills the panel's
// element (its static `markup` already inside) and returns `{ draw(model, until, report, span),
// reset(model), redraw(), follow(config) }` (`follow`: the knobs changed, before any run of them).
// A panel marked `everywhere` is shown in every scenario, first and open. `draw` shows the model at `until` ms on an axis of `span` ms, with
// the finished run's `report` once the picture is at its end (null before). Panels draw only when
// shown (picture.js asks), so a closed panel costs nothing, except those marked `always` (cheap).

import { createAccountingView } from '../view/accounting.js';
import { createComparisonView } from '../view/comparison.js';
import { createDeadLetterView } from '../view/deadletters.js';
import { createOrderingView } from '../view/ordering.js';
import { blockedTotals, drawQueues } from '../view/queues.js';
import { createRepeatView } from '../view/repeat.js';
import { drawScaling, scalingSummary } from '../view/scaling.js';
import { createGoProgramView } from '../view/goprogram.js';

const ordering = {
  name: 'ordering',
  title: 'Ordering: job number against arrival',
  markup: '<div class="ordering-view"></div>',
  mount(element) {
    const view = createOrderingView(element.querySelector('.ordering-view'));
    return {
      reset: (model) => view.reset(model.config),
      draw(model, until, report) {
        if (report) view.finish(report);
        else view.update(model);
      },
      redraw: () => view.redraw(),
    };
  },
};

const queues = {
  name: 'queues',
  title: 'Queues over time, and who was blocked',
  markup: `<canvas class="queues" role="img" aria-label="Queue depth of the jobs and results channels over time, with their capacities"></canvas>
    <p class="figure-note queue-totals"></p>`,
  mount(element) {
    const canvas = element.querySelector('.queues');
    const totals = element.querySelector('.queue-totals');
    return {
      // Closed, the panel is not drawn: it must not keep an earlier run's figures meanwhile.
      reset() {
        canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
        canvas.textBoxes = [];
        totals.textContent = '';
      },
      draw(model, until, report, span) {
        drawQueues(canvas, model, until, span);
        totals.textContent = blockedTotals(model, until, report?.stats);
      },
    };
  },
};

const accounting = {
  name: 'accounting',
  title: 'Where every job went',
  markup: '<div class="accounting-view"></div>',
  always: true, // a few counts: kept current even while closed, so its figures are always there
  mount(element) {
    const view = createAccountingView(element.querySelector('.accounting-view'));
    let shown = null;
    return {
      reset: () => {
        shown = null;
        view.clear('After the run: what became of each job.');
      },
      draw(model, until, report) {
        if (report === shown) return;
        shown = report;
        if (report) view.show(report);
        else view.clear(model.now > 0 ? 'Running…' : 'After the run: what became of each job.');
      },
    };
  },
};

const comparison = {
  name: 'comparison',
  title: 'No pool against a pool: requests in progress, side by side',
  markup: '<div class="comparison"></div>',
  mount(element) {
    const view = createComparisonView(element.querySelector('.comparison'));
    return {
      reset: (model) => view.clear(model.config),
      draw(model, until, report) {
        if (report?.comparison) view.finish(report);
        else if (model.phases.length) view.update(model, until);
      },
      redraw: () => view.redraw(),
    };
  },
};

const retry = {
  name: 'retry',
  title: 'Retries: the dead-letter queue, and the jobs that needed another attempt',
  markup: '<div class="dead-letter-view"></div>',
  mount(element) {
    const view = createDeadLetterView(element.querySelector('.dead-letter-view'));
    return {
      reset: () => view.clear('Runs that retry (maxAttempts above 1) list here the jobs that failed every attempt, and the ones a retry saved.'),
      draw(model, until, report) {
        if (report) view.finish(report);
        else view.update(model);
      },
    };
  },
};

const scaling = {
  name: 'scaling',
  title: 'Autoscaling: workers and queue depth over time',
  markup: `<canvas class="scaling" role="img" aria-label="Worker count and queue depth over time, with the bounds and the scale-up threshold"></canvas>
    <p class="figure-note scaling-totals"></p>`,
  mount(element) {
    const canvas = element.querySelector('.scaling');
    const totals = element.querySelector('.scaling-totals');
    return {
      reset(model) {
        canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
        canvas.textBoxes = [];
        totals.textContent =
          model.config.pool === 'autoscale' ? '' : 'Runs with pool "autoscale" draw their worker count and queue here.';
      },
      draw(model, until, report, span) {
        if (model.config.pool !== 'autoscale') return;
        drawScaling(canvas, model, until, span);
        totals.textContent = scalingSummary(model, report);
      },
    };
  },
};

/** Runs the same setup many times; only where the picture can run (options.runOnce). */
const repeat = {
  name: 'repeat',
  title: 'Many tries: is it a race?',
  markup: '<div class="repeat-view"></div>',
  needs: 'runOnce',
  mount(element, { runOnce }) {
    const view = createRepeatView(element.querySelector('.repeat-view'), { runOnce });
    return { draw() {}, setAvailable: (ok) => view.setAvailable(ok) };
  },
};

/**
 * The Go program of the knobs, with the line each actor is on. Its toggles edit the host's knobs
 * (options.edit); the code follows the knobs (`follow`) and, before they change, the run on show.
 */
const go = {
  name: 'go',
  title: 'The Go program, and the line each actor is on',
  markup: '<div class="go-view"></div>',
  everywhere: true,
  mount(element, { edit }) {
    const view = createGoProgramView(element.querySelector('.go-view'), { edit });
    let knobs = null; // the knobs' setup (the next run's), once the host has said it
    return {
      reset(model) {
        view.show(knobs ?? model.config);
        view.clear();
      },
      draw(model, until) {
        view.show(knobs ?? model.config);
        view.mark(model, until);
      },
      follow(config) {
        knobs = config;
        view.show(config);
      },
      setEditable: (ok) => view.setEditable(ok),
    };
  },
};

/** Every panel, in the order the picture lists them (focused ones come first). */
export const PANELS = [go, ordering, queues, accounting, comparison, retry, scaling, repeat];
