// Progressive: while a run plans, fetch its progress fragment into the live region every
// second; when the run is no longer planning, reload to show the draft. Without this script
// the page refreshes itself (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var region = document.getElementById("progress");
  if (!region || !region.dataset.active) { return; }
  function tick() {
    fetch(region.dataset.url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var next = document.createElement("div");
        next.innerHTML = html;
        var block = next.querySelector(".progress");
        var status = block ? block.dataset.status : "";
        if (status === "running" || status === "cancelling") {
          region.replaceChildren.apply(region, Array.prototype.slice.call(next.childNodes));
          window.setTimeout(tick, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 1000);
})();
