// Submitting an image run: the config, the reader's files (their buffers transferred, not copied)
// and the live feed a widget draws from: which worker started which job, and each result.

import { workerNumber } from './model.js';

/**
 * Runs `config` (with `files`, `[{ name, bytes }]`) through `client`. `onStarted(config)` gets the
 * effective config, `onWorking(job, worker)` each job as a worker takes it, `onResults(results)`
 * the results as they are delivered. Resolves with the report.
 */
export function submitImageRun(client, config, files, { onStarted, onWorking, onResults }) {
  return client.submit(
    { type: 'run', config, files },
    {
      onStarted,
      onEvents(events) {
        for (const e of events) if (e.kind === 'started') onWorking?.(e.job, workerNumber(e.actor));
      },
      onResults,
    },
    files.map(({ bytes }) => bytes.buffer),
  );
}
