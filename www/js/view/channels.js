// A channel drawn as a row of slots that fill and empty (a buffer too big for slots to read, as a
// gauge that fills); an unbuffered channel as a hand-off point with no room at all.

/** Above this many slots a buffer is drawn as a gauge. */
const MOST_SLOTS = 24;

/** Builds the view of one channel inside `root`; returns `update(channelState)`. */
export function createChannelView(root, title) {
  root.classList.add('channel');
  const heading = document.createElement('div');
  heading.className = 'channel-title';
  const slots = document.createElement('div');
  slots.className = 'slots';
  root.replaceChildren(heading, slots);
  let drawn = null;
  let drawnVersion = -1;

  return function update(channel) {
    if (drawn === channel && channel.version === drawnVersion) return;
    drawn = channel;
    drawnVersion = channel.version;
    const state = (channel.closed ? ' · closed' : '') + (channel.dropped ? ` · ${channel.dropped} queued jobs dropped` : '');
    heading.textContent =
      channel.cap === 0
        ? `${title}: unbuffered (each send waits for a receiver)${state}`
        : `${title}: ${channel.items.length} of ${channel.cap}${state}`;
    root.classList.toggle('closed', channel.closed);
    if (channel.cap > MOST_SLOTS) {
      if (!slots.classList.contains('gauge')) {
        slots.className = 'slots gauge';
        slots.replaceChildren(document.createElement('span'));
      }
      slots.firstChild.style.width = `${(100 * channel.items.length) / channel.cap}%`;
      return;
    }
    if (slots.classList.contains('gauge')) {
      slots.className = 'slots';
      slots.replaceChildren();
    }
    const count = Math.max(channel.cap, 1);
    while (slots.children.length < count) slots.append(document.createElement('span'));
    while (slots.children.length > count) slots.lastChild.remove();
    [...slots.children].forEach((slot, i) => {
      const job = channel.items[i];
      const className = channel.cap === 0 ? 'slot handoff' : job === undefined ? 'slot' : 'slot full';
      const text = job === undefined ? '' : String(job);
      // Only the slots that changed are written, so a busy channel does not restyle all of them.
      if (slot.className !== className) slot.className = className;
      if (slot.textContent !== text) slot.textContent = text;
    });
  };
}
