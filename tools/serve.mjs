// A small static server for Poolplay: www/ at "/", the build's pkg/ at "/pkg/"; or, with `site`,
// one folder as it is (dist/, as a static host would serve it).
//
// With `isolated` (the default) every response carries the two headers that make the page
// cross-origin isolated, so SharedArrayBuffer (and so wasm threads) are available:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Every response also allows other origins to load it (CORS and CORP), as the embed kit needs when
// a blog on another site loads js/embed.js or frames embed.html. It listens on 127.0.0.1 only.
//
// To stand in for the hosts in README's "Publish it": `headers: 'plain'` sends only content types
// and `Access-Control-Allow-Origin: *`, like GitHub Pages (no isolation headers); `headers:
// 'file'` sends what the site's own `_headers` file asks for, like Netlify and Cloudflare Pages.
// Use it from code (`startServer`) or from the shell:
//   node tools/serve.mjs [--port 8080] [--site dist] [--headers isolated|plain|file]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.md': 'text/plain; charset=utf-8',
};

/** Maps a URL path to a file under one of the served folders, or null if it escapes them. */
function fileFor(urlPath, root, site) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  const [base, rest] = site
    ? [site, path.slice(1) || 'index.html']
    : path.startsWith('/pkg/')
    ? [join(root, 'pkg'), path.slice('/pkg/'.length)]
    : [join(root, 'www'), path.slice(1) || 'index.html'];
  const file = resolve(base, rest);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * Reads a Netlify-style `_headers` file: a path pattern (`*` matches anything) on its own line,
 * then its headers indented as `Name: value`. Returns `(path) => headers` for every rule that
 * matches, later rules winning.
 */
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      rules.push({ match: new RegExp(`^${pattern}$`), headers: {} });
    } else if (rules.length) {
      const colon = line.indexOf(':');
      rules.at(-1).headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return (path) => Object.assign({}, ...rules.filter(({ match }) => match.test(path)).map((r) => r.headers));
}

/** The headers a host of this kind sends with `file` (served at URL path `path`). */
async function headersFor(kind, site, file, path) {
  const type = { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' };
  // Hosts let browsers keep files for a while (GitHub Pages: ten minutes), so a second visit is warm.
  if (kind === 'plain' || kind === 'file') type['Cache-Control'] = 'max-age=600';
  if (kind === 'plain') return { ...type, 'Access-Control-Allow-Origin': '*' };
  if (kind === 'file') {
    const rules = parseHeadersFile(await readFile(join(site, '_headers'), 'utf8'));
    return { ...type, ...rules(path) };
  }
  const headers = {
    ...type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (kind === 'isolated') {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  return headers;
}

/**
 * Starts serving. Resolves with `{ url, close }`; `port` 0 picks a free port. `headers` is
 * `'isolated'` (the default), `'open'` (as isolated, less COOP and COEP), `'plain'` or `'file'`
 * (see above); `isolated: false` means `'open'`.
 * @param {{ root?: string, site?: string, port?: number, isolated?: boolean, headers?: string }} options
 */
export function startServer({ root = REPO, site, port = 0, isolated = true, headers: kind = isolated ? 'isolated' : 'open' } = {}) {
  const server = createServer(async (request, response) => {
    try {
      let file = fileFor(request.url, root, site);
      if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (!file) throw Object.assign(new Error('outside the site'), { code: 'ENOENT' });
      const body = await readFile(file);
      const path = new URL(request.url, 'http://host').pathname;
      response.writeHead(200, await headersFor(kind, site, file, path)).end(body);
    } catch (error) {
      const status = error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 404 : 500;
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(status === 404 ? 'not found\n' : 'server error\n');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      done({
        url: `http://127.0.0.1:${actual}/`,
        close: () => new Promise((closed) => server.close(closed)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const port = Number(option('--port') ?? 8080);
  const site = option('--site') && resolve(option('--site'));
  const headers = option('--headers') ?? 'isolated';
  const { url, close } = await startServer({ port, site, headers });
  console.log(`Poolplay is served at ${url} (headers: ${headers}; Ctrl-C stops it)`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
