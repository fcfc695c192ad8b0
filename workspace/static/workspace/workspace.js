// Keeps a workspace page current without a reload: the bell's count and the queues' counts, and on a case
// page a notice when the case has moved on (a reload would lose what the reader is typing). Every page works
// without this file.
(function () {
  "use strict";
  var body = document.body;
  var liveUrl = body.getAttribute("data-live-url");
  var caseUrl = body.getAttribute("data-case-live-url");
  var seen = Number(body.getAttribute("data-case-events") || 0);
  var EVERY = 30000;

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  function refresh() {
    if (document.hidden) { return; }
    if (liveUrl) {
      getJson(liveUrl).then(function (data) {
        if (!data) { return; }
        document.querySelectorAll("[data-unread]").forEach(function (node) { node.textContent = data.unread; });
        Object.keys(data.counts).forEach(function (queue) {
          var node = document.querySelector('[data-queue-count="' + queue + '"]');
          if (node) { node.textContent = data.counts[queue]; }
        });
      });
    }
    if (caseUrl) {
      getJson(caseUrl).then(function (data) {
        if (data && data.events > seen) { document.getElementById("case-changed").hidden = false; }
      });
    }
  }

  if (liveUrl || caseUrl) {
    window.setInterval(refresh, EVERY);
    document.addEventListener("visibilitychange", refresh);
  }
}());
