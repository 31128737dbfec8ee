// The challenges, as data: each a question about a pool, the setup it runs, what the reader
// answers and how a real run grades it (grade.js holds the measures and goals named here; the
// widget, widget.js, asks, runs and explains). The challenges page lists them in this order,
// grouped under the tutorial lesson each belongs to.
//
// Adding one is one entry here: `lesson` is the id of a tutorial section (tutorial.html), `setup`
// a config of the scripting contract (README; with `example: "pipeline"` the widget pictures the
// pipeline's runs instead of a pool's, and `panels` do not apply), and then by kind:
//   predict:   `answer` { type: 'choice', choices: [{ value, label }] } or { type: 'number', min, max },
//              `measure` (grade.js MEASURES): what the run's report says the answer is.
//   threshold: `field` (a config field), `direction` 'most' | 'least', `min`, `max`, `answerLabel`,
//   fewest:    `goal` (grade.js GOALS): the reader's value must meet the goal in a real run, and its
//              neighbour one step further (one more, or one fewer) must miss it in another. The
//              setup's own value of `field` must not be the answer (the picture shows the setup).
//   fix:       `fields` (the settings the reader may change, exactly one of them), `goal`.
// Every kind has `explain` (shown once the answer is known) and may have `hint` (shown after a
// wrong threshold or fix answer, which does not give the answer away) and `panels` (the
// picture's panels to show first: picture/panels.js).

