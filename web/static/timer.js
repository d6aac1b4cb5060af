// The discussion timer as a countdown: the page says when the time runs out (a <time> element,
// readable without JavaScript); this adds the minutes and seconds left beside it, once a
// second. It reads the element anew each tick, since live.js redraws the page's live part.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var when = document.getElementById("deadline");
    var out = document.getElementById("countdown");
    if (!when || !out) { return; }
    var end = Date.parse(when.getAttribute("datetime") || "");
    if (isNaN(end)) { return; }
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    // the words come from the page, in the session's language (data-left holds TIME)
    var running = out.getAttribute("data-left") || "(TIME left)";
    out.textContent = left > 0
      ? " " + running.replace("TIME", Math.floor(left / 60) + ":" + pad(left % 60))
      : " " + (out.getAttribute("data-up") || "(time is up)");
    out.hidden = false;
  }
  tick();
  setInterval(tick, 1000);
})();
