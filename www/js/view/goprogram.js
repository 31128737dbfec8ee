// The Go program of a run: the textbook pool written out for the knobs on show (its buffers, its
// worker count, its jobs, each job's sleep, the consumer's pause), with each classic mistake a
// one-line edit the reader toggles on the code itself, and, on a model, the line each actor is on,
// marked in the actor's colour.
//
// `programLines(config)` is pure: the lines, each `{ id, text, depth, edit, toggle }`, where `edit`
// says how the line stands ('struck': left out by a mistake, 'added': put in by one, 'offer': a
// mistake not made, shown faintly) and `toggle` names the mistake the line switches.
// `actorLine(actor, model, until)` says which line an actor is on. `createGoProgramView` draws both; its toggles
// hand the fields a mistake changes to `edit(fields)`, the host's knobs.

import { actorLabel, workerNumber } from '../model.js';
import { workerColor } from './palette.js';

/** The colour of actors that are not workers, as on the actors' chips. */
const HELPER_COLOR = '#495057';

/** The mistakes the code can toggle: what each changes in the config, and how to say it. */
const TOGGLES = {
  'close-jobs': {
    on: (c) => c.closeJobs === false,
    fields: (on) => (on ? { closeJobs: true } : { closeJobs: false, mistake: 'none' }),
    words: 'the producer’s close(jobs): left out, the workers never leave their loops (deadlock)',
  },
  'close-twice': {
    on: (c) => c.mistake === 'close-jobs-twice',
    fields: (on) => ({ mistake: on ? 'none' : 'close-jobs-twice', closeJobs: true }),
    words: 'a second close(jobs): the producer panics, close of closed channel',
  },
  'closer-wait': {
    on: (c) => c.mistake === 'close-results-early',
    fields: (on) => ({ mistake: on ? 'none' : 'close-results-early', collect: 'concurrent' }),
    words: 'the closer’s wg.Wait(): left out, results close while workers still send (panic)',
  },
  add: {
    on: (c) => c.mistake === 'add-in-worker',
    fields: (on) => ({ mistake: on ? 'none' : 'add-in-worker' }),
    words: 'wg.Add(1) moved inside the worker: a race with wg.Wait()',
  },
  'wait-first': {
    on: (c) => c.collect === 'after-wait',
    fields: (on) => ({ collect: on ? 'concurrent' : 'after-wait', mistake: 'none' }),
    words: 'wg.Wait() in main before reading results: deadlock once results fill their buffer',
  },
  'go-producer': {
    on: (c) => c.collect === 'after-send',
    fields: (on) => ({ collect: on ? 'concurrent' : 'after-send', mistake: 'none' }),
    words: 'the producer’s go: without it main sends every job before reading any result (circular)',
  },
};

/** A Go duration of `ms` milliseconds, in the unit a Go programmer would write. */
function duration(ms) {
  return ms % 1000 === 0 && ms > 0 ? `${ms / 1000} * time.Second` : `${ms} * time.Millisecond`;
}

/** `time.Sleep(…)` for `ms` milliseconds. */
const sleep = (ms) => `time.Sleep(${duration(ms)})`;

/** What a cancelled producer does, by shutdown mode (the pool's three, src/pool/shutdown.rs). */
const STOP_SENDING = {
  graceful: 'return // graceful: the queued jobs are dropped',
  drain: 'close(jobs); return // drain: the queued jobs still run',
  force: 'close(jobs); return // force: the queue runs until the grace period ends',
};

/** The jobs' own costs in ms (`jobCostMs`: one number or a list), or [] when they all take `workMs`. */
function costsOf(config) {
  const costs = config.jobCostMs;
  return Array.isArray(costs) ? costs : costs != null ? [costs] : [];
}

/** What a job sleeps: one cost for all, or the list job i reads at (i − 1) mod its length. */
function sleepOf(config) {
  const costs = costsOf(config);
  if (costs.length === 0) return sleep(config.workMs ?? 0);
  if (costs.length === 1) return sleep(costs[0]);
  return `time.Sleep(cost[(j-1)%${costs.length}]) // ${costs.join(', ')} ms`;
}

