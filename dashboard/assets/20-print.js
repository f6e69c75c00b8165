// Printing a page prints its data tables too: open every "Data table" section first.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (details) {
    details.setAttribute("data-was-open", details.open ? "yes" : "no");
    details.open = true;
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-was-open='no']").forEach(function (details) {
    details.open = false;
  });
});
