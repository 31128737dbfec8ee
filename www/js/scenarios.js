// What each scenario shows, in our own words, keyed by the preset's name. The preset values come
// from the core (the coordinator's 'ready' message); this module holds only the prose, the Go line
// that matters, and which pictures to put first.
//
// Pictures: 'ordering' (job vs arrival), 'queues' (queue depth and blocked time), 'accounting'
// (where every job ended up), 'repeat' (run the same config many times), and those of the
// production patterns (picture/panels.js): 'comparison' (no pool against a pool, side by side),
// 'retry' (the dead-letter queue), 'scaling' (worker count and queue depth over time).

/**
 * Scenario texts in picker order. `go` is the line of Go that fixes (or explains) the behaviour;
 * `fixLead` heads the fix when the scenario is not a mistake.
 */
export const SCENARIOS = [
  {
    name: 'basic',
    label: 'Basic',
    title: 'The pool as intended',
    watch:
      'The producer fills the four-slot jobs buffer and waits whenever it is full; three workers ' +
      'take jobs as they free up, and the consumer collects answers as they come.',
    watchFor: ({ jobsBuffer, workers, jobs }) =>
      `The producer puts ${jobs} jobs into ${jobsBuffer === 0 ? 'an unbuffered jobs channel' : `the ${jobsBuffer}-slot jobs buffer`} ` +
      `and waits whenever it is full; ${workers} worker${workers === 1 ? '' : 's'} take jobs as they free up, ` +
      'and the consumer collects answers as they come.',
    why:
      'All jobs cost the same, so workers finish at a steady pace and a small buffer keeps them ' +
      'busy. The producer closes jobs when it is done, the workers leave their loops, and the ' +
      'closer closes results once the WaitGroup reaches zero.',
    fixLead: 'In practice:',
    fix: 'Nothing to fix: this is the shape the other scenarios break.',
    go: 'go func() { wg.Wait(); close(results) }()',
    focus: ['queues'],
  },
  {
    name: 'ordering',
    label: 'Ordering',
    title: 'Results come back out of order',
    watch:
      'Jobs cost 250, 400, 550 and 100 ms in turn. In the ordering chart, every dot off the ' +
      'diagonal is a result that overtook, or was overtaken by, another.',
    why:
      'A worker sends its answer the moment it is done, so a short job started late beats a long ' +
      'job started early. The results channel keeps the order of finishing, not the order of jobs.',
    fixLead: 'In practice:',
    fix:
      'When order matters, put the job number in the result and place each answer by that number. ' +
      'Tick “ordered” to see a reorder buffer do it, and how long results then wait for their turn.',
    go: 'out[r.Job-1] = r.Value // place by job number, not by arrival',
    focus: ['ordering'],
  },
  {
    name: 'backpressure',
    label: 'Backpressure',
    title: 'A slow consumer slows everyone',
    watch:
      'The consumer rests 300 ms after each result; two workers make one every 75 ms. Watch the ' +
      'results queue hit its capacity line, then the jobs queue, then the producer’s lane shade ' +
      'with waiting.',
    why:
      'A send on a full buffer blocks. Results fill first, so workers stall on their sends and stop ' +
      'taking jobs; then jobs fills and the producer stalls too. The pressure travels back to the ' +
      'source instead of piling up in memory.',
    fixLead: 'In practice:',
    fix:
      'That is bounded channels doing their job. A bigger buffer only postpones the stall; a ' +
      'faster consumer, or more of them, removes it.',
    go: 'results := make(chan Result, 2) // a bound: a slow reader holds back the writers',
    focus: ['queues'],
  },
  {
    name: 'deadlock-no-close',
    label: 'Deadlock: no close',
    title: 'Deadlock: the jobs channel is never closed',
    watch:
      'Every job is done, yet the run freezes: the workers wait on an empty jobs channel, the ' +
      'closer waits on the WaitGroup, the consumer waits on results.',
    why:
      'A worker’s range loop over jobs only ends when jobs is closed. Nobody closes it, so no worker ' +
      'calls Done, the WaitGroup stays above zero and results stays open. Every goroutine is ' +
      'asleep, and Go stops the program with a fatal error.',
    fix: 'The producer, the only sender, closes jobs after its last send.',
    go: 'close(jobs) // in the producer, after the last send',
    focus: ['accounting'],
  },
  {
    name: 'deadlock-after-wait',
    label: 'Deadlock: wait first',
    title: 'Deadlock: waiting before reading',
    watch:
      'The consumer calls wg.Wait() before it reads a single result. Workers fill the four result ' +
      'slots, then block on their next send and never reach Done.',
    why:
      'Wait needs every worker to finish; a worker can only finish once its result has somewhere ' +
      'to go. Slide the results buffer up: from 10, as many slots as jobs, every result fits and ' +
      'the run completes. That is why this bug survives tests with small inputs.',
    fix: 'Read results while the workers run; let a separate goroutine wait and close.',
    go: 'go func() { wg.Wait(); close(results) }()',
    focus: ['accounting'],
  },
  {
    name: 'deadlock-circular',
    label: 'Deadlock: circular',
    title: 'Deadlock: sending everything before reading',
    watch:
      'The producer sends all jobs and only then reads results. On unbuffered channels it is soon ' +
      'stuck sending a job while every worker is stuck sending a result.',
    why:
      'The producer waits for a worker to take a job; each worker waits for someone to take its ' +
      'result; the only reader of results is the producer. A closed circle of waits. Large enough ' +
      'buffers would hide it for a given input size, not remove it.',
    fix: 'Send the jobs from their own goroutine, so the reader of results is never stuck sending.',
    go: 'go func() { for j := 1; j <= n; j++ { jobs <- j }; close(jobs) }()',
    focus: ['accounting'],
  },
  {
    name: 'panic-send-on-closed',
    label: 'Panic: send on closed',
    title: 'Panic: send on a closed channel',
    watch:
      'The closer closes results straight away instead of waiting for the workers. The first ' +
      'worker to finish a job sends its answer into a closed channel.',
    why:
      'Closing a channel promises that no more values will come. A send after that is a bug, and Go ' +
      'panics: the whole program stops, not just that goroutine. With several senders, only the ' +
      'WaitGroup knows when sending is over.',
    fix: 'Close results only after every worker has called Done.',
    go: 'wg.Wait(); close(results)',
    focus: ['accounting'],
  },
  {
    name: 'panic-close-twice',
    label: 'Panic: close twice',
    title: 'Panic: closing a channel twice',
    watch: 'The producer closes jobs, and then closes it again.',
    why:
      'A channel can be closed once; the second close panics even if nobody uses the channel any ' +
      'more. It tends to happen when two code paths each believe they own the close, such as a ' +
      'deferred close next to an explicit one.',
    fix: 'Give the channel one owner. If several paths may end the sending, close through sync.Once.',
    go: 'closeJobs := sync.OnceFunc(func() { close(jobs) })',
    focus: ['accounting'],
  },
  {
    name: 'errors',
    label: 'Errors',
    title: 'Jobs that fail',
    watch:
      'Some jobs fail: about one in five (the seed picks the same ones every run), and job 3 ' +
      'always. Failures are marked in red in the results and cross-hatched in the lanes.',
    why:
      'A worker that hits an error still has to report. If it dropped the job quietly, the consumer ' +
      'could not tell a failure from a result still on its way, and the counts would not add up.',
    fix: 'Make the error part of the result and handle it where results are collected.',
    go: 'results <- Result{Job: j, Err: err}',
    focus: ['accounting'],
  },
  {
    name: 'cancel',
    label: 'Cancelling',
    title: 'Cancelling a run',
    watch:
      'One second in, the run is cancelled with a graceful shutdown: sending stops, queued jobs are ' +
      'dropped and the jobs in flight finish. The dashed line marks the request; the accounting ' +
      'says where each of the 40 jobs ended up. Try drain and force, or press Cancel yourself.',
    why:
      'Stopping is a trade between finishing work and finishing soon. Graceful drops what has not ' +
      'started; drain finishes what is already queued; force gives work in flight a deadline and ' +
      'then cancels it with “context canceled”.',
    fix: 'Give every worker a context and check it between jobs; bound the shutdown with a timeout.',
    go: 'case <-ctx.Done(): return // in the worker’s select, next to the receive',
    focus: ['accounting'],
  },
  {
    name: 'waitgroup-misuse',
    label: 'WaitGroup race',
    title: 'A race: wg.Add inside the worker',
    watch:
      'Each worker calls wg.Add(1) only once it is running. The closer is already waiting by then, ' +
      'as main is in Go, so its wg.Wait() usually sees a zero counter and closes results at once; ' +
      'the first worker to send panics and results go missing. ' +
      'Press “Repeat 20 times” to see how often it bites on your machine.',
    why:
      'Wait returns whenever the counter is zero, and nothing orders the workers’ Add before it. ' +
      'It is a race: the outcome depends on which thread gets scheduled first, so it can bite on ' +
      'every run here and pass on a busier machine, and a passing run proves nothing.',
    fix: 'Call Add before starting the goroutine, in the goroutine that will later Wait.',
    go: 'wg.Add(1); go worker(w, jobs, results, &wg)',
    focus: ['repeat', 'accounting'],
  },
  {
    name: 'unbounded-vs-pool',
    label: 'Unbounded vs pool',
    title: 'One task per request swamps the service',
    watch:
      'The same 16 requests go out twice to a service that handles 4 at a time. First each gets a ' +
      'task of its own, all at once: twelve come straight back with a 429. Then a pool of 4 ' +
      'workers sends them: none is refused.',
    why:
      'Nothing bounds a task per request, so the service does the bounding, by refusing. A pool as ' +
      'wide as the limit never asks for more than the service takes, and gets through the batch at ' +
      'the pace the service allows anyway: the unbounded run was not faster, only lossy.',
    fixLead: 'In practice:',
    fix: 'Size the pool from what sits downstream, not from the pile of work. Try 6 workers, or a rate limit.',
    go: 'for w := 0; w < limit; w++ { go worker(jobs, results) } // not go call(r) per request',
    focus: ['comparison'],
  },
  {
    name: 'retry',
    label: 'Retries',
    title: 'Retries with backoff, and a dead-letter queue',
    watch:
      'Jobs fail now and then, and job 3 every time. A failed attempt is tried again after a wait ' +
      'that doubles (100, 200, 400 ms, trimmed by a seeded jitter): the hatched stretches in the ' +
      'lanes. A job that fails all four attempts goes to the dead-letter list.',
    why:
      'Many failures pass: a timeout, a busy service. Trying again at once meets the same trouble, ' +
      'and workers retrying in step make it worse; growing, jittered waits give the other side room. ' +
      'Some failures never pass, so attempts are capped and what is left is kept, not dropped.',
    fixLead: 'In practice:',
    fix: 'Retry only errors that can pass, cap the attempts and the wait, and put what still fails where someone will look.',
    go: 'time.Sleep(min(base<<(attempt-1), maxWait)) // then the next attempt',
    focus: ['retry', 'accounting'],
  },
  {
    name: 'autoscale',
    label: 'Autoscaling',
    title: 'A pool that grows and shrinks',
    watch:
      'Sixty jobs land at once, then nothing for two seconds, then a trickle. Whenever more than ' +
      'five jobs per worker wait, the scaler adds a worker, up to eight; in the quiet, idle workers ' +
      'retire one by one until one is left for the trickle.',
    why:
      'A fixed pool is too small for the burst or idle the rest of the time. Growing on queue depth ' +
      'and shrinking on idle time follows the load; the minimum keeps it ready, the maximum ' +
      'protects whatever sits downstream.',
    fixLead: 'In practice:',
    fix: 'Count workers under one lock, so two idle ones cannot both retire past the minimum.',
    go: 'case <-time.After(idle): if p.retire() { return } // in the worker’s select',
    focus: ['scaling'],
  },
];

/**
 * What to watch in scenario `text` as set up by `config`: a scenario whose words name numbers
 * (`watchFor`) says the numbers of the setup on show, not the preset's.
 */
export function watchText(text, config) {
  return text.watchFor && config?.workers !== undefined ? text.watchFor(config) : text.watch;
}

/** The texts of scenario `name` (or of basic, for an unknown name). */
export function scenarioText(name) {
  return SCENARIOS.find((s) => s.name === name) ?? SCENARIOS[0];
}
