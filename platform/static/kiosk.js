// Kiosk mode (电子触摸屏): after the configured idle time without a touch, a key or a
// scroll, go back to the agency's home page so the next visitor starts fresh.
(function () {
  "use strict";
  var home = document.querySelector('meta[name="gk-idle-home"]');
  var secs = document.querySelector('meta[name="gk-idle-seconds"]');
  if (!home || !secs) return;
  var target = home.getAttribute("content");
  var delay = Math.max(1, parseInt(secs.getAttribute("content"), 10) || 120) * 1000;
  var timer = null;
  function atHome() {
    return window.location.pathname === target && !window.location.search;
  }
  function reset() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (!atHome()) window.location.assign(target);
    }, delay);
  }
  ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (e) {
    window.addEventListener(e, reset, { passive: true });
  });
  reset();
})();
