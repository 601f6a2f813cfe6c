// Yui's job widget as a script tag: <script src="https://…/embed/jobs.js" data-limit="5" async></script>
// It puts an iframe of /embed/jobs right after itself, so the partner's page runs none of
// Yui's markup and Yui's page runs none of the partner's. Filters: data-type, data-area,
// data-q, data-limit, data-height (pixels).
(function () {
  var me = document.currentScript;
  if (!me || !me.src) { return; }
  var origin = new URL(me.src).origin;
  var params = new URLSearchParams();
  ["type", "area", "q", "limit"].forEach(function (name) {
    var value = me.getAttribute("data-" + name);
    if (value) { params.set(name, value); }
  });
  var frame = document.createElement("iframe");
  var query = params.toString();
  frame.src = origin + "/embed/jobs" + (query ? "?" + query : "");
  frame.title = me.getAttribute("data-title") || "Yui";
  frame.loading = "lazy";
  frame.width = "100%";
  frame.height = String(parseInt(me.getAttribute("data-height"), 10) || 420);
  frame.style.border = "0";
  me.parentNode.insertBefore(frame, me.nextSibling);
})();
