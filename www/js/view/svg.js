// A tiny helper for building SVG without markup strings (text always goes in as textContent).

const NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and, optionally, text content. */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
