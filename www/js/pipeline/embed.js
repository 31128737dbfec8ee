// The pipeline as an embed: `<pool-playground scenario="pipeline">`, in the element's shadow root.
// Attributes (kebab case, as the other embeds'): `jobs`, `jobs-buffer`, `cancel-after-ms`,
// `shutdown`, `cancel-reaches`, and `stages` written as workers × ms per stage, `"2x100,1x300,2x50"`.
// They only set the knobs' first values; the core judges them like any change of a knob, and its
// words show in the widget.

import { loadPipelineRecording } from '../embed/recordings.js';
import { mountPipeline } from './widget.js';

const NUMBERS = { jobs: 'jobs', 'jobs-buffer': 'jobsBuffer', 'cancel-after-ms': 'cancelAfterMs' };
const CHOICES = { shutdown: 'shutdown', 'cancel-reaches': 'cancelReaches' };

/** `"2x100,1x300"` as stages `[{ workers: 2, workMs: 100 }, …]`; an entry that is not `NxM` is kept as text for the core to refuse. */
export function stagesOf(text) {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\d+)\s*[x×]\s*(\d+)$/.exec(entry);
      return match ? { workers: Number(match[1]), workMs: Number(match[2]) } : { workers: entry };
    });
}

/** The pipeline config that the element's `pairs` (attribute name, value) describe. */
export function presetOf(pairs) {
  const preset = {};
  for (const [name, value] of pairs) {
    if (NUMBERS[name]) preset[NUMBERS[name]] = /^\d+$/.test(value) ? Number(value) : value;
    else if (CHOICES[name]) preset[CHOICES[name]] = value;
    else if (name === 'stages') preset.stages = stagesOf(value);
  }
  return preset;
}

/**
 * Mounts the pipeline widget in `shadow` with the site's stylesheet, set up from `pairs`. Returns
 * `{ run(), report() }`, as the element's other widgets do. The element `host` says how it runs:
 * `data-mode` `threads`, `recording` (no threads: the recorded run of the pipeline's defaults is
 * shown, tools/record.mjs) or `off` (neither) and `data-state` `checking`, `ready`, `running`,
 * `recording` (or `off`).
 */
export function mountPipelineEmbed(shadow, client, { host, pairs }) {
  const root = document.createElement('div');
  root.className = 'embed-pipeline';
  const stylesheet = document.createElement('link');
  stylesheet.rel = 'stylesheet';
  stylesheet.href = new URL('../../style.css', import.meta.url).href;
  shadow.replaceChildren(stylesheet, root);
  host.dataset.state = 'checking';
  const widget = mountPipeline(root, client, {
    preset: presetOf(pairs),
    onState: (state) => {
      host.dataset.state = state;
    },
  });
  client.ready.then(
    () => {
      host.dataset.mode = 'threads';
      widget.ready.then(() => {
        if (host.dataset.state === 'checking') host.dataset.state = 'ready';
      });
      client.loadImaging().catch(() => {});
    },
    async (error) => {
      host.dataset.mode = 'off';
      const why = `${error.message} The pipeline needs threads: open this page where it is cross-origin isolated.`;
      widget.disable(why);
      const recording = await loadPipelineRecording().catch(() => null);
      if (recording) {
        const shown = `Below is a recording of a real run of the pipeline's defaults on ${recording.stats.threads} threads; this embed's own settings apply where it can run.`;
        widget.disable(`${why} ${shown}`);
        await widget.showRecording(recording);
        host.dataset.mode = 'recording';
      }
      host.dataset.state = recording ? 'recording' : 'off';
    },
  );
  return { run: () => widget.run(widget.current()), report: widget.report };
}
