// The embed kit's one script: defines <pool-playground>. A blog post needs only
//   <script type="module" src="https://…/js/embed.js"></script>
//   <pool-playground scenario="deadlock-no-close" workers="3" jobs-buffer="0"></pool-playground>
// or, for the pipeline example, <pool-playground scenario="pipeline" stages="2x100,1x300,2x50">.
// Every element on a page shares one coordinator (one thread pool); runs take turns. The settings
// (attributes, named as in README's embedding section) are read when the element connects.

import { PoolClient } from './client.js';
import { mountEmbed } from './embed/widget.js';
import { mountChallenge } from './challenges/widget.js';
import { isGlobalAttribute } from './embed/settings.js';
import { mountPipelineEmbed } from './pipeline/embed.js';

let client = null;

/** The one coordinator every playground on this page shares. */
export function sharedClient() {
  if (!client) {
    client = new PoolClient();
    // Without threads `ready` rejects; each widget reads why when it gets there.
    client.ready.catch(() => {});
  }
  return client;
}

/** `<pool-playground>`: one preset of the worker pool, live on real threads or as a recording. */
class PoolPlayground extends HTMLElement {
  connectedCallback() {
    if (this.widget) return;
    // `settings` (set by the embed page from its URL) takes the place of attributes, so URL
    // parameters are never turned into attributes (an "onclick" one would be live).
    const pairs = this.settings ?? [...this.attributes].map(({ name, value }) => [name, value]);
    // `challenge=ID`: one of the challenges (challenges/list.js) instead of a preset.
    const challenge = pairs.find(([name]) => name === 'challenge');
    if (challenge) {
      const ignored = pairs.map(([name]) => name).filter((name) => name !== 'challenge' && !isGlobalAttribute(name));
      this.widget = mountChallenge(this.attachShadow({ mode: 'open' }), sharedClient(), { host: this, id: challenge[1], ignored });
      return;
    }
    if (pairs.some(([name, value]) => name === 'scenario' && value === 'pipeline')) {
      this.widget = mountPipelineEmbed(this.attachShadow({ mode: 'open' }), sharedClient(), { host: this, pairs });
      return;
    }
    this.widget = mountEmbed(this.attachShadow({ mode: 'open' }), sharedClient(), {
      host: this,
      pairs,
      syncUrl: this.syncUrl === true,
    });
  }

  /**
   * Runs the element's current setup on real threads; resolves with the report. A challenge
   * element checks the answer entered instead, and resolves with its grade (or null).
   */
  run() {
    return this.widget.run?.() ?? this.widget.check();
  }

  /** The report on show (the last live run's, or the recording's), or null. */
  get report() {
    return this.widget?.report() ?? null;
  }
}

if (!customElements.get('pool-playground')) customElements.define('pool-playground', PoolPlayground);
