/* The live screens (the clerk's console, the public screen). Their state arrives by
   server-sent events (htmx's sse extension); they poll it only while the stream is
   down (`hx-trigger="every 1s [!registreDirect]"`): the browser, then the extension,
   reconnect by themselves. */
(function () {
  "use strict";
  window.registreDirect = false;
  function direct(on) {
    return function () { window.registreDirect = on; };
  }
  document.addEventListener("htmx:sseOpen", direct(true));
  document.addEventListener("htmx:sseError", direct(false));
  document.addEventListener("htmx:sseClose", direct(false));
  // The clerk's actions: while the stream is open it brings the new state, so the
  // answer needs to carry it only with a message (a refusal, a warning).
  document.addEventListener("htmx:configRequest", function (event) {
    if (window.registreDirect) {
      event.detail.headers["X-Registre-Direct"] = "1";
    }
  });
})();
