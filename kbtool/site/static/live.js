// kbtool serve: reload this page after each rebuild; show a failed build's reason.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var events = new EventSource("/_kbtool/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("problem", function (event) {
    var banner = document.getElementById("kb-live-problem");
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "kb-live-problem";
      banner.className = "live-problem";
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = event.data;
    banner.hidden = !event.data;
  });
})();
