// Shared by the end-to-end tests and the benchmark: serve the site, start Debian's Chromium
// headless with a fresh profile (Playwright's temporary one), collect console errors, and stop everything afterwards.

import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

/**
 * How long any wait in the end-to-end tests may see nothing happen before the test fails: a guard
 * against a hang only, so CI never hangs, and far beyond what a slow, busy machine needs. Every
 * wait uses it (it is each page's default too); no test asserts how long something took (timing
 * goals live in `./build.sh bench`).
 */
export const HANG_GUARD_MS = 180_000;

/** Where screenshots go (CI prints the folder). */
export const SCREENSHOTS = resolve(fileURLToPath(import.meta.url), '../../target/screenshots');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Serves the site and opens Chromium. Returns `{ url, browser, newPage, consoleErrors, close }`.
 * `newPage()` opens a page whose console errors and uncaught exceptions land in `consoleErrors`.
 * `server` goes to `startServer` (say `{ site: 'dist', headers: 'plain' }`); `isolated: false`
 * serves the checkout without the isolation headers.
 */
export async function openSite({ isolated = true, server: serving = {} } = {}) {
  const server = await startServer({ isolated, ...serving });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Playwright adds --headless itself and gives every launch a fresh, temporary profile.
    args: FLAGS.filter((flag) => flag !== '--headless'),
    headless: true,
  });
  const consoleErrors = [];
  const newPage = async (viewport = { width: 1280, height: 900 }) => {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(HANG_GUARD_MS);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    return page;
  };
  return {
    url: server.url,
    browser,
    newPage,
    consoleErrors,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Saves a full-page screenshot as target/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens the playground and waits for `window.poolplay`. */
export async function openPlayground(site, viewport) {
  const page = await site.newPage(viewport);
  await page.goto(site.url);
  await page.waitForFunction(() => window.poolplay !== undefined, null, { timeout: HANG_GUARD_MS });
  return page;
}
