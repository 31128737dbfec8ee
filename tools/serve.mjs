// A small static server for Poolplay: www/ at "/", the build's pkg/ at "/pkg/".
//
// With `isolated` (the default) every response carries the two headers that make the page
// cross-origin isolated, so SharedArrayBuffer (and so wasm threads) are available:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Every response also allows other origins to load it (CORS and CORP), as the embed kit needs when
// a blog on another site loads js/embed.js or frames embed.html. It listens on 127.0.0.1 only. Use it from code (`startServer`) or from the shell:
//   node tools/serve.mjs [--port 8080]

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
function fileFor(urlPath, root) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  const [base, rest] = path.startsWith('/pkg/')
    ? [join(root, 'pkg'), path.slice('/pkg/'.length)]
    : [join(root, 'www'), path.slice(1) || 'index.html'];
  const file = resolve(base, rest);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * Starts serving. Resolves with `{ url, close }`; `port` 0 picks a free port.
 * @param {{ root?: string, port?: number, isolated?: boolean }} options
 */
export function startServer({ root = REPO, port = 0, isolated = true } = {}) {
  const server = createServer(async (request, response) => {
    const headers = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    try {
      let file = fileFor(request.url, root);
      if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (!file) throw Object.assign(new Error('outside the site'), { code: 'ENOENT' });
      const body = await readFile(file);
      headers['Content-Type'] = MIME[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, headers).end(body);
    } catch (error) {
      const status = error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 404 : 500;
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      response.writeHead(status, headers).end(status === 404 ? 'not found\n' : 'server error\n');
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
  const at = process.argv.indexOf('--port');
  const port = at > 0 ? Number(process.argv[at + 1]) : 8080;
  const { url, close } = await startServer({ port });
  console.log(`Poolplay is served at ${url} (cross-origin isolated; Ctrl-C stops it)`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
