// The actors as status chips: running, blocked (and on what, in plain words), or done.

import { actorLabel, workerNumber } from '../model.js';
import { REASON_COLORS, describeBlock, workerColor } from './palette.js';

/** What an actor is doing, in plain words. */
function describe({ state, block, job, panic, backoff, retired }) {
  switch (state) {
    case 'idle':
      return 'not started';
    case 'blocked':
      return describeBlock(block);
    case 'exited':
      return retired ? 'retired after idling' : 'done';
    case 'released':
      return `released while ${describeBlock(block)}`;
    case 'panicked':
      return `panicked: ${panic}`;
    case 'stuck':
      return `stuck ${describeBlock(block)}`;
    default:
      if (backoff) return `waiting ${Math.round(backoff.ms)} ms to retry job ${backoff.job}`;
      return job ? `working on job ${job}` : 'running';
  }
}

/** Builds the chips inside `root`; returns `update(model)`. */
export function createActorView(root) {
  let chips = new Map();
  let names = null;

  return function update(model) {
    if (model.actorNames !== names) {
      names = model.actorNames;
      chips = new Map(
        names.map((actor) => {
          const chip = document.createElement('li');
          const k = workerNumber(actor);
          chip.style.setProperty('--accent', k ? workerColor(k) : '#495057');
          return [actor, chip];
        }),
      );
      root.replaceChildren(...chips.values());
    }
    for (const [actor, chip] of chips) {
      const { state, block } = model.actors[actor];
      const name = actorLabel(actor);
      const text = `${name}: ${describe(model.actors[actor])}`;
      const wait = block && (state === 'blocked' || state === 'stuck') ? REASON_COLORS[block.reason] : 'transparent';
      // Many frames change little: only what changed is written, so the page is not laid out anew.
      if (chip.textContent === text && chip.dataset.state === state && chip.dataset.wait === wait) continue;
      chip.className = `actor ${state}`;
      chip.dataset.state = state;
      chip.dataset.wait = wait;
      chip.style.setProperty('--wait', wait);
      chip.textContent = text;
    }
  };
}
