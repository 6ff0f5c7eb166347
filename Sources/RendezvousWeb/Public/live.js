// The evening's live channel (docs/live.md): a WebSocket, or for networks that break WebSockets,
// Server-Sent Events with answers and commands sent by POST. Reconnects by itself; the server
// sends the whole current state on every (re)connection, so nothing is lost while away.
(function () {
  'use strict';

  function absolute(path) {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + path;
  }

  // options: ws (path with query), events (SSE path with query), posts ({answer: url, command: url}),
  // onMessage(message), onStatus('live' | 'reconnecting' | 'fallback').
  function connect(options) {
    var socket = null, source = null, opened = false, failures = 0, closedByUs = false;
    var offset = 0; // server clock minus ours, in ms
    var useFallback = !('WebSocket' in window) || /(?:^|[?&])transport=sse(?:&|$)/.test(location.search);

    function deliver(text) {
      var message;
      try { message = JSON.parse(text); } catch (e) { return; }
      if (message.serverNow) { offset = message.serverNow - Date.now(); }
      if (options.onMessage) { options.onMessage(message); }
      // Other scripts of the page (the room, the door) follow the same connection.
      try { window.dispatchEvent(new CustomEvent('rendezvous:live', {detail: message})); } catch (e) { /* very old browsers */ }
    }

    function status(state) {
      if (options.onStatus) { options.onStatus(state); }
      try { window.dispatchEvent(new CustomEvent('rendezvous:live-status', {detail: state})); } catch (e) { /* very old browsers */ }
    }

    function openSocket() {
      opened = false;
      try { socket = new WebSocket(absolute(options.ws)); } catch (e) { return switchToFallback(); }
      socket.onopen = function () { opened = true; failures = 0; status('live'); };
      socket.onmessage = function (event) { deliver(event.data); };
      socket.onclose = function () {
        socket = null;
        if (closedByUs) { return; }
        failures += 1;
        // A WebSocket that never opens three times running: this network breaks them.
        if (!opened && failures >= 3) { return switchToFallback(); }
        status('reconnecting');
        setTimeout(openSocket, Math.min(5000, 300 * Math.pow(2, failures)));
      };
    }

    function switchToFallback() {
      useFallback = true;
      status('fallback');
      source = new EventSource(options.events);
      source.onmessage = function (event) { deliver(event.data); };
      source.onopen = function () { status('fallback'); };
      source.onerror = function () { status('reconnecting'); };
    }

    // Sends a message; by POST when there is no open WebSocket. The reply comes to onMessage.
    function send(message) {
      if (socket && socket.readyState === 1) { socket.send(JSON.stringify(message)); return true; }
      var url = options.posts && options.posts[message.type];
      if (!url) { return false; }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.onload = function () { if (xhr.status === 200) { deliver(xhr.responseText); } else { options.onMessage({type: 'error', code: 'http' + xhr.status, id: message.id}); } };
      xhr.onerror = function () { options.onMessage({type: 'error', code: 'offline', id: message.id}); };
      xhr.send(JSON.stringify(message));
      return true;
    }

    // A phone woken from sleep asks again rather than trusting a socket that may be dead.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState !== 'visible') { return; }
      if (socket && socket.readyState === 1) { socket.send(JSON.stringify({type: 'state'})); }
    });

    if (useFallback) { switchToFallback(); } else { openSocket(); }

    return {
      send: send,
      now: function () { return Date.now() + offset; },
      close: function () { closedByUs = true; if (socket) { socket.close(); } if (source) { source.close(); } }
    };
  }

  // Hints only (`changed` messages) for a page that has no connection of its own yet.
  function watch(path) {
    if (window.RendezvousLive.current) { return window.RendezvousLive.current; }
    var events = path.replace(/^(\/live\/[^?]+)/, '$1/events');
    window.RendezvousLive.current = connect({ws: path, events: events});
    return window.RendezvousLive.current;
  }

  window.RendezvousLive = {connect: connect, watch: watch, current: null};
})();
