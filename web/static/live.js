// Live updates: follow the server-sent event stream and redraw the page's live part from the
// server's own HTML (one template for both); poll when the stream is unavailable. Without
// JavaScript the page refreshes itself (meta refresh) and its forms post as usual.
(function () {
  "use strict";
  var body = document.body;
  var screen = body.getAttribute("data-view") === "screen";
  var key = body.getAttribute("data-key") || "";
  var q = screen ? "?key=" + encodeURIComponent(key) : "";
  var page = screen ? "/screen" + q : "/";
  var last = null;
  var busy = false;

  function redraw() {
    if (busy) { return; }
    busy = true;
    fetch(page, { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live");
        var live = document.getElementById("live");
        // a drill's ticks not sent yet stay while the room is still at that drill
        var dirty = document.querySelector("#drill.dirty");
        var theirs = doc.getElementById("drill");
        var keep = dirty && theirs &&
          dirty.getAttribute("data-scene") === theirs.getAttribute("data-scene");
        if (fresh && live && !keep) { live.innerHTML = fresh.innerHTML; }
        var fb = doc.getElementById("fb"), mine = document.getElementById("fb");
        if (fb && mine && !mine.firstElementChild) { mine.innerHTML = fb.innerHTML; }
        document.title = doc.title;
      }).catch(function () {}).then(function () { busy = false; });
  }

  document.addEventListener("change", function (e) {
    var form = e.target && e.target.form;
    if (form && form.id === "drill") { form.classList.add("dirty"); }
  });

  function seen(data) {
    var text = typeof data === "string" ? data : JSON.stringify(data);
    if (text !== last) {
      if (last !== null) { redraw(); }
      last = text;
    }
    body.setAttribute("data-live", "on");
  }

  function poll() {
    fetch("/api/state" + q, { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(seen).catch(function () {}).then(function () { setTimeout(poll, 2000); });
  }

  if (window.EventSource) {
    var failures = 0;
    var stream = new EventSource("/api/events" + q);
    stream.addEventListener("state", function (e) { failures = 0; seen(e.data); });
    stream.onerror = function () {
      failures += 1;
      if (failures > 3) { stream.close(); poll(); }
    };
  } else {
    poll();
  }
})();
