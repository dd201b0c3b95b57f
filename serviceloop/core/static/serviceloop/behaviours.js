// Page behaviours without inline script (the Content-Security-Policy forbids it, issue 9).
//   <form data-confirm="…"> / <button data-confirm="…">: ask before submitting.
//   <select data-autosubmit>: submit its form when changed.
//   <form data-go-to="field">: go to the URL held by that field instead of submitting.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (form.dataset.goTo) {
    event.preventDefault();
    window.location.href = form.elements[form.dataset.goTo].value;
  }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});
//   <button data-print>: print the page.
document.addEventListener("click", function (event) {
  if (event.target.closest("button[data-print]")) {
    window.print();
  }
});