/** Every challenge, in the order of the lessons. */
export const CHALLENGES = [
  {
    id: 'why-most-workers',
    lesson: 'why',
    kind: 'threshold',
    title: 'How big can the pool get?',
    question:
      'Each job here is a request to a service that serves at most 4 requests at once and refuses ' +
      'the rest with “429 Too Many Requests”. What is the most workers this pool can have without a ' +
      'single refusal?',
    setup: { scenario: 'basic', jobs: 12, workMs: 150, serviceConcurrency: 4 },
    field: 'workers',
    answerLabel: 'Workers',
    direction: 'most',
    min: 1,
    max: 16,
    goal: { name: 'noRefusals' },
    hint: 'A worker has one request in flight at a time. How many can the pool have in flight?',
    explain:
      '4. Each worker makes one request at a time, so a pool of 4 never has more than 4 in flight, ' +
      'whatever the number of jobs; a fifth worker is a fifth request against a limit of 4, and the ' +
      'service refuses it. A pool is a bound you choose; a goroutine per job has none.',
    panels: ['accounting'],
  },
  {
    id: 'basic-one-worker',
    lesson: 'basic',
    kind: 'predict',
    title: 'One worker: in what order?',
    question: 'One worker, eight jobs of 50 ms. In what order do the results reach the consumer?',
    setup: { scenario: 'basic', workers: 1, jobs: 8, workMs: 50 },
    answer: {
      type: 'choice',
      choices: [
        { value: 'job order', label: 'In job order: 1, 2, 3 … 8' },
        { value: 'mixed', label: 'In some other order' },
      ],
    },
    measure: 'arrivalOrder',
    explain:
      'In job order. A single worker takes the jobs one at a time, in the order the producer sent ' +
      'them, and sends each result before it takes the next job, so nothing can overtake. Results ' +
      'come back out of order only when several workers finish at different times.',
    panels: ['ordering'],
  },
  {
    id: 'errors-count',
    lesson: 'errors',
    kind: 'predict',
    title: 'How many answers come back?',
    question:
      'Twenty jobs; about one in five fails, and job 3 always does. Each worker puts a failure in ' +
      'its result. How many results does the consumer receive?',
    setup: { scenario: 'errors', workMs: 50 },
    answer: { type: 'number', min: 0, max: 20 },
    measure: 'resultsReceived',
    explain:
      'All 20. A failed job still sends a result, carrying its error, so the consumer hears about ' +
      'every job: it can count the failures exactly (the accounting panel) and knows when the ' +
      'batch is over. A worker that only logged its errors would leave a gap nobody could explain.',
    panels: ['accounting'],
  },
  {
    id: 'ordering-second',
    lesson: 'ordering',
    kind: 'predict',
    title: 'Who overtakes?',
    question:
      'Three workers, eight jobs costing 200, 600, 600 and 100 ms in turn (job 5 costs 200 again, ' +
      'and so on). Which job’s result reaches the consumer second?',
    setup: { scenario: 'ordering', workers: 3, jobs: 8, jobCostMs: [200, 600, 600, 100] },
    answer: {
      type: 'choice',
      choices: [
        { value: '2', label: 'Job 2' },
        { value: '3', label: 'Job 3' },
        { value: '4', label: 'Job 4' },
        { value: '5', label: 'Job 5' },
      ],
    },
    measure: 'secondArrival',
    explain:
      'Job 4. Jobs 1, 2 and 3 start together; job 1 is done at 200 ms, and its worker takes job 4 ' +
      'and is done with it at 300 ms, long before jobs 2 and 3 (600 ms). A short job taken later ' +
      'overtakes long ones taken earlier: that is why a result must carry its job number.',
    panels: ['ordering'],
  },
  {
    id: 'backpressure-peak',
    lesson: 'backpressure',
    kind: 'predict',
    title: 'How full does the results channel get?',
    question:
      'Two workers each finish a job every 100 ms, the consumer takes 200 ms over each result, and ' +
      'the results channel has room for 3. What is the most results ever waiting in it at once?',
    setup: { scenario: 'backpressure', jobs: 12, workMs: 100, consumerMs: 200, resultsBuffer: 3 },
    answer: { type: 'number', min: 0, max: 12 },
    measure: 'maxResultsQueued',
    explain:
      '3, the buffer’s size, and never more. Once it is full a worker’s send waits (see its lane), ' +
      'so the backlog moves back into the workers, then the jobs channel, then the producer. A ' +
      'bigger buffer only moves the point where everyone waits; it does not make the consumer faster.',
    panels: ['queues'],
  },
  {
    id: 'deadlock-fix-close',
    lesson: 'deadlocks',
    kind: 'fix',
    title: 'Make it finish',
    question: 'This pool does all its work and then deadlocks. Change one setting so that it finishes.',
    setup: { scenario: 'deadlock-no-close', jobs: 6, workMs: 50 },
    fields: ['workers', 'jobsBuffer', 'resultsBuffer', 'closeJobs', 'collect'],
    goal: { name: 'finishes' },
    hint: 'Every job was done. What are the workers still waiting for?',
    explain:
      'The producer must close the jobs channel. close(jobs) is how the workers learn there is no ' +
      'more work: without it they wait in their range loop forever, wg.Wait() never returns, ' +
      'results never close and the consumer waits too. No buffer size or worker count replaces it.',
  },
  {
    id: 'send-first-most',
    lesson: 'deadlocks',
    kind: 'threshold',
    title: 'Send everything first: how many jobs fit?',
    question:
      'Here the producer sends every job before it reads any result. With 3 workers, a jobs ' +
      'buffer of 2 and a results buffer of 1, what is the most jobs this pool can take without ' +
      'deadlocking?',
    setup: { scenario: 'deadlock-circular', workers: 3, jobsBuffer: 2, resultsBuffer: 1, workMs: 20, jobs: 12 },
    field: 'jobs',
    answerLabel: 'Jobs',
    direction: 'most',
    min: 1,
    max: 40,
    goal: { name: 'finishes' },
    hint: 'Until the producer starts reading, where can a job or its result wait?',
    explain:
      '6 = 3 workers + jobs buffer 2 + results buffer 1. Until the producer reads, every job must ' +
      'wait somewhere: each worker holds one finished result it cannot send, the results buffer ' +
      'holds one and the jobs buffer two. Job 7 has nowhere to go, so the producer waits to send ' +
      'it, and the producer is the only reader of results: a circle. It finishes exactly while ' +
      'jobs ≤ workers + jobs buffer + results buffer.',
    panels: ['queues'],
  },
  {
    id: 'wait-first-buffer',
    lesson: 'deadlocks',
    kind: 'threshold',
    title: 'Wait first: how big a results buffer?',
    question:
      'Here the consumer calls wg.Wait() before it reads any result, so nothing is read until every ' +
      'worker is done. With 8 jobs, what is the smallest results buffer that lets it finish?',
    setup: { scenario: 'deadlock-after-wait', jobs: 8, jobsBuffer: 8, workMs: 30 },
    field: 'resultsBuffer',
    answerLabel: 'Results buffer',
    direction: 'least',
    min: 0,
    max: 100,
    goal: { name: 'finishes' },
    hint: 'A worker is done only once it has sent its last result. Who reads them meanwhile?',
    explain:
      '8, a slot per job. A worker is done only when its last result is sent, and nothing reads ' +
      'results until all are done, so every result must fit in the buffer. With 7 slots the worker ' +
      'holding the 8th waits forever, and wg.Wait() with it. Real code does not size the buffer: it ' +
      'reads while the workers run and closes results from a goroutine of its own.',
    panels: ['queues'],
  },
  {
    id: 'circular-fix',
    lesson: 'deadlocks',
    kind: 'fix',
    title: 'Break the circle',
    question:
      'Unbuffered channels, and the producer reads results only after sending all 10 jobs: the ' +
      'producer waits for a worker, each worker waits for a reader. Break the circle with one change.',
    setup: { scenario: 'deadlock-circular', jobs: 10, workMs: 20 },
    fields: ['workers', 'jobsBuffer', 'resultsBuffer', 'collect'],
    goal: { name: 'finishes' },
    hint: 'Either someone reads results while the jobs go out, or all 10 jobs find room somewhere.',
    explain:
      'Several single changes work. The real fix: collect concurrently, a consumer that reads ' +
      'while the producer sends. Or give all 10 jobs room, since it finishes exactly while jobs ≤ ' +
      'workers + jobs buffer + results buffer: 10 workers, or a jobs buffer of 7, or a results ' +
      'buffer of 7.',
  },
  {
    id: 'close-early-predict',
    lesson: 'deadlocks',
    kind: 'predict',
    title: 'Closing results too early',
    question:
      'The closer calls close(results) straight away instead of after wg.Wait(). Six jobs of 100 ms. ' +
      'What happens?',
    setup: { scenario: 'panic-send-on-closed', jobs: 6, workMs: 100 },
    answer: {
      type: 'choice',
      choices: [
        { value: 'completed', label: 'It completes, every result delivered' },
        { value: 'deadlock', label: 'It deadlocks' },
        { value: 'panic', label: 'It panics' },
      ],
    },
    measure: 'outcome',
    explain:
      'It panics: the first worker to send a result sends on a closed channel, and in Go that is ' +
      '“panic: send on closed channel”. Only the sender side may close, and only once every sender ' +
      'is done, which is what wg.Wait() before close(results) guarantees. (A real Go program whose ' +
      'main is the consumer may even return first and end with no panic and no results; Poolplay ' +
      'waits for every actor, so you see the panic.)',
  },
  {
    id: 'cancel-drain',
    lesson: 'cancel',
    kind: 'predict',
    title: 'What does drain finish?',
    question:
      '3 workers, 40 jobs of 300 ms, a jobs buffer of 10. At 1150 ms the pool is cancelled with ' +
      '“drain”: stop sending, finish everything already queued. How many of the 40 jobs get done?',
    setup: { scenario: 'cancel', shutdown: 'drain', cancelAfterMs: 1150 },
    answer: { type: 'number', min: 0, max: 40 },
    measure: 'doneJobs',
    explain:
      '22. By 1150 ms the workers have finished 9 jobs and are in the middle of jobs 10 to 12, and ' +
      'the buffer holds the next 10 (13 to 22). Drain finishes those 3 and those 10; the producer, ' +
      'refused, closes jobs, and 23 to 40 never start. Graceful would have dropped the 10 queued ' +
      '(12 done); force would also cut the work in flight short after its grace period.',
    panels: ['accounting'],
  },
  {
    id: 'retries-attempts',
    lesson: 'retries',
    kind: 'threshold',
    title: 'How many attempts are enough?',
    question:
      'Job 3 fails every attempt; each attempt at the other 19 fails with a chance of 40 % (the same ' +
      'draws on every run). What is the fewest attempts per job that leaves only job 3 in the ' +
      'dead-letter queue?',
    setup: { scenario: 'retry', workMs: 50, maxAttempts: 1 },
    field: 'maxAttempts',
    answerLabel: 'Attempts per job',
    direction: 'least',
    min: 1,
    max: 10,
    goal: { name: 'deadLetters', jobs: [3] },
    hint: 'Try a value and look at the dead-letter queue: which jobs are still in it?',
    explain:
      '4. With 3 attempts job 16 still fails all of them; a fourth saves it. Each retry rescues ' +
      'more passing failures and costs a growing wait, and a job that always fails (job 3) ends in ' +
      'the dead-letter queue however many attempts you allow: retries are for passing failures only.',
    panels: ['retry'],
  },
  {
    id: 'autoscale-peak',
    lesson: 'autoscale',
    kind: 'predict',
    title: 'How far does it grow?',
    question:
      'Sixty jobs arrive at once. The scaler adds a worker whenever more than 5 jobs per worker are ' +
      'waiting, between 1 and 8 workers. What is the most workers it runs at once?',
    setup: { scenario: 'autoscale' },
    answer: {
      type: 'choice',
      choices: [
        { value: '4', label: '4' },
        { value: '8', label: '8' },
        { value: '12', label: '12' },
        { value: '16', label: '16' },
      ],
    },
    measure: 'peakWorkers',
    explain:
      '8, the ceiling. Sixty waiting jobs would call for 12 workers at 5 each, but the scaler never ' +
      'goes past maxWorkers; once the burst is done, idle workers retire down to the floor again.',
    panels: ['scaling'],
  },
  {
    id: 'sizing-deadline',
    lesson: 'sizing',
    kind: 'fewest',
    title: 'Meet the deadline with the fewest workers',
    question:
      '16 jobs that each wait 250 ms (like a download) must all be done within 1.4 s: at 1400 ms ' +
      'the context is cancelled, and work still going is cut off. What is the fewest workers that ' +
      'finishes every job in time?',
    setup: { scenario: 'basic', jobs: 16, workMs: 250, jobsBuffer: 8, cancelAfterMs: 1400, shutdown: 'force', shutdownTimeoutMs: 0 },
    field: 'workers',
    answerLabel: 'Workers',
    direction: 'least',
    min: 1,
    max: 16,
    goal: { name: 'finishes' },
    hint: 'The jobs go in rounds, one per worker at a time. How many rounds fit before the deadline?',
    explain:
      '4: 16 jobs in rounds of 4 take 4 × 250 ms = 1 s, while 3 workers need 6 rounds, 1.5 s. ' +
      'These jobs wait rather than compute, so workers beyond your cores still help; more than 4 ' +
      'only adds capacity the deadline does not need.',
    panels: ['accounting'],
  },
  {
    id: 'pipeline-widen',
    lesson: 'pipelines',
    kind: 'predict',
    title: 'Widen the bottleneck',
    question:
      'The lesson’s pipeline: stage 1 has 2 workers at 100 ms a job, stage 2 one worker at 300 ms, ' +
      'stage 3 2 workers at 50 ms, and stage 2 is the bottleneck. Give stage 2 seven workers. ' +
      'Which stage is the bottleneck now?',
    setup: {
      example: 'pipeline',
      jobs: 12,
      stages: [
        { workers: 2, workMs: 100 },
        { workers: 7, workMs: 300 },
        { workers: 2, workMs: 50 },
      ],
    },
    answer: {
      type: 'choice',
      choices: [
        { value: '1', label: 'Stage 1' },
        { value: '2', label: 'Stage 2, still' },
        { value: '3', label: 'Stage 3' },
      ],
    },
    measure: 'bottleneck',
    explain:
      'Stage 1. A stage gets through a job every “work ÷ workers”: stage 1 every 100 ÷ 2 = 50 ms, ' +
      'stage 2 now every 300 ÷ 7 ≈ 43 ms, stage 3 every 25 ms. So stage 1 is the slowest: its two ' +
      'workers work without a pause until the jobs run out, while stage 2’s seven keep waiting to ' +
      'receive (their lanes, and the stage table). Widening a bottleneck moves it; from here a ' +
      'worker more for stage 2 changes nothing, one for stage 1 does.',
  },
];

/** The challenge called `id`, or undefined. */
export const challengeById = (id) => CHALLENGES.find((challenge) => challenge.id === id);

/** What each kind asks of the reader, in a few words (the widget's heading). */
export const KIND_WORDS = {
  predict: 'Predict, then run',
  threshold: 'Find the limit',
  fewest: 'Fewest workers',
  fix: 'Fix it with one change',
};
