// The only door to the Rust side. Errors always come back as {code, message, fields}.

export function normalizeError(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    return { code: error.code, message: String(error.message ?? error.code), fields: error.fields ?? [] };
  }
  // Tauri itself rejects with a string when arguments do not deserialize.
  return { code: 'ipc', message: String(error), fields: [] };
}

export async function call(command, args = {}) {
  try {
    return await window.__TAURI__.core.invoke(command, args);
  } catch (error) {
    const normal = normalizeError(error);
    // Rust refused because the app is locked (src-tauri/src/lock.rs): show the lock screen.
    if (normal.code === 'locked') window.dispatchEvent(new CustomEvent('desk:locked'));
    throw normal;
  }
}

export async function listen(event, handler) {
  return window.__TAURI__.event.listen(event, (e) => handler(e.payload));
}
