// embed.html: one <pool-playground> whose settings are the page's URL parameters
// (embed.html?scenario=deadlock-no-close&workers=3&jobs-buffer=0), and whose address follows the
// setup as the reader changes it, so the address bar is always a link to what is on screen. It is
// the iframe form of the embed kit and the "open in its own window" page.

import './embed.js';

const element = document.createElement('pool-playground');
element.settings = [...new URLSearchParams(location.search)];
element.syncUrl = true;
document.querySelector('#embed').append(element);
