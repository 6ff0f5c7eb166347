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
