// Size caps of files picked or dropped (desk_core::limits, through `app_info`), checked before a
// file is read into the page: a 2 GB "notice.eml" is refused without being loaded. The commands
// check the same caps again on what arrives.

import { call } from './ipc.js';

let caps = null;

async function limits() {
  caps ??= call('app_info').then((info) => info?.limits ?? {}).catch(() => ({}));
  return caps;
}

// `10 MiB`, `1.5 KiB`, as the Rust side writes sizes.
export function humanSize(bytes) {
  for (const [unit, name] of [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']]) {
    if (bytes >= unit) {
      const whole = Math.floor(bytes / unit);
      const tenth = Math.floor(((bytes % unit) * 10) / unit);
      return tenth ? `${whole}.${tenth} ${name}` : `${whole} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

// The refusal for a file over `cap` bytes, or null (no known cap: the command decides).
export function overCap(file, cap, what) {
  if (!Number.isFinite(cap) || file.size <= cap) return null;
  return `${file.name} is ${humanSize(file.size)}: a ${what} is read up to ${humanSize(cap)} (the documented cap); nothing was read or stored`;
}

// `kind` is a key of app_info's limits (eml, msg, ics, report_import); `what` names it for people.
export async function tooLarge(file, kind, what) {
  return overCap(file, (await limits())[kind], what);
}
