// Grading a challenge (list.js) from real runs: nothing here knows the answers. A prediction is
// compared with what the run's report says; a threshold is met by the reader's value in one run
// and missed by its neighbour in another; a fix must change one setting and then meet the goal.
// No DOM: `run(config)` (the widget's) runs a config on threads and resolves with its report.

/** What a run's report says, for predictions: `read(report)` as the answer's value, and in words. */
export const MEASURES = {
  resultsReceived: {
    read: (report) => report.results.length,
    words: (n) => `${n} result${n === 1 ? '' : 's'} reached the consumer`,
  },
  doneJobs: {
    read: (report) => report.accounting.done.length,
    words: (n) => `${n} job${n === 1 ? ' was' : 's were'} done`,
  },
  maxResultsQueued: {
    read: (report) => report.stats.maxResultsQueued,
    words: (n) => `at most ${n} result${n === 1 ? '' : 's'} waited in the results channel at once`,
  },
  secondArrival: {
    read: (report) => String(report.results[1]?.job ?? 'none'),
    words: (job) => `job ${job}’s result arrived second`,
  },
  arrivalOrder: {
    read: (report) => (report.results.every((r, i) => i === 0 || report.results[i - 1].job < r.job) ? 'job order' : 'mixed'),
    words: (order) => (order === 'job order' ? 'the results arrived in job order' : 'the results arrived out of job order'),
  },
  outcome: {
    read: (report) => report.outcome,
    words: (outcome) => `the run ended in ${outcome === 'completed' ? 'completion' : `a ${outcome}`}`,
  },
  peakWorkers: {
    read: (report) => String(report.scaling?.peakWorkers ?? 'none'),
    words: (n) => `the scaler ran at most ${n} workers at once`,
  },
  // A pipeline's (example "pipeline"): the report counts stages from 0, the page from 1.
  bottleneck: {
    read: (report) => String(report.bottleneck + 1),
    words: (stage) => `stage ${stage} was the bottleneck: its workers were the busiest`,
  },
};

const allDone = (report) => report.outcome === 'completed' && report.accounting.done.length === report.config.jobs;
const sorted = (jobs) => [...jobs].sort((x, y) => x - y).join(',');

/** What a run must achieve: `test(report, goal)` with the goal's entry in list.js, and in words. */
export const GOALS = {
  finishes: {
    test: allDone,
    words: () => 'finish every job',
  },
  noRefusals: {
    test: (report) => allDone(report) && (report.service?.rejections ?? 0) === 0,
    words: () => 'finish every job without a single refusal',
  },
  deadLetters: {
    test: (report, { jobs }) => report.outcome === 'completed' && sorted((report.deadLetters ?? []).map((d) => d.job)) === sorted(jobs),
    words: ({ jobs }) => `leave only job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')} in the dead-letter queue`,
  },
};

const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${Math.round(t)} ms`);

/** A finished run in a few words: how it ended and where its jobs went. */
export function runWords(report) {
  const { done, failed } = report.accounting;
  const jobs = report.config.jobs;
  const parts = [];
  if (report.outcome === 'deadlock') parts.push('deadlock: all goroutines are asleep');
  else if (report.outcome === 'panic') parts.push(`panic: ${report.panic?.error ?? 'a panic'}`);
  else if (report.outcome === 'cancelled') parts.push(`cancelled, ${done.length} of ${jobs} jobs done`);
  else parts.push(`completed in ${ms(report.stats.wallMs)}, ${done.length} of ${jobs} jobs done`);
  if (failed.length) parts.push(`${failed.length} failed`);
  if (report.service) parts.push(`${report.service.rejections} refused with a 429`);
  if (report.deadLetters?.length) parts.push(`dead letters: job${report.deadLetters.length === 1 ? '' : 's'} ${report.deadLetters.map((d) => d.job).join(', ')}`);
  // A pipeline's bottleneck means something only where the jobs went through.
  if (report.config.example === 'pipeline' && report.outcome === 'completed') parts.push(`stage ${report.bottleneck + 1} the bottleneck`);
  return parts.join('; ');
}

/**
 * The reader's answer to a threshold or number prediction, from the text they typed: a whole
 * number within the challenge's range, or `{ problem }` in their words.
 */
export function readNumber(text, { min, max }) {
  const value = String(text).trim();
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    return { problem: `Enter a whole number from ${min} to ${max}.` };
  }
  return { value: Number(value) };
}

/**
 * The settings among `fields` where `config` differs from `setup` (both as the core checked
 * them): a fix must change exactly one.
 */
export function changedFields(fields, setup, config) {
  return fields.filter((field) => JSON.stringify(setup[field]) !== JSON.stringify(config[field]));
}

/**
 * Grades `answer` to `challenge` with real runs: `run(config, label)` runs one (label names it
 * for the reader, as "jobs 7") and resolves with its report. For a fix, `answer` is the config
 * the reader set up (changedFields checked already). Resolves with `{ right, line, runs }`:
 * `line` says what the runs showed, `runs` are `[{ label, config, report, met }]` in order.
 */
export async function grade(challenge, answer, run) {
  const runs = [];
  const goal = challenge.goal && GOALS[challenge.goal.name];
  async function attempt(config, label) {
    const report = await run(config, label);
    const entry = { label, config, report, met: goal ? goal.test(report, challenge.goal) : null };
    runs.push(entry);
    return entry;
  }

  if (challenge.kind === 'predict') {
    const measure = MEASURES[challenge.measure];
    const { report } = await attempt(challenge.setup, 'the setup');
    const truth = measure.read(report);
    const right = String(truth) === String(answer);
    const line = right ? `Right: ${measure.words(truth)}.` : `Not this time: ${measure.words(truth)}.`;
    return { right, line, runs, truth };
  }

  const aim = goal.words(challenge.goal);
  if (challenge.kind === 'fix') {
    const tried = await attempt(answer, 'your fix');
    return tried.met
      ? { right: true, line: `Right: with your change the pool manages to ${aim}: ${runWords(tried.report)}.`, runs }
      : { right: false, line: `Not yet: it did not ${aim}: ${runWords(tried.report)}.`, runs };
  }

  // threshold, fewest: the value meets the goal, and one step further misses it.
  const { field, answerLabel, direction, min, max } = challenge;
  const name = answerLabel.toLowerCase();
  const mine = await attempt({ ...challenge.setup, [field]: answer }, `${name} ${answer}`);
  if (!mine.met) {
    return { right: false, line: `Not quite: with ${name} ${answer} it did not ${aim}: ${runWords(mine.report)}.`, runs };
  }
  const next = direction === 'most' ? answer + 1 : answer - 1;
  if (next < min || next > max) {
    return { right: true, line: `Right: with ${name} ${answer} it manages to ${aim}, and ${answer} is the ${direction === 'most' ? 'largest' : 'smallest'} value there is.`, runs };
  }
  const beyond = await attempt({ ...challenge.setup, [field]: next }, `${name} ${next}`);
  if (beyond.met) {
    const way = direction === 'most' ? 'more' : 'fewer';
    return { right: false, line: `Close: ${answer} works, but so does ${next} (${runWords(beyond.report)}), so ${way} is possible.`, runs };
  }
  return {
    right: true,
    line: `Right: with ${name} ${answer} it manages to ${aim}, and with ${next} it does not: ${runWords(beyond.report)}.`,
    runs,
  };
}
