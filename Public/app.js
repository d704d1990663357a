// Small conveniences on top of pages that work without JavaScript (loaded with defer; no inline
// script, so the CSP default-src 'self' holds).
(function () {
  "use strict";

  // Select-all: <input type="checkbox" data-select-all="NAME"> ticks every checkbox name=NAME
  // of the same form, including ones tied to it by a form="…" attribute (form.elements).
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    var form = master.form;
    if (!form) { return; }
    master.hidden = false;
    var name = master.getAttribute("data-select-all");
    function boxes() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.type === "checkbox" && el.name === name;
      });
    }
    master.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = master.checked; });
    });
    // Associated controls outside the form element do not bubble to it: listen on the document.
    document.addEventListener("change", function (event) {
      var target = event.target;
      if (target === master || target.form !== form || target.name !== name) { return; }
      master.checked = boxes().every(function (box) { return box.checked; });
    });
  });

  // Live countdowns: <time datetime="ISO" data-countdown>ends in 42 min</time> keeps its text current.
  var countdowns = document.querySelectorAll("time[data-countdown]");
  function words(ms) {
    var past = ms < 0;
    var s = Math.abs(ms) / 1000;
    var text;
    if (s < 45) { return "just now"; }
    if (s < 3600) { text = Math.round(s / 60) + " min"; }
    else if (s < 86400) { text = Math.floor(s / 3600) + " h " + Math.round((s % 3600) / 60) + " min"; }
    else { var d = Math.floor(s / 86400); text = d + (d === 1 ? " day" : " days"); }
    return past ? text + " ago" : "in " + text;
  }
  function tick() {
    var now = Date.now();
    countdowns.forEach(function (node) {
      var at = Date.parse(node.getAttribute("datetime"));
      if (!isNaN(at)) { node.textContent = (node.getAttribute("data-prefix") || "") + words(at - now); }
    });
  }
  if (countdowns.length > 0) { tick(); window.setInterval(tick, 30000); }
})();
