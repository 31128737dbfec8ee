// Below the playground: export the last run's trace (Chrome trace-event JSON, see trace-export.js).

import { downloadTrace } from './trace-export.js';

/** Fills `root` with the export button, enabled by each `poolplay-report` that `playground` announces. */
export function mountRunActions(root, playground) {
  const button = Object.assign(document.createElement('button'), {
    type: 'button',
    className: 'export',
    textContent: 'Export the last run’s trace',
    disabled: true,
  });
  const note = Object.assign(document.createElement('span'), {
    className: 'figure-note',
    textContent: ' JSON for Perfetto (ui.perfetto.dev) or chrome://tracing: a lane per actor, every job and wait.',
  });
  root.replaceChildren(button, note);
  let last = null;
  playground.addEventListener('poolplay-report', ({ detail }) => {
    last = detail;
    button.disabled = false;
  });
  button.addEventListener('click', () => last && downloadTrace(last));
}
