// The evening's live views: the big screen and the attendee's table on the manage page.
// Polls a small JSON document (with its version as ETag, so an unchanged room costs a 304) and
// runs the countdown locally between polls. Everything is text, never HTML.
(function () {
  'use strict';
  var POLL_MS = 2000;

  // Fills {name} placeholders; the values are taken literally (never `$&` patterns).
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return values.hasOwnProperty(name) ? String(values[name]) : whole; });
  }

  function clock(seconds) {
    if (seconds == null) { return ''; }
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  // Polls `url`; with the live channel up, a `changed` hint for one of `topics` fetches at once
  // and the regular poll slows down to a safety net.
  var liveUp = false;
  window.addEventListener('rendezvous:live-status', function (e) { liveUp = e.detail === 'live' || e.detail === 'fallback'; });

  function poller(url, onData, topics) {
    var etag = null, timer = null;
    window.addEventListener('rendezvous:live', function (e) {
      var m = e.detail;
      if (m && m.type === 'changed' && topics.indexOf(m.topic) >= 0) { clearTimeout(timer); tick(); }
    });
    function later(ms) { clearTimeout(timer); timer = setTimeout(tick, liveUp ? 20000 : ms); }
    function tick() {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      if (etag) { xhr.setRequestHeader('If-None-Match', etag); }
      xhr.onload = function () {
        if (xhr.status === 200) {
          etag = xhr.getResponseHeader('ETag');
          try { onData(JSON.parse(xhr.responseText), Date.now()); } catch (e) { /* keep the last view */ }
        }
        later(POLL_MS);
      };
      xhr.onerror = function () { later(POLL_MS * 2); };
      xhr.send();
    }
    tick();
  }

  // A countdown that keeps running between polls from the last known seconds left.
  function countdown(element) {
    var left = null, at = 0, running = false;
    setInterval(function () {
      if (left == null) { element.textContent = ''; return; }
      var now = running ? Math.max(0, left - Math.floor((Date.now() - at) / 1000)) : left;
      element.textContent = clock(now);
      element.classList.toggle('ending', running && now <= 60);
    }, 250);
    return function (seconds, isRunning, receivedAt) { left = seconds; running = isRunning; at = receivedAt; };
  }

  // The big screen.
  var screen = document.querySelector('[data-screen-state]');
  if (screen) {
    var roundEl = document.getElementById('screen-round');
    var tablesEl = document.getElementById('screen-tables');
    var announceEl = document.getElementById('screen-announce');
    var setClock = countdown(document.getElementById('screen-clock'));
    var shownVersion = -1;
    poller(screen.getAttribute('data-screen-state'), function (data, receivedAt) {
      var room = data.room, labels = data.labels;
      announceEl.textContent = (data.announcements || []).map(function (a) { return a.text; }).join(' · ');
      if (!room || !room.planned) { roundEl.textContent = labels.notPlanned; setClock(null); tablesEl.textContent = ''; return; }
      setClock(room.secondsLeft, room.phase === 'running', receivedAt);
      if (room.phase === 'finished') { roundEl.textContent = labels.finished; }
      else {
        var text = fill(labels.round, {round: room.round, rounds: room.rounds});
        if (room.phase === 'notStarted') { text += ' · ' + labels.waiting; }
        if (room.phase === 'paused') { text += ' · ' + labels.paused; }
        roundEl.textContent = text;
      }
      if (room.version === shownVersion) { return; }
      shownVersion = room.version;
      tablesEl.textContent = '';
      room.tables.forEach(function (table) {
        var li = document.createElement('li');
        var h = document.createElement('h2');
        h.textContent = fill(labels.table, {table: table.name});
        li.appendChild(h);
        var ul = document.createElement('ul');
        table.people.forEach(function (person) {
          var p = document.createElement('li');
          p.textContent = person.name;
          ul.appendChild(p);
        });
        li.appendChild(ul);
        tablesEl.appendChild(li);
      });
      fit();
    }, ['room', 'bingo']);
    // Every table fits on the projector: the tables' type shrinks until nothing scrolls.
    var fit = function () {
      var size = 100;
      tablesEl.style.fontSize = '';
      var root = document.documentElement;
      while (root.scrollHeight > window.innerHeight + 1 && size > 35) {
        size -= 5;
        tablesEl.style.fontSize = size + '%';
      }
    };
    window.addEventListener('resize', fit);
  }

  // The attendee's table, on the manage page.
  var seat = document.querySelector('[data-seat-state]');
  if (seat) {
    var headline = seat.querySelector('[data-seat-headline]');
    var detail = seat.querySelector('[data-seat-detail]');
    var seatClock = seat.querySelector('[data-seat-clock]');
    var setSeatClock = seatClock ? countdown(seatClock) : function () {};
    poller(seat.getAttribute('data-seat-state'), function (data, receivedAt) {
      if (!data.text) { seat.hidden = true; return; }
      seat.hidden = false;
      if (headline.textContent !== data.text.headline) { headline.textContent = data.text.headline; }
      detail.textContent = data.text.detail;
      setSeatClock(data.seat ? data.seat.secondsLeft : null, data.seat && data.seat.phase === 'running', receivedAt);
    }, ['room']);
    if (seat.getAttribute('data-live') && window.RendezvousLive) { window.RendezvousLive.watch(seat.getAttribute('data-live')); }
  }
})();
