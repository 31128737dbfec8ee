// The knobs of the production patterns (README, "Production patterns"): who takes the jobs, the
// downstream service's limits, retries and backoff, the autoscaler's bounds and rules, and the
// producer's pacing. Ranges and defaults are the ones the core enforces (src/service.rs,
// src/retry.rs, src/scaling.rs, src/arrivals.rs).

/** The knobs, in the order the controls show them. */
export const PRODUCTION_KNOBS = [
  {
    name: 'pool',
    label: 'Who takes the jobs',
    kind: 'select',
    value: 'fixed',
    options: [
      ['fixed', 'a fixed pool'],
      ['autoscale', 'an autoscaling pool'],
      ['unbounded', 'no pool: a task per job'],
      ['compare', 'no pool, then a pool'],
    ],
  },
  { name: 'serviceConcurrency', label: 'Service: requests at once', min: 1, max: 100, step: 1, value: '', type: 'number', optional: true, placeholder: 'no service' },
  { name: 'serviceRate', label: 'Service: requests per second', min: 1, max: 1000, step: 1, value: '', type: 'number', optional: true, placeholder: 'no rate limit' },
  { name: 'maxAttempts', label: 'Attempts per job', min: 1, max: 10, step: 1, value: 1 },
  { name: 'backoffMs', label: 'First retry after (ms)', min: 0, max: 10000, step: 10, value: 100, type: 'number' },
  { name: 'backoffFactor', label: 'Each next wait ×', min: 1, max: 10, step: 0.5, value: 2 },
  { name: 'backoffCapMs', label: 'Longest wait (ms)', min: 0, max: 60000, step: 100, value: 2000, type: 'number' },
  { name: 'backoffJitter', label: 'Jitter: trim waits by up to', min: 0, max: 1, step: 0.05, value: 0 },
  { name: 'minWorkers', label: 'Autoscaling: fewest workers', min: 1, max: 16, step: 1, value: 1 },
  { name: 'maxWorkers', label: 'Autoscaling: most workers', min: 1, max: 16, step: 1, value: 8 },
  { name: 'scaleUpPerWorker', label: 'Grow above queued per worker', min: 1, max: 100, step: 1, value: 5 },
  { name: 'idleTimeoutMs', label: 'Retire after idling (ms)', min: 10, max: 60000, step: 10, value: 500, type: 'number' },
  { name: 'burstJobs', label: 'Jobs sent at once first', min: 0, max: 10000, step: 1, value: '', type: 'number', optional: true, placeholder: 'all of them' },
  { name: 'quietMs', label: 'Then a quiet period (ms)', min: 0, max: 60000, step: 100, value: 0, type: 'number' },
  { name: 'tailGapMs', label: 'Then one job every (ms)', min: 0, max: 10000, step: 10, value: 0, type: 'number' },
];
