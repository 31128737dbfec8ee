// embed.html: one <pool-playground> whose settings are the page's URL parameters
// (embed.html?scenario=deadlock-no-close&workers=3&jobs-buffer=0), and whose address follows the
// setup as the reader changes it, so the address bar is always a link to what is on screen. It is
// the iframe form of the embed kit and the "open in its own window" page.
//
// In an iframe it tells its parent how tall it is whenever that changes, as the message
// `{ type: 'poolplay-height', height }` (CSS pixels), so the host page can size the frame to fit
// (README: the iframe snippet does this). The message carries nothing but the height.

import './embed.js';

const element = document.createElement('pool-playground');
element.settings = [...new URLSearchParams(location.search)];
element.syncUrl = true;
document.querySelector('#embed').append(element);

if (window.parent !== window) {
  let posted = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === posted) return;
    posted = height;
    window.parent.postMessage({ type: 'poolplay-height', height }, '*');
  };
  new ResizeObserver(post).observe(document.body);
  post();
}
