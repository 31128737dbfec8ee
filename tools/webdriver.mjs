// A small W3C WebDriver client over fetch, for the browser Playwright cannot drive: Debian's
// Firefox ESR through geckodriver (both installed by ./build.sh setup). It knows just what the
// cross-browser end-to-end tests need: open a page, run a script in it, click, take a screenshot.
//
//   const firefox = await openFirefox();
//   await firefox.goto(url);
//   const threads = await firefox.evaluate(() => window.poolplay.threads);
//   await firefox.close();

import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SCREENSHOTS } from './browser.mjs';

/** A wait this long is a hang, not a slow machine. */
const HANG_MS = 600_000;

/** How W3C WebDriver names an element reference in JSON. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** A free port on 127.0.0.1, for geckodriver to listen on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts geckodriver; resolves with `{ url, stop }` once it listens. */
async function startGeckodriver() {
  const port = await freePort();
  const driver = spawn(process.env.GECKODRIVER ?? 'geckodriver', ['--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const listen = (chunk) => {
      log += chunk;
      if (log.includes('Listening on')) resolve();
    };
    driver.stdout.on('data', listen);
    driver.stderr.on('data', listen);
    driver.once('error', (error) => reject(new Error(`geckodriver did not start (${error.message}); ./build.sh setup installs it`)));
    driver.once('exit', (code) => reject(new Error(`geckodriver exited (${code}): ${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (driver.exitCode !== null) return resolve();
        driver.once('exit', resolve);
        driver.kill();
      }),
  };
}

/** One WebDriver command; resolves with its `value`, or throws the driver's error message. */
async function command(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
  return value;
}

/**
 * Starts headless Firefox ESR (a fresh profile) at `width` × `height`. Returns
 * `{ goto, evaluate, waitFor, click, screenshot, close }`.
 */
export async function openFirefox({ width = 1280, height = 900 } = {}) {
  const driver = await startGeckodriver();
  let session;
  try {
    ({ sessionId: session } = await command(driver.url, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'firefox',
          'moz:firefoxOptions': {
            binary: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
            args: ['-headless'],
            prefs: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false },
          },
          timeouts: { script: 300_000, pageLoad: 120_000 },
        },
      },
    }));
  } catch (error) {
    await driver.stop();
    throw error;
  }
  const at = (path) => `/session/${session}${path}`;
  const send = (method, path, body) => command(driver.url, method, at(path), body);
  await send('POST', '/window/rect', { width, height });

  /** Runs `fn(...args)` in the page (it may return a promise); resolves with its JSON result. */
  const evaluate = (fn, ...args) =>
    send('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${fn}).apply(null, Array.from(arguments).slice(0, -1)))
          .then((value) => done({ value }), (error) => done({ error: String(error?.message ?? error) }));`,
      args,
    }).then(({ value, error }) => {
      if (error !== undefined) throw new Error(error);
      return value;
    });

  return {
    goto: (url) => send('POST', '/url', { url }),
    url: () => send('GET', '/url'),
    evaluate,
    /**
     * Polls `fn(...args)` in the page until it returns something truthy, and resolves with it.
     * Only a hang (ten minutes without it) gives up: waiting never depends on the machine's speed.
     */
    async waitFor(fn, ...args) {
      const hung = Date.now() + HANG_MS;
      while (Date.now() < hung) {
        const value = await evaluate(fn, ...args).catch(() => undefined); // a navigation in between
        if (value) return value;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`Firefox: still waiting after ${HANG_MS / 60_000} minutes for ${fn}`);
    },
    /** Clicks the first element `selector` finds. */
    async click(selector) {
      const element = await send('POST', '/element', { using: 'css selector', value: selector });
      await send('POST', `/element/${element[ELEMENT]}/click`, {});
    },
    /** Saves the viewport as target/screenshots/<name>.png and returns its path. */
    async screenshot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await writeFile(path, Buffer.from(await send('GET', '/screenshot'), 'base64'));
      return path;
    },
    async close() {
      await send('DELETE', '').catch(() => {});
      await driver.stop();
    },
  };
}
