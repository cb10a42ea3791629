// Interaction only: the page is complete without it. A tooltip for every shape with a
// <title>, folding of subthreads in the reply tree, and sortable page tables.
(function () {
  "use strict";
  var tip = document.getElementById("tip");

  function show(target, x, y) {
    var title = target.querySelector(":scope > title");
    if (!title) { return; }
    tip.textContent = title.textContent;
    tip.hidden = false;
    var box = tip.getBoundingClientRect();
    var left = Math.min(x + 14, window.innerWidth - box.width - 8);
    var top = y + 16 + box.height > window.innerHeight ? y - box.height - 10 : y + 16;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
  }
  function hide() { tip.hidden = true; }

  document.addEventListener("mouseover", function (event) {
    var shape = event.target.closest("svg.chart [class]");
    if (shape && shape.querySelector(":scope > title")) { show(shape, event.clientX, event.clientY); } else { hide(); }
  });
  document.addEventListener("mousemove", function (event) {
    if (!tip.hidden) {
      var shape = event.target.closest("svg.chart [class]");
      if (shape) { show(shape, event.clientX, event.clientY); }
    }
  });
  document.addEventListener("focusin", function (event) {
    var shape = event.target;
    if (shape.closest && shape.closest("svg.chart")) {
      var box = shape.getBoundingClientRect();
      show(shape, box.left + Math.min(box.width, 40), box.top);
    }
  });
  document.addEventListener("focusout", hide);
  window.addEventListener("scroll", hide, { passive: true });

  // Folding: a node hides every node below it; the nodes carry their parent's index (data-p).
  function fold(node) {
    if (node.getAttribute("data-n") === "0") { return; }
    var svg = node.closest("svg");
    node.classList.toggle("folded");
    node.setAttribute("aria-expanded", node.classList.contains("folded") ? "false" : "true");
    var nodes = svg.querySelectorAll("rect.node");
    var hidden = new Uint8Array(nodes.length);
    for (var i = 0; i < nodes.length; i++) {
      var parent = +nodes[i].getAttribute("data-p");
      hidden[i] = parent >= 0 && (hidden[parent] || nodes[parent].classList.contains("folded")) ? 1 : 0;
      nodes[i].classList.toggle("hidden", hidden[i] === 1);
      var label = nodes[i].nextElementSibling;
      if (label && label.tagName.toLowerCase() === "text") { label.classList.toggle("hidden", hidden[i] === 1); }
    }
  }
  document.addEventListener("click", function (event) {
    var node = event.target.closest("rect.node");
    if (node) { fold(node); }
  });
  document.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest("rect.node");
    if (node && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); fold(node); }
  });

  // Sortable tables: a button in each header; numbers sort as numbers, empty cells last.
  document.querySelectorAll("table.pages").forEach(function (table) {
    var headers = table.querySelectorAll("th");
    headers.forEach(function (header, column) {
      var button = header.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = header.classList.contains("n");
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-v"), y = b.cells[column].getAttribute("data-v");
          if (x === "" || y === "") { return x === y ? 0 : x === "" ? 1 : -1; }
          var order = numeric ? (+x) - (+y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
