// The tutorial page: each lesson's slot gets a <pool-playground> for its preset, or, when this
// build does not have that preset yet, a plain note that it is coming (never a stand-in). The
// sizing lesson also gets the image example's sweep, which measures this machine; the pipelines
// lesson gets the pipeline example, set up as its slot's `data-settings` say (as an embed's attributes). Everything shares
// one thread pool (embed.js); the status line says whether it runs live.

import { sharedClient } from './embed.js';
import { recordingNames } from './embed/recordings.js';
import { createSweepWidget } from './image-sweep.js';
import { fillChallengeSlots } from './challenges/slots.js';
import { presetOf } from './pipeline/embed.js';
import { mountPipeline } from './pipeline/widget.js';

const client = sharedClient();
const status = document.querySelector('#status');

/** The presets a lesson can show: the core's, or, where the module cannot load, the recorded ones. */
async function availablePresets() {
  const [live, recorded] = await Promise.all([client.scenarios, recordingNames().catch(() => [])]);
  return new Set([...live.map(({ name }) => name), ...recorded]);
}

/** Puts the lesson's pool in `slot`, set up as its `data-settings` say ("workers=2 jobs=32"). */
function fill(slot, presets) {
  const scenario = slot.dataset.scenario;
  if (!presets.has(scenario)) {
    slot.classList.add('coming');
    slot.textContent = `Coming: this lesson’s live pool needs the “${scenario}” preset, which this build does not have yet.`;
    return;
  }
  const element = document.createElement('pool-playground');
  element.setAttribute('scenario', scenario);
  for (const pair of (slot.dataset.settings ?? '').split(/\s+/).filter(Boolean)) {
    const [name, value] = pair.split('=');
    element.setAttribute(name, value);
  }
  slot.replaceChildren(element);
}

fillChallengeSlots(document, client);

availablePresets().then((presets) => {
  for (const slot of document.querySelectorAll('.widget-slot[data-scenario]')) fill(slot, presets);
});

// The sizing lesson compares the page's threads with this machine's cores, when the browser says.
const cores = navigator.hardwareConcurrency;
if (cores) for (const span of document.querySelectorAll('.cores')) span.textContent = `this browser reports ${cores}`;

const sweepSlot = document.querySelector('.widget-slot[data-widget="image-sweep"]');
sweepSlot.replaceChildren();
const sweep = createSweepWidget(sweepSlot, client);
sweep.setAvailable(false);

client.ready.then(
  ({ threads }) => {
    status.textContent = `${threads} threads in the pool · cross-origin isolated`;
    status.className = 'status ok';
    sweep.setAvailable(true);
  },
  () => {
    status.textContent = 'threads are off on this page: the pools play recordings';
    status.className = 'status bad';
    const note = document.createElement('p');
    note.className = 'coming-note';
    note.textContent = 'The sweep measures this machine, so it needs threads; there is no recording of it. Open this page where it is cross-origin isolated to run it.';
    sweepSlot.prepend(note);
  },
);

const pipelineSlot = document.querySelector('.widget-slot[data-widget="pipeline"]');
if (pipelineSlot) {
  const pairs = (pipelineSlot.dataset.settings ?? '').split(/\s+/).filter(Boolean).map((pair) => pair.split('='));
  pipelineSlot.replaceChildren();
  const pipeline = mountPipeline(pipelineSlot, client, { preset: presetOf(pairs) });
  client.ready.catch(() => pipeline.disable('The pipeline needs threads, and this page has none: it has no recording to play instead.'));
}
