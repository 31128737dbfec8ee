// Finishes dist/ after build.sh has copied the site into it (www/ at the top, pkg/'s modules in
// pkg/): every page loads poolplay-coi.js first, _headers tells the hosts that read it (Netlify,
// Cloudflare Pages) to send the isolation headers and the right content types, and .nojekyll
// tells GitHub Pages to serve the files as they are.
//
// Usage: node tools/dist.mjs dist

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The headers every file gets: cross-origin isolation, and leave for other sites to embed it. */
export const SITE_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
};

/** Content types by extension, for hosts that guess wrong (a .wasm must be application/wasm to stream). */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The `_headers` file: a rule for every path, then one per content type. */
export function headersFile() {
  const lines = ['# Netlify and Cloudflare Pages read this file. See README, "Publish it".', '/*'];
  for (const [name, value] of Object.entries(SITE_HEADERS)) lines.push(`  ${name}: ${value}`);
  for (const [extension, type] of Object.entries(CONTENT_TYPES)) lines.push(`/*${extension}`, `  Content-Type: ${type}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The service worker that isolates the site where the host sends no headers (GitHub Pages): a
 * classic script, first in <head>, so it runs before anything that needs threads.
 */
const REGISTER = '<script src="poolplay-coi.js"></script>';

/** `html` with the service worker loaded first thing in its head. */
export function withServiceWorker(html) {
  if (html.includes(REGISTER)) return html;
  const at = html.indexOf('<meta charset="utf-8">');
  if (at < 0) throw new Error('a page without <meta charset="utf-8"> to put the service worker after');
  const end = at + '<meta charset="utf-8">'.length;
  return `${html.slice(0, end)}\n  ${REGISTER}${html.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? 'dist');
  for (const name of await readdir(dist)) {
    if (!name.endsWith('.html')) continue;
    const page = join(dist, name);
    await writeFile(page, withServiceWorker(await readFile(page, 'utf8')));
  }
  await writeFile(join(dist, '_headers'), headersFile());
  // GitHub Pages: serve the files as they are, without running Jekyll over them.
  await writeFile(join(dist, '.nojekyll'), '');
}
