// The page: the three examples (the doubling playground, the image example, pipelines) behind a switch, the
// status line, and the scripting contract (window.poolplay).

import { PoolClient } from './client.js';
import { createExampleSwitch } from './examples.js';
import { mountImageExample } from './imaging.js';
import { mountPipeline } from './pipeline/widget.js';
import { mountPlayground } from './playground.js';
import { mountRunActions } from './run-actions.js';

const client = new PoolClient();
const playground = mountPlayground(document.querySelector('#playground'), client);
mountRunActions(document.querySelector('#run-actions'), document.querySelector('#playground'));
const images = mountImageExample(document.querySelector('#images'), client);
const pipeline = mountPipeline(document.querySelector('#pipeline'), client);
// The image module loads only when its example is shown (or run): the first load stays small.
const showExample = createExampleSwitch(
  document.querySelector('.example-switch'),
  [...document.querySelectorAll('main > section[data-example]')],
  (name) => {
    if (name === 'image') images.open();
    // The pipeline's runs are in the image module too: fetch it while the reader sets the knobs.
    if (name === 'pipeline') client.loadImaging().catch(() => {});
  },
);
const status = document.querySelector('#status');
const isolated = self.crossOriginIsolated === true;

/** Runs a config in the widget of its example (`example: "image"` or `"pipeline"`, or the doubling playground). */
function runExample(config) {
  if (config?.example === 'pipeline') {
    showExample('pipeline');
    return pipeline.run(config);
  }
  if (config?.example !== 'image') return playground.run(config);
  showExample('image');
  return images.run(config);
}

/** Publishes the scripting contract documented in README.md. */
function expose(threads, problem, scenarios = []) {
  window.poolplay = Object.freeze({
    version: 1,
    isolated,
    threads,
    scenarios: Object.freeze(scenarios),
    run: (config) => (problem ? Promise.reject(problem) : runExample(config)),
    cancel: () => playground.cancel(),
  });
  document.documentElement.dataset.poolplay = problem ? 'unavailable' : 'ready';
  performance.mark(`poolplay-${document.documentElement.dataset.poolplay}`); // ./build.sh bench reads it
}

client.ready.then(
  ({ threads, scenarios }) => {
    status.textContent = `starting ${threads} threads · cross-origin isolated`;
    status.className = 'status ok';
    expose(threads, null, scenarios);
    client.threadsStarted.then(() => {
      status.textContent = `${threads} threads in the pool · cross-origin isolated`;
      performance.mark('poolplay-threads'); // ./build.sh bench reads it
    });
  },
  async (error) => {
    if (document.documentElement.dataset.coi === 'reloading') {
      // poolplay-coi.js (dist/'s pages load it) is about to reload the page isolated: no notice yet.
      status.textContent = 'making the page cross-origin isolated…';
      await new Promise((resolve) => window.addEventListener('poolplay-coi', resolve, { once: true }));
    }
    status.textContent = isolated ? 'threads unavailable' : 'not cross-origin isolated: no threads';
    status.className = 'status bad';
    document.querySelector('#isolation').hidden = isolated;
    document.querySelector('#no-threads').hidden = !isolated;
    playground.disable(error.message);
    images.disable(error.message);
    pipeline.disable(error.message);
    expose(0, error);
    showRecording();
  },
);

/** Without threads: a recording of a real run of the basic preset, in the embed's replay widget. */
async function showRecording() {
  const { mountEmbed } = await import('./embed/widget.js');
  const host = document.querySelector('#recording');
  host.hidden = false;
  mountEmbed(host.attachShadow({ mode: 'open' }), client, { host, pairs: [['scenario', 'basic']], syncUrl: false });
}
