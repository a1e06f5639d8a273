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
    throw normalizeError(error);
  }
}

export async function listen(event, handler) {
  return window.__TAURI__.event.listen(event, (e) => handler(e.payload));
}
