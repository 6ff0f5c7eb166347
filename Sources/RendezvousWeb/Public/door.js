// The door page, offline-first: the attendee list lives on the device (localStorage), check-ins
// are made locally at once and queued, and a sync loop sends the queue whenever the network
// answers. Each queued check-in carries a nonce, so a retry never admits twice; the server's
// answer (including "already checked in elsewhere") replaces the local guess.
(function () {
  'use strict';
  var root = document.getElementById('door');
  if (!root || !window.fetch || !window.localStorage) { return; }
  var eventId = root.getAttribute('data-event'), csrf = root.getAttribute('data-csrf'), me = root.getAttribute('data-by');
  var list = document.getElementById('people'), input = document.getElementById('q'), result = document.getElementById('result');
  var sync = document.getElementById('sync'), text = list.dataset;
  var key = 'rv-door-' + eventId;
  var device = localStorage.getItem('rv-device');
  if (!device) { device = 'd-' + Math.random().toString(36).slice(2) + Date.now().toString(36); localStorage.setItem('rv-device', device); }
  var store = JSON.parse(localStorage.getItem(key) || '{"people":[],"queue":[],"version":-1}');
  // Check-ins made while the session ran out were kept apart (see wipe): they go out now.
  var kept = localStorage.getItem('rv-pending-' + eventId);
  if (kept) {
    try { store.queue = store.queue.concat(JSON.parse(kept)); } catch (e) {}
    localStorage.removeItem('rv-pending-' + eventId);
  }
  var online = true;

  function save() { if (!gone) { localStorage.setItem(key, JSON.stringify(store)); } }

  // The session is gone (signed out, expired): the attendee list must not stay on a shared phone.
  // Everything the door keeps is wiped, then the person is asked to sign in again.
  var gone = false;
  function wipe() {
    if (gone) { return; }
    gone = true;
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var k = localStorage.key(i);
      if (k && k.indexOf('rv-door-') === 0) { localStorage.removeItem(k); }
    }
    // The attendee list goes; the check-ins not yet sent stay (apart from it), so a session that
    // ran out never loses an admission: they are sent after signing in again. Signing out on
    // purpose clears them too (Clear-Site-Data).
    if (store.queue.length) { localStorage.setItem('rv-pending-' + eventId, JSON.stringify(store.queue)); }
    store = { people: [], queue: [], version: -1 };
    list.textContent = '';
    var done = window.caches ? caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf('rendezvous-door') === 0; }).map(function (n) { return caches.delete(n); }));
    }).catch(function () {}) : Promise.resolve();
    done.then(function () { location.href = '/signin?next=' + encodeURIComponent(location.pathname); });
  }
  function checked(r) { if (r.status === 401) { wipe(); throw new Error('signed out'); } return r; }
  function fold(s) { return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  function nonce() { return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : device + '-' + Date.now() + '-' + Math.random().toString(36).slice(2); }
  // Times in the chapter's time zone (the page says which), whatever the phone's own setting.
  function time(iso) {
    var d = new Date(iso), options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (root.dataset.zone) { options.timeZone = root.dataset.zone; }
    try { return d.toLocaleTimeString(document.documentElement.lang, options); } catch (e) { delete options.timeZone; return d.toLocaleTimeString(document.documentElement.lang, options); }
  }
  function person(id) { for (var i = 0; i < store.people.length; i++) { if (store.people[i].id === id) { return store.people[i]; } } return null; }
  // A status in the page's language (data-status-waitlisted …); the code only if the page has none.
  function statusLabel(code) { return text['status' + code.charAt(0).toUpperCase() + code.slice(1)] || code; }
  function fill(template, values) { return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] || ''; }); }

  function show(ok, title, detail) {
    result.className = 'result ' + (ok ? 'ok' : 'bad');
    result.textContent = '';
    var big = document.createElement('p'); big.className = 'big'; big.textContent = title; result.appendChild(big);
    if (detail) { var p = document.createElement('p'); p.textContent = detail; result.appendChild(p); }
  }

  function render() {
    var terms = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = '';
    if (!terms.length) { return; }
    store.people.filter(function (p) {
      var hay = fold(p.firstName + ' ' + p.lastName + ' ' + p.company);
      return terms.every(function (t) { return hay.indexOf(t) >= 0; });
    }).slice(0, 30).forEach(function (p) {
      var li = document.createElement('li');
      var who = document.createElement('span'); who.className = 'who';
      var name = document.createElement('strong'); name.textContent = p.firstName + ' ' + p.lastName; who.appendChild(name);
      var role = document.createElement('span'); role.className = 'meta'; role.textContent = ' ' + [p.jobTitle, p.company].filter(Boolean).join(' · '); who.appendChild(role);
      if (p.status !== 'confirmed') { var s = document.createElement('span'); s.className = 'badge ' + p.status; s.textContent = statusLabel(p.status); who.appendChild(s); }
      li.appendChild(who);
      var button = document.createElement('button'); button.type = 'button';
      if (p.checkedInAt) {
        var when = document.createElement('span'); when.className = 'meta'; when.textContent = time(p.checkedInAt) + ' · ' + (p.checkedInBy || ''); li.appendChild(when);
        button.textContent = text.undo; button.onclick = function () { undo(p); };
      } else if (p.status === 'confirmed') {
        button.textContent = text.checkin; button.className = 'primary'; button.onclick = function () { checkIn(p); };
      } else { button = null; }
      if (button) { li.appendChild(button); }
      if (p.status === 'confirmed') {
        var badge = document.createElement('a'); badge.href = '/door/' + eventId + '/badge/' + p.id; badge.textContent = text.badge; li.appendChild(badge);
      }
      list.appendChild(li);
    });
  }

  function counters(state) {
    document.getElementById('c-in').textContent = state.checkedIn;
    document.getElementById('c-expected').textContent = state.expected;
    document.getElementById('c-walkins').textContent = state.walkIns;
    var box = document.getElementById('conflicts');
    if (state.conflicts && state.conflicts.length) {
      box.hidden = false;
      var ul = box.querySelector('ul'); ul.textContent = '';
      state.conflicts.forEach(function (c) { var li = document.createElement('li'); li.textContent = c.name + ' · ' + c.by + ' · ' + time(c.at); ul.appendChild(li); });
    }
  }

  function localCounters() {
    var confirmed = store.people.filter(function (p) { return p.status === 'confirmed'; });
    counters({ checkedIn: confirmed.filter(function (p) { return p.checkedInAt && !p.walkIn; }).length,
      expected: confirmed.filter(function (p) { return !p.walkIn; }).length,
      walkIns: confirmed.filter(function (p) { return p.walkIn; }).length, conflicts: [] });
  }

  function status() {
    var waiting = store.queue.length;
    sync.textContent = (online ? sync.dataset.online : sync.dataset.offline) + (waiting ? ' · ' + fill(sync.dataset.waiting, { count: waiting }) : '');
  }

  function checkIn(p) {
    if (p.checkedInAt) { show(false, fill(text.already, { time: time(p.checkedInAt), by: p.checkedInBy }), p.firstName + ' ' + p.lastName); return; }
    p.checkedInAt = new Date().toISOString(); p.checkedInBy = me;
    store.queue.push({ kind: 'checkins', body: { registrationId: p.id, nonce: nonce(), device: device, at: p.checkedInAt, offline: !online } });
    save(); show(true, fill(text.welcome, { name: p.firstName }), p.firstName + ' ' + p.lastName);
    input.value = ''; render(); localCounters(); status(); flush();
  }

  function undo(p) {
    p.checkedInAt = null; p.checkedInBy = null;
    store.queue.push({ kind: 'undo', body: { registrationId: p.id, nonce: nonce(), device: device } });
    save(); render(); localCounters(); status(); flush();
  }

  function post(path, body) {
    return fetch('/door/' + eventId + '/' + path, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) })
      .then(checked).then(function (r) { if (r.status >= 500) { throw new Error('server'); } return r.json().then(function (j) { return { status: r.status, body: j }; }); });
  }

  var flushing = false;
  function flush() {
    if (flushing || !store.queue.length) { status(); return Promise.resolve(); }
    flushing = true;
    var item = store.queue[0];
    // Sent as it was queued: "offline" says the person was admitted without the server's word.
    return post(item.kind, item.body).then(function (answer) {
      online = true; store.queue.shift();
      var o = answer.body, p = o.registrationID ? person(o.registrationID) : null;
      if (item.kind === 'walkins' && item.local) {
        var local = person(item.local); if (local && o.registrationID) { local.id = o.registrationID; delete local.localOnly; }
      } else if (p) {
        p.checkedInAt = o.checkedInAt || null; p.checkedInBy = o.checkedInBy || null;
        if (o.conflict) { show(false, text.conflict, p.firstName + ' ' + p.lastName + ' · ' + fill(text.already, { time: time(o.checkedInAt), by: o.checkedInBy })); }
        if (o.result === 'notToday') { show(false, text.notToday, p.firstName + ' ' + p.lastName); }
      }
      save(); flushing = false; render(); status(); return flush();
    }).catch(function () { online = false; flushing = false; status(); });
  }

  function load() {
    return fetch('/door/' + eventId + '/list.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(checked).then(function (r) { return r.json(); })
      .then(function (data) {
        online = true;
        var pending = {};
        store.queue.forEach(function (q) { if (q.body.registrationId) { pending[q.body.registrationId] = q.kind; } });
        var locals = store.people.filter(function (p) { return p.localOnly; });
        store.people = data.people.map(function (p) {
          var mine = person(p.id);
          // A check-in still in the queue keeps its local state until the server has it.
          if (mine && pending[p.id]) { p.checkedInAt = mine.checkedInAt; p.checkedInBy = mine.checkedInBy; }
          return p;
        }).concat(locals);
        store.version = data.state.listVersion; save(); counters(data.state); render(); status();
      }).catch(function () { online = false; status(); });
  }

  function poll() {
    if (gone) { return; }
    fetch('/door/' + eventId + '/state.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(checked).then(function (r) { return r.json(); })
      .then(function (state) {
        online = true;
        if (state.listVersion !== store.version) { return load(); }
        var admitted = {};
        state.admissions.forEach(function (a) { admitted[a.id] = a; });
        var pending = {};
        store.queue.forEach(function (q) { if (q.body.registrationId) { pending[q.body.registrationId] = true; } });
        store.people.forEach(function (p) {
          if (pending[p.id]) { return; }
          var a = admitted[p.id]; p.checkedInAt = a ? a.at : null; p.checkedInBy = a ? a.by : null;
        });
        save(); counters(state); if (document.activeElement !== input || input.value) { render(); } status(); flush();
      }).catch(function () { online = false; status(); });
  }

  // Walk-ins: added on the device at once, created on the server when the connection allows.
  var walkin = document.getElementById('walkin');
  walkin.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = new FormData(walkin), body = { nonce: nonce(), device: device };
    ['firstName', 'lastName', 'jobTitle', 'company', 'email'].forEach(function (k) { body[k] = (f.get(k) || '').trim(); });
    if (!body.firstName) { walkin.querySelector('[name=firstName]').focus(); return; }
    var local = 'local-' + body.nonce;
    store.people.push({ id: local, localOnly: true, firstName: body.firstName, lastName: body.lastName, jobTitle: body.jobTitle, company: body.company,
      status: 'confirmed', walkIn: true, checkedInAt: new Date().toISOString(), checkedInBy: me });
    store.queue.push({ kind: 'walkins', local: local, body: body });
    save(); walkin.reset(); show(true, fill(text.welcome, { name: body.firstName }), body.firstName + ' ' + body.lastName);
    localCounters(); status(); flush().then(function () { var p = person(local); if (!p) { return; } });
  });

  // Tickets scanned in the page, where the browser has a barcode detector.
  var scan = document.getElementById('scan'), video = document.getElementById('camera');
  function admitScanned(value) {
    var token = value.split('/t/').pop().split(/[?#]/)[0];
    var digest = window.crypto && crypto.subtle ? crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)) : Promise.reject();
    digest.then(function (buffer) {
      var hex = Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      var p = store.people.filter(function (x) { return x.ticketHash === hex; })[0];
      if (!p) { throw new Error('not here'); }
      if (p.status !== 'confirmed') { show(false, text.invalid, p.firstName + ' ' + p.lastName); return; }
      checkIn(p);
    }).catch(function () {
      post('checkins', { ticket: token, nonce: nonce(), device: device }).then(function (a) {
        var o = a.body;
        if (o.result === 'admitted') { show(true, fill(text.welcome, { name: o.firstName }), o.firstName + ' ' + o.lastName); }
        else if (o.result === 'notToday') { show(false, text.notToday, ''); }
        else { show(false, o.result === 'already' ? fill(text.already, { time: time(o.checkedInAt), by: o.checkedInBy }) : (o.result === 'unknown' ? text.unknown : text.invalid), [o.firstName, o.lastName].join(' ')); }
        load();
      }).catch(function () { show(false, text.unknown, ''); });
    });
  }
  if ('BarcodeDetector' in window && navigator.mediaDevices) {
    scan.hidden = false;
    scan.addEventListener('click', function () {
      var detector = new window.BarcodeDetector({ formats: ['qr_code'] }), last = '';
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        (function tick() {
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue !== last) { last = codes[0].rawValue; admitScanned(last); setTimeout(function () { last = ''; }, 3000); }
          }).catch(function () {}).then(function () { if (!video.hidden) { requestAnimationFrame(tick); } });
        })();
      }).catch(function () { scan.hidden = true; });
    });
  }

  if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/door/sw.js', { scope: '/door/' }).catch(function () {}); }
  input.addEventListener('input', render);
  input.form.addEventListener('submit', function (e) { e.preventDefault(); render(); });
  window.addEventListener('online', function () { online = true; flush(); });
  window.addEventListener('offline', function () { online = false; status(); });
  if (store.people.length) { render(); localCounters(); }
  load().then(flush);
  // The live channel tells this phone when another door phone checks someone in: the counters
  // follow at once, and the regular poll becomes a slow safety net.
  var liveUp = false, pollTimer = null;
  function schedule() { clearTimeout(pollTimer); pollTimer = setTimeout(function () { poll(); schedule(); }, liveUp ? 15000 : 1500); }
  if (window.RendezvousLive) {
    window.addEventListener('rendezvous:live-status', function (e) { liveUp = e.detail === 'live' || e.detail === 'fallback'; });
    window.addEventListener('rendezvous:live', function (e) { if (e.detail && e.detail.type === 'changed' && e.detail.topic === 'door') { poll(); } });
    window.RendezvousLive.watch('/live/' + eventId + '?topics=door');
  }
  schedule();
  status();
})();
