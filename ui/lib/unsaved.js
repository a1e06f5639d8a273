// What the window holds that is not on disk yet. A page with such work registers a check; the
// app asks before it lets the hidden window go (src-tauri/src/main_window.rs releases a window
// that sat in the tray, and the web view with it).

const checks = new Set();

// check() -> true while something is not saved. Returns the function that removes the check.
export function holdUnsaved(check) {
  checks.add(check);
  return () => checks.delete(check);
}

export function hasUnsaved() {
  for (const check of checks) if (check()) return true;
  return false;
}
