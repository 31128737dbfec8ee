// The challenges page: every challenge (list.js) under the tutorial lesson it belongs to, with the
// reader's progress (progress.js) and a way to reset it. A challenge's widget is mounted when its
// entry is first opened (or named in the address, challenges.html#send-first-most), so the page
// stays light. The lessons' titles and order are read from the tutorial itself.

import { sharedClient } from '../embed.js';
import { CHALLENGES, KIND_WORDS } from './list.js';
import { onProgress, progressKept, readProgress, resetProgress, statusWords } from './progress.js';
import { mountChallenge } from './widget.js';

const client = sharedClient();
const TUTORIAL = new URL('../../tutorial.html', import.meta.url);

/** The tutorial's lessons in order, as `[{ id, title }]`; empty when it cannot be read. */
async function lessons() {
  try {
    const response = await fetch(TUTORIAL);
    if (!response.ok) return [];
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    return [...page.querySelectorAll('section.lesson[id]')].map((section) => ({
      id: section.id,
      title: section.querySelector('h2')?.textContent.trim() ?? section.id,
    }));
  } catch {
    return [];
  }
}

/** One challenge's entry: a disclosure whose widget is mounted when first opened. */
function entry(challenge) {
  const item = document.createElement('li');
  item.className = 'challenge-item';
  item.id = challenge.id;
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  const title = Object.assign(document.createElement('span'), { className: 'item-title', textContent: challenge.title });
  const kind = Object.assign(document.createElement('span'), { className: 'item-kind', textContent: KIND_WORDS[challenge.kind] });
  const status = Object.assign(document.createElement('span'), { className: 'item-status' });
  summary.append(title, kind, status);
  details.append(summary);
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('.challenge-host')) return;
    const host = Object.assign(document.createElement('div'), { className: 'challenge-host' });
    details.append(host);
    mountChallenge(host.attachShadow({ mode: 'open' }), client, { host, id: challenge.id, titled: false });
  });
  item.append(details);
  return { item, details, status };
}

const entries = new Map();

/** Every entry's status, and the count of solved ones. */
function showProgress() {
  const progress = readProgress();
  let solved = 0;
  let missed = 0;
  for (const [id, { status }] of entries) {
    const state = progress[id]?.status;
    if (state === 'solved') solved++;
    if (state === 'missed') missed++;
    status.textContent = statusWords(state);
    status.dataset.status = state ?? 'open';
  }
  const count = `${solved} of ${entries.size} solved`;
  document.querySelector('.progress-count').textContent = missed ? `${count}, ${missed} missed` : count;
}

async function build() {
  const known = await lessons();
  const order = [...known];
  for (const { lesson } of CHALLENGES) if (!order.some(({ id }) => id === lesson)) order.push({ id: lesson, title: lesson });
  const root = document.querySelector('#lessons');
  for (const { id, title } of order) {
    const mine = CHALLENGES.filter((challenge) => challenge.lesson === id);
    if (!mine.length) continue;
    const section = document.createElement('section');
    section.className = 'challenge-lesson';
    section.setAttribute('aria-labelledby', `lesson-${id}`);
    const heading = Object.assign(document.createElement('h2'), { id: `lesson-${id}` });
    const link = Object.assign(document.createElement('a'), { href: `tutorial.html#${id}`, textContent: title });
    heading.append(link);
    const list = Object.assign(document.createElement('ul'), { className: 'challenge-list' });
    for (const challenge of mine) {
      const made = entry(challenge);
      entries.set(challenge.id, made);
      list.append(made.item);
    }
    section.append(heading, list);
    root.append(section);
  }
  showProgress();
  openNamed();
}

/** Opens the challenge named in the address, if any. */
function openNamed() {
  const named = entries.get(decodeURIComponent(location.hash.slice(1)));
  if (!named) return;
  named.details.open = true;
  named.item.scrollIntoView();
}

onProgress(showProgress);
addEventListener('hashchange', openNamed);
document.querySelector('.reset').addEventListener('click', () => {
  resetProgress();
  document.querySelector('.reset-note').textContent = 'Progress cleared: every challenge is open again.';
});
if (!progressKept()) document.querySelector('.reset-note').textContent = 'This browser does not let the page keep your progress.';

const status = document.querySelector('#status');
client.ready.then(
  ({ threads }) => {
    status.textContent = `${threads} threads in the pool · cross-origin isolated`;
    status.className = 'status ok';
  },
  () => {
    status.textContent = 'threads are off on this page: challenges cannot be checked here';
    status.className = 'status bad';
  },
);
build();
