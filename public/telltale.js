// Telltale: the few things that must happen in the browser's own event
// handler, before go-app sees the event (go-app runs handlers later, when
// preventDefault is too late). Everything else is Go.
(function () {
  "use strict";
  // Enter runs the terminal's prompt: keep it from adding a newline.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t || !t.classList || !t.classList.contains("tt-term-input")) return;
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) e.preventDefault();
    if ((e.key === "ArrowUp" || e.key === "ArrowDown") && t.value.indexOf("\n") < 0) e.preventDefault();
  }, true);

  // Dragging the grip on the terminal's top edge resizes the terminal.
  var drag = null;
  document.addEventListener("pointerdown", function (e) {
    var t = e.target;
    if (!t || !t.classList || !t.classList.contains("tt-term-grip")) return;
    var term = document.getElementById("tt-term");
    if (!term) return;
    drag = { term: term, y: e.clientY, h: term.getBoundingClientRect().height };
    t.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  document.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var h = drag.h + (drag.y - e.clientY);
    var max = window.innerHeight - 120;
    drag.term.style.height = Math.max(96, Math.min(max, h)) + "px";
  });
  var stop = function () { drag = null; };
  document.addEventListener("pointerup", stop);
  document.addEventListener("pointercancel", stop);
})();
