// Cross-origin isolation for hosts that cannot send headers (static hosting).
//
// The threaded build needs SharedArrayBuffer, which browsers give only to
// cross-origin isolated pages. This service worker adds the two headers that
// isolate a page to every same-origin response it serves; the page registers
// it and reloads once (env.js), and from then on is isolated. Servers that
// send the headers themselves (`parmine serve`) never need it.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Chrome rejects this mode for requests that are not same-origin.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
