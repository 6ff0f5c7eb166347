// Lets the door page open again without a connection: the last copy of each door page and its
// assets are kept, served when the network does not answer. Check-in data itself lives in the
// page's localStorage queue, never in this cache.
var CACHE = 'rendezvous-door-v1';
self.addEventListener('install', function (event) { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  var page = request.mode === 'navigate' && /^\/door\/[0-9a-f-]{36}$/.test(url.pathname);
  var asset = /^\/static\//.test(url.pathname);
  if (!page && !asset) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (cache) { cache.put(request, copy); }); }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: asset }).then(function (cached) { return cached || Response.error(); });
  }));
});
