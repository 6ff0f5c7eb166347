// Progressive enhancement only: every page works without it.
(function () {
  var firstError = document.querySelector('[aria-invalid="true"]');
  if (firstError) { firstError.focus(); }
})();
// CSV import: read the chosen file into the text area, so the form posts plain text.
(function () {
  var inputs = document.querySelectorAll('input[type="file"][data-fills]');
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-fills'));
      if (!input.files || !input.files[0] || !target) { return; }
      var reader = new FileReader();
      reader.onload = function () { target.value = reader.result; };
      reader.readAsText(input.files[0]);
    });
  });
})();
// Tables & rounds: drag a person onto another table of a round not yet started. The drop fills in
// and posts that person's own "move to" form, so the server decides exactly as without a mouse.
(function () {
  // A link or a redirect to #round-2 unfolds that round.
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  }
  var rounds = document.querySelectorAll('details[id^="round-"]');
  Array.prototype.forEach.call(rounds, function (round) {
    var tables = round.querySelectorAll('.room-tables > li');
    var dragged = null;
    Array.prototype.forEach.call(tables, function (table, index) {
      Array.prototype.forEach.call(table.querySelectorAll('.people > li'), function (person) {
        var form = person.querySelector('form select[name="table"]');
        if (!form) { return; }
        person.setAttribute('draggable', 'true');
        person.classList.add('draggable');
        person.addEventListener('dragstart', function (event) {
          dragged = form;
          event.dataTransfer.effectAllowed = 'move';
          event.dataTransfer.setData('text/plain', '');
          person.classList.add('dragging');
        });
        person.addEventListener('dragend', function () { person.classList.remove('dragging'); });
      });
      table.addEventListener('dragover', function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        table.classList.add('drop-target');
      });
      table.addEventListener('dragleave', function () { table.classList.remove('drop-target'); });
      table.addEventListener('drop', function (event) {
        event.preventDefault();
        table.classList.remove('drop-target');
        if (!dragged || dragged.value === String(index)) { dragged = null; return; }
        dragged.value = String(index);
        dragged.form.submit();
      });
    });
  });
})();
// The presenter's clock on the organiser's page counts down between reloads.
(function () {
  var clock = document.querySelector('[data-countdown]');
  if (!clock) { return; }
  var end = Date.now() + parseInt(clock.getAttribute('data-countdown'), 10) * 1000;
  setInterval(function () {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ':' + (s < 10 ? '0' : '') + s;
  }, 500);
})();
// Forms that change something for everyone at once ask first (without JavaScript they go ahead:
// the server still applies each press to the state its page showed).
(function () {
  Array.prototype.forEach.call(document.querySelectorAll('form[data-confirm]'), function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
    });
  });
})();
// Share: "Copy the link" beside the read-only link field (without the clipboard API, or without
// JavaScript, the field stays and can be selected by hand).
(function () {
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = button.parentNode.parentNode.querySelector('.copy-status');
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = button.getAttribute('data-copied'); }
      }, function () { field.select(); });
    });
  });
})();
// My Rendezvous: an attendee signed in fills the registration form from their profile in one tap.
// The event page stays cached for everyone: the profile comes from /me/profile.json (never cached).
(function () {
  var form = document.querySelector('form.profile[action$="/register"]');
  if (!form || !window.fetch) { return; }
  var lang = document.documentElement.getAttribute('lang') || 'en';
  fetch('/me/profile.json?in=' + encodeURIComponent(lang), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) { return response.status === 200 ? response.json() : null; })
    .then(function (profile) {
      if (!profile) { return; }
      var box = document.createElement('p');
      box.className = 'me-prefill';
      box.appendChild(document.createTextNode(profile.hint + ' '));
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = profile.label;
      button.addEventListener('click', function () {
        ['firstName', 'lastName', 'email', 'jobTitle', 'company', 'linkedinUrl', 'askMeAbout'].forEach(function (name) {
          var field = form.elements[name];
          if (field && profile[name]) { field.value = profile[name]; }
        });
        box.parentNode.removeChild(box);
        if (form.elements.firstName) { form.elements.firstName.focus(); }
      });
      box.appendChild(button);
      form.insertBefore(box, form.firstChild);
    })
    .catch(function () {});
})();