/** Whether jobs of `config` can fail (then results carry an error). */
const failing = (config) => (config.failRate ?? 0) > 0 || (config.failJobs ?? []).length > 0;

/** How long a job takes, in words: "100 ms", or "250, 400 ms in turn". */
function takes(config) {
  const costs = costsOf(config);
  if (costs.length > 1) return `${costs.join(', ')} ms in turn`;
  return `${costs[0] ?? config.workMs ?? 0} ms`;
}

/** The worker's work on job j: a sleep, or, when jobs can fail, a call that returns an error too. */
function work(config) {
  if (!failing(config)) return sleepOf(config);
  const attempts = config.maxAttempts ?? 1;
  const call = attempts > 1 ? `withRetries(${attempts}, process, j)` : 'process(j)';
  return `v, err := ${call} // takes ${takes(config)}`;
}

/** What the worker sends: the doubled job, or a result that names its job (and its error). */
function sent(config) {
  if (failing(config)) return 'results <- Result{Job: j, Value: v, Err: err}';
  return config.ordered ? 'results <- Result{Job: j, Value: 2 * j}' : 'results <- 2 * j';
}

/**
 * The lines of the Go program for `config` (the body of `main`), each
 * `{ id, text, depth, edit: null | 'struck' | 'added' | 'offer', toggle: null | name }`.
 */
function programLines(config) {
  const lines = [];
  const line = (id, depth, text, { edit = null, toggle = null } = {}) => lines.push({ id, text, depth, edit, toggle });
  const collect = config.collect ?? 'concurrent';
  const mistake = config.mistake ?? 'none';
  const inWorker = mistake === 'add-in-worker';
  const sendFirst = collect === 'after-send';
  const waitFirst = collect === 'after-wait';
  const pause = config.consumerMs ?? 0;
  const cancels = config.cancelAfterMs != null;

  if (cancels) line('make-ctx', 0, `ctx, cancel := context.WithTimeout(context.Background(), ${duration(config.cancelAfterMs)})`);
  if (cancels) line('defer-cancel', 0, 'defer cancel()');
  line('make-jobs', 0, `jobs := make(chan int, ${config.jobsBuffer})${config.jobsBuffer === 0 ? ' // unbuffered' : ''}`);
  const result = failing(config) || config.ordered ? 'Result' : 'int';
  line('make-results', 0, `results := make(chan ${result}, ${config.resultsBuffer})${config.resultsBuffer === 0 ? ' // unbuffered' : ''}`);
  line('make-wg', 0, 'var wg sync.WaitGroup');
  line('spawn-loop', 0, `for w := 1; w <= ${config.workers}; w++ {`);
  line('add-main', 1, 'wg.Add(1)', { edit: inWorker ? 'struck' : null, toggle: 'add' });
  line('go-worker', 1, 'go func() {');
  if (inWorker) line('add-worker', 2, 'wg.Add(1) // too late: wg.Wait() may already have returned', { edit: 'added', toggle: 'add' });
  line('done', 2, 'defer wg.Done()');
  line('range-jobs', 2, 'for j := range jobs {');
  line('work', 3, work(config));
  line('send-result', 3, sent(config));
  line('end-range-jobs', 2, '}');
  line('end-go-worker', 1, '}()');
  line('end-spawn-loop', 0, '}');
  line('go-producer', 0, sendFirst ? 'go func() { // main sends every job itself' : 'go func() {', {
    edit: sendFirst ? 'struck' : null,
    toggle: 'go-producer',
  });
  line('send-loop', 1, `for j := 1; j <= ${config.jobs}; j++ {`);
  if (cancels) {
    // A cancel must be able to free a producer waiting to send: the send is one case of a select.
    line('send-select', 2, 'select {');
    line('send-job', 2, 'case jobs <- j:');
    line('producer-cancel', 2, 'case <-ctx.Done():');
    line('producer-stop', 3, STOP_SENDING[config.shutdown ?? 'graceful']);
    line('end-send-select', 2, '}');
  } else {
    line('send-job', 2, 'jobs <- j');
  }
  line('end-send-loop', 1, '}');
  line('close-jobs', 1, 'close(jobs)', { edit: config.closeJobs === false ? 'struck' : null, toggle: 'close-jobs' });
  if (config.closeJobs !== false) {
    const twice = mistake === 'close-jobs-twice';
    line('close-twice', 1, twice ? 'close(jobs) // again' : 'close(jobs) // again?', { edit: twice ? 'added' : 'offer', toggle: 'close-twice' });
  }
  line('end-go-producer', 0, '}()', { edit: sendFirst ? 'struck' : null });
  if (!waitFirst) {
    line('go-closer', 0, 'go func() {');
    line('closer-wait', 1, 'wg.Wait()', { edit: mistake === 'close-results-early' ? 'struck' : null, toggle: 'closer-wait' });
    line('closer-close', 1, 'close(results)');
    line('end-go-closer', 0, '}()');
  }
  line('wait-first', 0, waitFirst ? 'wg.Wait() // before reading a single result' : 'wg.Wait() // before reading?', {
    edit: waitFirst ? 'added' : 'offer',
    toggle: 'wait-first',
  });
  if (waitFirst) line('wait-first-close', 0, 'close(results)', { edit: 'added' });
  line('range-results', 0, 'for r := range results {');
  line('print', 1, config.ordered ? 'out[r.Job-1] = r // its place, by job number' : 'fmt.Println(r)');
  if (pause > 0) line('consumer-sleep', 1, sleep(pause));
  line('end-range-results', 0, '}');
  return lines;
}

