// poolplay-coi.js: makes a static site cross-origin isolated, so Poolplay's embeds get real
// threads on hosts that cannot send headers (GitHub Pages and the like). One file, no build.
//
// Use: copy this file into your site (next to the pages, or at the root to cover the whole site)
// and load it first thing on the page, as a classic script:
//     <script src="/poolplay-coi.js"></script>
// On the page, it registers itself as a service worker for its folder and reloads once, so the page
// comes back through the worker. In the service worker, it adds to every response from your own
// site:
//     Cross-Origin-Opener-Policy: same-origin
//     Cross-Origin-Embedder-Policy: require-corp
// With `<script src="/poolplay-coi.js" data-coep="credentialless">` it sends
// `Cross-Origin-Embedder-Policy: credentialless` instead, and requests other sites' resources
// without cookies: images and scripts from hosts that send no CORP header then keep working.
// It does nothing where the page is isolated already, where service workers are unavailable (not
// https, or a private window that forbids them), and it reloads at most once per tab session.
// While a reload is coming, <html> has `data-coi="reloading"`; if none comes after all (or the
// worker takes more than a few seconds to start), it becomes `data-coi="off"` and a `poolplay-coi`
// event is sent to the window, so a page can hold back its "no threads" message until then.
// Pages of your site that do not load it are unaffected until the worker controls them too.

/* global clients */

if (typeof window === 'undefined') {
  // The service worker.
  const coep = new URL(self.location.href).searchParams.get('coep') === 'credentialless' ? 'credentialless' : 'require-corp';

  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(clients.claim()));

  self.addEventListener('fetch', (event) => {
    let { request } = event;
    // Requests the worker may not make itself.
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    const sameOrigin = new URL(request.url).origin === self.location.origin;
    if (!sameOrigin && coep === 'credentialless' && request.mode === 'no-cors') {
      request = new Request(request, { credentials: 'omit' });
    }
    event.respondWith(
      fetch(request).then((response) => {
        // Opaque responses (other sites, no CORS) cannot be changed, and need not be.
        if (response.status === 0 || !sameOrigin) return response;
        const headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        headers.set('Cross-Origin-Embedder-Policy', coep);
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      }),
    );
  });
} else {
  // The page: register, then reload once so the worker serves this page too.
  (() => {
    const script = document.currentScript;
    const reloaded = 'poolplay-coi-reloaded';
    if (window.crossOriginIsolated) {
      sessionStorage.removeItem(reloaded);
      return;
    }
    if (!window.isSecureContext || !navigator.serviceWorker) return;
    const root = document.documentElement;
    // The worker did not make the page isolated after its reload: no second one.
    const tried = sessionStorage.getItem(reloaded) !== null;
    if (!tried) root.dataset.coi = 'reloading';
    const giveUp = () => {
      if (root.dataset.coi !== 'reloading') return;
      root.dataset.coi = 'off';
      window.dispatchEvent(new Event('poolplay-coi'));
    };
    // A page waiting for the reload should not wait on a registration that never settles; the
    // reload itself still happens if the worker starts later.
    if (!tried) setTimeout(giveUp, 3000);
    const url = new URL(script.src);
    if (script.dataset.coep === 'credentialless') url.searchParams.set('coep', 'credentialless');
    navigator.serviceWorker.register(url.href).then(
      (registration) => {
        const reload = () => {
          if (tried) return;
          sessionStorage.setItem(reloaded, '1');
          window.location.reload();
        };
        if (navigator.serviceWorker.controller) {
          reload(); // controlled, yet not isolated: the worker was installed before this page loaded
          return;
        }
        const worker = registration.installing ?? registration.waiting ?? registration.active;
        if (!worker) return giveUp();
        if (worker.state === 'activated') return reload();
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') reload();
          if (worker.state === 'redundant') giveUp();
        });
      },
      (error) => {
        console.warn(`poolplay-coi.js: the service worker was not registered (${error.message})`);
        giveUp();
      },
    );
  })();
}
