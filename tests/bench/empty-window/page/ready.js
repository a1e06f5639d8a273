// Same first-paint signal as Incident Desk's ui/app.js: two frames after the page has loaded.
requestAnimationFrame((first) => requestAnimationFrame(() => window.__TAURI__.core.invoke('ui_ready', {
  firstFrameMs: first, paintedMs: performance.now(), htmlMs: performance.getEntriesByType('navigation')[0]?.responseEnd,
})));
