// Values addressed by the dotted field ids the core uses (`iso.email`, `computers.3.ip`).

export function getPath(object, path) {
  let node = object;
  for (const key of path.split('.')) {
    if (node == null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

export function setPath(object, path, value) {
  const keys = path.split('.');
  let node = object;
  keys.slice(0, -1).forEach((key, i) => {
    if (node[key] == null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
  node[keys[keys.length - 1]] = value;
  return object;
}

// Phone numbers are edited in one control, separated by `;`.
export function splitPhones(text) {
  return String(text ?? '').split(/[;\n]/).map((p) => p.trim()).filter(Boolean);
}

export function joinPhones(list) {
  return (list ?? []).join('; ');
}