/** Whether the consumer (or the producer reading results) is resting after a result at `until`. */
function resting(spans, until) {
  const last = spans?.at(-1);
  return last?.kind === 'rest' && last.start <= until && last.end > until;
}

/**
 * The line `actor` is on, from its state in `model` at `until` (model.js): the line of the
 * operation it waits in, the line of the work it does, or null once it has left (or not begun).
 */
function actorLine(actor, model, until) {
  const who = model.actors[actor];
  if (!who || ['idle', 'exited', 'released'].includes(who.state)) return null;
  const waiting = ['blocked', 'stuck'].includes(who.state) ? who.block : null;
  if (actor === 'producer') {
    if (who.state === 'panicked') return 'close-twice';
    if (waiting) return waiting.channel === 'jobs' ? 'send-job' : 'range-results';
    if (model.markers.some((m) => m.stage === 'requested')) return 'producer-stop';
    const closed = model.closes.some((c) => c.actor === actor && c.channel === 'jobs');
    if (!closed) return 'send-job';
    return model.config.collect === 'after-send' ? 'range-results' : 'close-jobs';
  }
  if (workerNumber(actor)) {
    if (who.state === 'panicked') return 'send-result';
    if (waiting) return waiting.channel === 'results' ? 'send-result' : 'range-jobs';
    return who.job || who.backoff ? 'work' : 'range-jobs';
  }
  if (actor === 'closer') return waiting ? 'closer-wait' : 'closer-close';
  if (actor === 'consumer') {
    if (waiting) return waiting.channel === 'waitGroup' ? 'wait-first' : 'range-results';
    return resting(model.spans[actor], until) ? 'consumer-sleep' : 'range-results';
  }
  return null;
}

/** An actor's colour, as on its chip and lane. */
function actorColor(actor) {
  const k = workerNumber(actor);
  return k ? workerColor(k) : HELPER_COLOR;
}

/** What a chip adds to an actor's name when it is not simply at work on its line. */
const CHIP_STATE = { blocked: ' waits', stuck: ' stuck', panicked: ' panicked' };

/** `color` (an `hsl(…)` or `#rrggbb`) at the given opacity. */
function faint(color, alpha) {
  if (color.startsWith('hsl(')) return color.replace(')', ` / ${alpha})`);
  const n = Number.parseInt(color.slice(1), 16);
  return `rgb(${n >> 16} ${(n >> 8) & 255} ${n & 255} / ${alpha})`;
}

/**
 * Draws the program in `root`. `edit(fields)` (optional) applies a toggled mistake to the host's
 * knobs; without it the code is read-only. Returns `{ show(config), mark(model, until), clear(),
 * setEditable(ok) }`: `show` writes the program for `config`, `mark` puts each actor of `model` on
 * its line at `until`.
 */
