// Keeps a workspace page current without a reload: the bell's count and the queues' counts, and on a case
// page a notice when the case has moved on (a reload would lose what the reader is typing). Actions sent
// with htmx (forms marked hx-boost) replace the page's <main> in place; this file moves the focus to what
// the answer says, so that keyboard and screen-reader users hear it. Every page works without this file.
(function () {
  "use strict";
  var body = document.body;
  var liveUrl = body.getAttribute("data-live-url");
  var caseUrl = body.getAttribute("data-case-live-url");
  var EVERY = 30000;

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  // How far the case's audit chain had grown when this page (or its last in-place update) was drawn.
  function seenEvents() {
    var node = document.querySelector("[data-case-events]");
    return node ? Number(node.getAttribute("data-case-events")) : 0;
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
        var notice = document.getElementById("case-changed");
        if (data && notice && data.events > seenEvents()) { notice.hidden = false; }
      });
    }
  }

  if (liveUrl || caseUrl) {
    window.setInterval(refresh, EVERY);
    document.addEventListener("visibilitychange", refresh);
  }

  // After an action answered in place: the first field it refused, or else what it says (done, or why not).
  body.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("#content [aria-invalid=true]") ||
      document.querySelector("#content .messages") || document.querySelector("#content .alert.error:not([hidden])") ||
      document.querySelector("#content h1");
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
    refresh();  // the bell and the counts may have moved with the action
  });

  // Why an action was not saved: signed out (401), a page whose form token went stale (403, after signing in
  // again elsewhere), or anything else. Nothing is swapped in, so what was typed stays.
  function failed(status) {
    var id = status === 401 ? "request-signed-out" : status === 403 ? "request-stale" : "request-failed";
    var alert = document.getElementById(id);
    // The last action's confirmation no longer describes the page.
    document.querySelectorAll("#content .messages").forEach(function (node) { node.hidden = true; });
    if (alert) { alert.hidden = false; alert.focus(); }
  }
  body.addEventListener("htmx:responseError", function (event) { failed(event.detail.xhr.status); });
  body.addEventListener("htmx:sendError", function () { failed(0); });
  // An answer that is not a workspace page (a proxy's error page, say) would blank this one: keep it instead.
  body.addEventListener("htmx:beforeSwap", function (event) {
    var answer = event.detail.serverResponse || "";
    if (event.detail.shouldSwap && answer.indexOf('id="content"') === -1) {
      event.detail.shouldSwap = false;
      failed(event.detail.xhr.status);
    }
  });
}());
