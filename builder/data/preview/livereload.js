// The preview's live reload (`disseminate serve`), served from a file: the site's
// Content-Security-Policy runs no inline script, so MkDocs' inline one would never run.
// The page asks the server for the site's version; the server answers once a newer one is
// written (or after a minute), and the page reloads when it is newer than the page's own.
(function () {
  "use strict";
  var parts = new URL(document.currentScript.src).pathname.split("/");
  var epoch = parseFloat(parts[parts.length - 2]);
  var request = parts[parts.length - 1].replace(/\.js$/, "");
  var pending, timer;

  function poll() {
    pending = new XMLHttpRequest();
    pending.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    pending.open("GET", "/livereload/" + epoch + "/" + request);
    pending.send();
  }

  function stop() {
    if (pending) pending.abort();
    if (timer) clearTimeout(timer);
    pending = timer = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll(); else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
