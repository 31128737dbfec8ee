// The tutorial's challenge slots: each `<div class="challenge-slot" data-challenge="ID">` gets
// that challenge's widget (widget.js), in a shadow root of its own, run through the page's shared
// client.

import { mountChallenge } from './widget.js';

/** Mounts a challenge in every challenge slot of `root`, through `client`. */
export function fillChallengeSlots(root, client) {
  for (const slot of root.querySelectorAll('.challenge-slot[data-challenge]')) {
    if (slot.shadowRoot) continue;
    mountChallenge(slot.attachShadow({ mode: 'open' }), client, { host: slot, id: slot.dataset.challenge });
  }
}