export function createGoProgramView(root, { edit = null } = {}) {
  root.classList.add('gp-program');
  const note = Object.assign(document.createElement('p'), { className: 'figure-note gp-note' });
  const code = document.createElement('div');
  code.className = 'gp-code';
  code.setAttribute('role', 'group');
  code.setAttribute('aria-label', 'The Go program of this pool');
  root.replaceChildren(note, code);
  let rows = new Map(); // line id → { row, who }
  let shown = '';
  let config = null;
  let editable = Boolean(edit);

  function toggleButton(entry) {
    const toggle = TOGGLES[entry.toggle];
    const on = toggle.on(config);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'gp-toggle';
    button.textContent = entry.text;
    button.setAttribute('aria-pressed', String(on));
    button.setAttribute('aria-label', `${entry.text}: ${on ? 'undo' : 'make'} the mistake, ${toggle.words}`);
    button.title = on ? 'Press to undo this mistake' : 'Press to make this mistake in the next run';
    button.dataset.toggle = entry.toggle;
    button.disabled = !editable;
    button.addEventListener('click', () => edit?.(toggle.fields(toggle.on(config))));
    return button;
  }

  function show(next) {
    const key = JSON.stringify(programLines(next));
    config = next;
    if (key === shown) return;
    shown = key;
    rows = new Map();
    const made = Object.entries(TOGGLES).filter(([, t]) => t.on(next)).length;
    const pool = next.pool && next.pool !== 'fixed' ? `This run’s pool is “${next.pool}”, whose own code the lesson shows; here is the fixed pool at its heart. ` : '';
    note.textContent = editable
      ? `${pool}The body of main for these knobs. Press an underlined line to make or undo a classic mistake; the next run commits it.${made ? ' Struck lines are left out, bold ones added.' : ''}`
      : `${pool}The body of main for this run.`;
    code.replaceChildren(
      ...programLines(next).map((entry) => {
        const row = document.createElement('div');
        row.className = 'gp-line';
        row.dataset.line = entry.id;
        if (entry.edit) row.dataset.edit = entry.edit;
        row.style.setProperty('--depth', String(entry.depth));
        const text = entry.toggle ? toggleButton(entry) : Object.assign(document.createElement('code'), { textContent: entry.text });
        const who = document.createElement('span');
        who.className = 'gp-who';
        row.append(text, who);
        rows.set(entry.id, { row, who, on: '' });
        return row;
      }),
    );
  }

  function mark(model, until) {
    const on = new Map();
    for (const actor of model.actorNames) {
      const id = actorLine(actor, model, until);
      if (id && rows.has(id)) on.set(id, [...(on.get(id) ?? []), actor]);
    }
    for (const [id, entry] of rows) {
      const actors = on.get(id) ?? [];
      const states = actors.map((actor) => model.actors[actor].state);
      const key = `${actors.join(' ')}|${states.join(' ')}`;
      if (key === entry.on) continue;
      entry.on = key;
      entry.row.dataset.actors = actors.join(' ');
      entry.row.style.setProperty('--here', actors.length ? faint(actorColor(actors[0]), 0.16) : 'transparent');
      entry.row.style.setProperty('--edge', actors.length ? actorColor(actors[0]) : 'transparent');
      entry.who.replaceChildren(
        ...actors.map((actor, i) => {
          const chip = document.createElement('span');
          chip.className = 'gp-chip';
          chip.dataset.state = states[i];
          chip.style.setProperty('--accent', actorColor(actor));
          chip.textContent = `${actorLabel(actor)}${CHIP_STATE[states[i]] ?? ''}`;
          return chip;
        }),
      );
    }
  }

  return {
    show,
    mark,
    /** Whether the toggles may change the knobs (not where nothing can run, as with a recording). */
    setEditable(ok) {
      editable = Boolean(edit) && ok;
      shown = '';
      if (config) show(config);
    },
    /** Takes every actor off the code. */
    clear: () => mark({ actorNames: [] }, 0),
  };
}
