// Same first-paint signal as Incident Desk's ui/app.js: two frames after the page has loaded.
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI__.core.invoke('ui_ready')));
