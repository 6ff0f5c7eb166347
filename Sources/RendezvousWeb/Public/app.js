// Progressive enhancement only: every page works without it.
(function () {
  var firstError = document.querySelector('[aria-invalid="true"]');
  if (firstError) { firstError.focus(); }
})();
