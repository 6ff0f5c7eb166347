// The live quiz: a phone playing, the big screen, and the presenter's console. Everything shown
// comes from the server's `quiz` messages (docs/live.md); text is set as text, never as HTML.
// Deadlines are the server's: the countdown runs on the server's clock (offset from `serverNow`).
(function () {
  'use strict';
  var root = document.querySelector('[data-quiz]');
  if (!root || !window.RendezvousLive) { return; }
  var role = root.getAttribute('data-quiz');
  var L = JSON.parse(root.getAttribute('data-labels') || '{}');
  var SHAPES = ['▲', '◆', '●', '■', '★', '✚'];
  var state = null, me = null, pending = null, timer = null, counts = null, moved = null;

  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (whole, name) { return values.hasOwnProperty(name) ? String(values[name]) : whole; });
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text != null) { e.textContent = text; }
    return e;
  }
  function number(value) {
    return (typeof value === 'number') ? value.toLocaleString(document.documentElement.lang) : '';
  }
  var view = document.getElementById('quiz-view');
  var statusEl = document.getElementById('quiz-status');

  var live = window.RendezvousLive.connect({
    ws: root.getAttribute('data-ws'),
    events: root.getAttribute('data-events'),
    posts: {answer: root.getAttribute('data-answer-url'), command: root.getAttribute('data-command-url')},
    onStatus: function (s) {
      if (!statusEl) { return; }
      statusEl.textContent = s === 'reconnecting' ? L.reconnecting : '';
      statusEl.className = 'quiz-status ' + s;
    },
    onMessage: receive
  });

  function receive(message) {
    if (message.type === 'quiz') {
      var changed = !state || state.version !== message.version || state.session !== message.session || state.phase !== message.phase;
      state = message;
      if (message.me) { me = message.me; }
      if (changed) { pending = null; counts = null; }
      // The same state again (a reconnection, a newcomer joined): keep what is on screen, and
      // above all a half-typed answer.
      if (!changed && role === 'player' && view.querySelector('.quiz-answer')) { return; }
      render();
    } else if (message.type === 'count' && state && message.session === state.session && message.index === state.index) {
      counts = message;
      renderCounts();
    } else if (message.type === 'ack') {
      if (message.outcome === 'accepted' || message.outcome === 'duplicate') {
        me = me || {};
        me.answered = {index: message.index, answer: message.answer};
        pending = null;
      } else if (message.outcome === 'closed') {
        pending = 'closed';
      } else if (message.outcome === 'invalid') {
        pending = 'invalid';
      }
      render();
    } else if (message.type === 'moved') {
      // This phone played an earlier game of the evening: a new one has started.
      moved = message;
      render();
    } else if (message.type === 'commanded') {
      var busy = root.querySelectorAll('[data-command]');
      for (var i = 0; i < busy.length; i++) { busy[i].disabled = false; }
    } else if (message.type === 'error' && message.code !== 'badMessage') {
      pending = null;
      if (statusEl) { statusEl.textContent = L.offline; }
      render();
    }
  }

  // ---- The countdown -------------------------------------------------------------------------

  function secondsLeft() {
    if (!state || state.deadline == null) { return null; }
    return Math.max(0, Math.ceil((state.deadline - live.now()) / 1000));
  }
  function startTimer(element) {
    if (timer) { clearInterval(timer); }
    function tick() {
      var left = secondsLeft();
      element.textContent = left == null ? '' : String(left);
      element.classList.toggle('ending', left != null && left <= 5);
      if (left === 0 && state.phase === 'question' && role === 'player' && !answeredNow()) { render(); }
    }
    tick();
    timer = setInterval(tick, 200);
  }

  function answeredNow() {
    return me && me.answered && state && me.answered.index === state.index;
  }

  // ---- Shared pieces ---------------------------------------------------------------------------

  function header() {
    var h = el('p', 'quiz-progress');
    if (state.index >= 0 && state.phase !== 'finished' && state.phase !== 'lobby') {
      h.textContent = fill(L.progress, {n: state.index + 1, count: state.count});
    }
    return h;
  }

  function choiceLabels(question) {
    return question.kind === 'trueFalse' ? [L.trueLabel, L.falseLabel] : question.choices;
  }

  function questionBlock(question, withTimer) {
    var box = el('div', 'quiz-question');
    box.appendChild(header());
    if (withTimer) {
      var t = el('p', 'quiz-timer');
      t.setAttribute('role', 'timer');
      t.setAttribute('aria-label', L.secondsLeft);
      box.appendChild(t);
      startTimer(t);
    } else if (timer) { clearInterval(timer); timer = null; }
    box.appendChild(el('h2', 'quiz-prompt', question.prompt));
    if (question.image) {
      var img = el('img', 'quiz-image');
      img.src = question.image;
      img.alt = '';
      box.appendChild(img);
    }
    return box;
  }

  function standings(rows, title) {
    var box = el('section', 'quiz-standings');
    box.appendChild(el('h2', null, title));
    var ol = el('ol');
    rows.forEach(function (row) {
      var li = el('li');
      li.appendChild(el('span', 'rank', String(row.rank)));
      li.appendChild(el('span', 'name', row.name || row.team));
      if (row.team && row.name) { li.appendChild(el('span', 'team', fill(L.team, {team: row.team}))); }
      li.appendChild(el('span', 'points', number(row.points)));
      ol.appendChild(li);
    });
    box.appendChild(ol);
    return box;
  }

  function teamRows() {
    return (state.teamStandings || []).map(function (t) { return {rank: t.rank, team: fill(L.team, {team: t.team}), points: t.points}; });
  }

  function results(question) {
    var box = el('div', 'quiz-results');
    var r = state.results;
    if (!r) { return box; }
    var total = Math.max(1, r.distribution.answers);
    if (question.kind === 'number') {
      var dl = el('dl', 'quiz-number');
      if (r.answer != null) { dl.appendChild(el('dt', null, L.answer)); dl.appendChild(el('dd', 'right', number(r.answer))); }
      if (r.distribution.closest != null) { dl.appendChild(el('dt', null, L.closest)); dl.appendChild(el('dd', null, number(r.distribution.closest))); }
      if (r.distribution.median != null) { dl.appendChild(el('dt', null, L.median)); dl.appendChild(el('dd', null, number(r.distribution.median))); }
      box.appendChild(dl);
    } else if (question.kind === 'word') {
      var cloud = el('ul', 'quiz-cloud');
      var top = r.distribution.words.length ? r.distribution.words[0].count : 1;
      r.distribution.words.forEach(function (w) {
        var li = el('li', w.right ? 'right' : '', w.word);
        li.style.fontSize = (1 + 2.2 * w.count / top).toFixed(2) + 'em';
        li.setAttribute('title', String(w.count));
        cloud.appendChild(li);
      });
      box.appendChild(cloud);
    } else {
      var bars = el('ol', 'quiz-bars');
      choiceLabels(question).forEach(function (label, i) {
        var count = r.distribution.choices[i] || 0;
        var li = el('li', 'c' + i + (r.correct.indexOf(i) >= 0 ? ' right' : ''));
        li.appendChild(el('span', 'shape', SHAPES[i]));
        li.appendChild(el('span', 'qtext', label));
        var bar = el('span', 'bar');
        bar.style.width = Math.round(100 * count / total) + '%';
        li.appendChild(bar);
        li.appendChild(el('span', 'count', String(count)));
        if (r.correct.indexOf(i) >= 0) { li.appendChild(el('span', 'visually-hidden', L.rightAnswer)); }
        bars.appendChild(li);
      });
      box.appendChild(bars);
    }
    box.appendChild(el('p', 'quiz-answered', fill(L.answeredOf, {answered: r.distribution.answers, players: state.players})));
    return box;
  }

  // ---- A phone ---------------------------------------------------------------------------------

  function send(answer) {
    pending = 'sending';
    live.send({type: 'answer', index: state.index, answer: answer, id: String(Date.now())});
    render();
  }

  function answerForm(question) {
    var form = el('form', 'quiz-answer');
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    if (question.kind === 'number' || question.kind === 'word') {
      var label = el('label', null, question.kind === 'number' ? L.numberLabel : L.wordLabel);
      var input = el('input');
      input.id = 'quiz-input';
      label.setAttribute('for', 'quiz-input');
      if (question.kind === 'number') { input.setAttribute('inputmode', 'decimal'); } else { input.maxLength = 40; input.autocomplete = 'off'; }
      form.appendChild(label);
      form.appendChild(input);
      var go = el('button', 'button', L.send);
      go.type = 'submit';
      form.appendChild(go);
      form.addEventListener('submit', function () {
        var text = input.value.trim();
        if (!text) { input.focus(); return; }
        if (question.kind === 'number') {
          var value = Number(text.replace(/\s/g, '').replace(',', '.'));
          if (!isFinite(value)) { input.setAttribute('aria-invalid', 'true'); return; }
          send({number: value});
        } else { send({word: text}); }
      });
      return form;
    }
    var multiple = question.kind === 'multiple';
    var picked = [];
    var grid = el('div', 'quiz-choices');
    choiceLabels(question).forEach(function (label, i) {
      var b = el('button', 'quiz-choice c' + i);
      b.type = multiple ? 'button' : 'submit';
      b.appendChild(el('span', 'shape', SHAPES[i]));
      b.appendChild(el('span', 'qtext', label));
      if (multiple) { b.setAttribute('aria-pressed', 'false'); }
      b.addEventListener('click', function () {
        if (!multiple) { send({choices: [i]}); return; }
        var at = picked.indexOf(i);
        if (at >= 0) { picked.splice(at, 1); } else { picked.push(i); }
        b.setAttribute('aria-pressed', at >= 0 ? 'false' : 'true');
      });
      grid.appendChild(b);
    });
    form.appendChild(grid);
    if (multiple) {
      form.appendChild(el('p', 'hint', L.chooseAll));
      var submit = el('button', 'button', L.send);
      submit.type = 'submit';
      submit.addEventListener('click', function () { if (picked.length) { send({choices: picked.slice().sort()}); } });
      form.appendChild(submit);
    }
    return form;
  }

  function describe(answer, question) {
    if (!answer) { return ''; }
    if (answer.choices) { var labels = choiceLabels(question); return answer.choices.map(function (i) { return labels[i]; }).join(', '); }
    if (answer.number != null) { return number(answer.number); }
    return answer.word || '';
  }

  function myLine() {
    if (!me || me.points == null) { return null; }
    var p = el('p', 'quiz-me');
    p.textContent = me.rank ? fill(L.rankOf, {rank: me.rank, of: me.of, points: number(me.points)}) : fill(L.points, {points: number(me.points)});
    return p;
  }

  function renderPlayer() {
    view.textContent = '';
    if (moved) {
      if (timer) { clearInterval(timer); timer = null; }
      view.appendChild(el('h2', null, L.newGame));
      var go = el('a', 'button primary big', L.joinNew);
      go.href = moved.join;
      view.appendChild(go);
      return;
    }
    if (!state || !state.session || state.phase === 'none') { view.appendChild(el('p', 'quiz-wait', L.noGame)); return; }
    var question = state.question;
    if (state.phase === 'lobby') {
      view.appendChild(el('h2', null, fill(L.joinedAs, {name: me ? me.name : ''})));
      if (me && me.team) { view.appendChild(el('p', null, fill(L.team, {team: me.team}))); }
      view.appendChild(el('p', 'quiz-wait', L.waiting));
      return;
    }
    if (state.phase === 'question' && question) {
      view.appendChild(questionBlock(question, true));
      if (answeredNow()) {
        var done = el('p', 'quiz-sent', fill(L.sent, {answer: describe(me.answered.answer, question)}));
        done.setAttribute('role', 'status');
        view.appendChild(done);
      } else if (pending === 'closed' || secondsLeft() === 0) {
        view.appendChild(el('p', 'quiz-late', L.tooLate));
      } else if (pending === 'sending') {
        view.appendChild(el('p', 'quiz-sent', L.sending));
      } else {
        if (pending === 'invalid') {
          var refused = el('p', 'error', L.invalid);
          refused.setAttribute('role', 'alert');
          view.appendChild(refused);
        }
        view.appendChild(answerForm(question));
      }
      return;
    }
    if ((state.phase === 'results' || state.phase === 'leaderboard') && question) {
      view.appendChild(questionBlock(question, false));
      var last = me && me.last;
      var verdict = el('p', 'quiz-verdict');
      verdict.setAttribute('role', 'status');
      if (state.poll || !(state.results && (state.results.correct.length || state.results.answer != null || state.results.accepted.length))) {
        verdict.textContent = last && last.answered ? L.thanks : L.noAnswer;
      } else if (!last || !last.answered) {
        verdict.textContent = L.noAnswer;
        verdict.className += ' wrong';
      } else if (last.right) {
        verdict.textContent = fill(L.right, {points: number(last.points)});
        verdict.className += ' right';
      } else {
        verdict.textContent = L.wrong;
        verdict.className += ' wrong';
      }
      view.appendChild(verdict);
      view.appendChild(results(question));
      var line = myLine();
      if (line && !state.poll) { view.appendChild(line); }
      view.appendChild(el('p', 'quiz-wait', L.waitingNext));
      return;
    }
    if (state.phase === 'finished') {
      if (timer) { clearInterval(timer); timer = null; }
      view.appendChild(el('h2', null, L.finished));
      var mine = myLine();
      if (mine && !state.poll) { view.appendChild(mine); }
      if (state.podium && state.podium.length) { view.appendChild(standings(state.podium, L.podium)); }
      if (state.teams && state.teamStandings) { view.appendChild(standings(teamRows().slice(0, 3), L.teamStandings)); }
    }
  }

  // ---- The screen and the presenter ----------------------------------------------------------

  function renderCounts() {
    var c = document.getElementById('quiz-count');
    if (!c || !state) { return; }
    var answered = counts ? counts.answered : state.answered, players = counts ? counts.players : state.players;
    c.textContent = fill(L.answeredOf, {answered: answered, players: players});
  }

  function renderHost() {
    view.textContent = '';
    var overlay = role === 'screen' ? document.getElementById('quiz-overlay') : null;
    var active = state && state.session && state.phase !== 'none';
    if (overlay) { overlay.hidden = !active; document.body.classList.toggle('quiz-on', !!active); }
    if (!active) { view.appendChild(el('p', 'quiz-wait', L.noGame)); return updateButtons(); }
    var question = state.question;
    view.appendChild(el('p', 'quiz-title', state.title));
    if (state.phase === 'lobby') {
      var join = el('div', 'quiz-join');
      var url = root.getAttribute('data-join-url');
      join.appendChild(el('p', 'quiz-join-at', fill(L.joinAt, {url: url})));
      join.appendChild(el('p', 'quiz-code', state.code));
      var qr = el('img', 'quiz-qr');
      qr.src = fill(root.getAttribute('data-qr'), {code: state.code});
      qr.alt = fill(L.qrAlt, {code: state.code});
      join.appendChild(qr);
      view.appendChild(join);
      view.appendChild(el('p', 'quiz-players', fill(L['players.' + state.players] || L.players, {players: state.players})));
      var names = el('ul', 'quiz-names');
      (state.joined || []).forEach(function (n) { names.appendChild(el('li', null, n)); });
      view.appendChild(names);
    } else if (state.phase === 'question' && question) {
      view.appendChild(questionBlock(question, true));
      var grid = el('ol', 'quiz-choices static');
      if (question.kind !== 'number' && question.kind !== 'word') {
        choiceLabels(question).forEach(function (label, i) {
          var li = el('li', 'quiz-choice c' + i);
          li.appendChild(el('span', 'shape', SHAPES[i]));
          li.appendChild(el('span', 'qtext', label));
          grid.appendChild(li);
        });
        view.appendChild(grid);
      }
      var c = el('p', 'quiz-answered');
      c.id = 'quiz-count';
      c.setAttribute('aria-live', 'polite');
      view.appendChild(c);
      renderCounts();
    } else if (state.phase === 'results' && question) {
      view.appendChild(questionBlock(question, false));
      view.appendChild(results(question));
    } else if (state.phase === 'leaderboard') {
      if (timer) { clearInterval(timer); timer = null; }
      view.appendChild(header());
      if (state.teams && state.teamStandings) { view.appendChild(standings(teamRows().slice(0, 10), L.teamStandings)); }
      view.appendChild(standings(state.leaderboard || [], L.standings));
    } else if (state.phase === 'finished') {
      if (timer) { clearInterval(timer); timer = null; }
      view.appendChild(el('h2', null, L.finished));
      if (state.podium && state.podium.length) { view.appendChild(standings(state.podium, L.podium)); }
      if (state.teams && state.teamStandings) { view.appendChild(standings(teamRows().slice(0, 3), L.teamStandings)); }
    }
    updateButtons();
  }

  // The presenter's buttons: plain forms without JavaScript; with it, commands go over the live channel.
  function updateButtons() {
    if (role !== 'presenter') { return; }
    var phase = state && state.session ? state.phase : 'none';
    var phaseLabel = document.getElementById('quiz-phase');
    if (phaseLabel && L['phase.' + phase]) { phaseLabel.textContent = L['phase.' + phase]; }
    var allowed = {
      next: ['lobby', 'results', 'leaderboard'], close: ['question'], leaderboard: ['results'], finish: ['lobby', 'question', 'results', 'leaderboard']
    };
    var buttons = root.querySelectorAll('[data-command]');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i], command = b.getAttribute('data-command');
      b.hidden = (allowed[command] || []).indexOf(phase) < 0;
      if (command === 'next') { b.textContent = state && state.index >= state.count - 1 && phase !== 'lobby' ? L.showPodium : (phase === 'lobby' ? L.start : L.next); }
    }
  }
  if (role === 'presenter') {
    Array.prototype.forEach.call(root.querySelectorAll('[data-command]'), function (b) {
      b.addEventListener('click', function (e) {
        if (!state) { return; }
        e.preventDefault();
        // Ending the game cannot be undone: ask first (the form asks too, without JavaScript).
        if (b.getAttribute('data-command') === 'finish' && !window.confirm(L.confirmFinish)) { return; }
        b.disabled = true;
        live.send({type: 'command', command: b.getAttribute('data-command'), version: state.version, id: String(Date.now())});
        setTimeout(function () { b.disabled = false; }, 3000);
      });
    });
  }

  // The big screen: everything fits the projector, the type shrinks until nothing scrolls.
  function fit() {
    if (role !== 'screen') { return; }
    var size = 100, doc = document.documentElement;
    view.style.fontSize = '';
    while (doc.scrollHeight > window.innerHeight + 1 && size > 40) {
      size -= 5;
      view.style.fontSize = size + '%';
    }
  }
  window.addEventListener('resize', fit);

  function render() {
    var typing = document.getElementById('quiz-input');
    var typed = typing ? typing.value : '';
    var focused = typing && document.activeElement === typing;
    if (role === 'player') { renderPlayer(); } else { renderHost(); fit(); }
    var input = document.getElementById('quiz-input');
    if (input && typed) { input.value = typed; }
    if (input && focused) { input.focus(); }
  }
})();
