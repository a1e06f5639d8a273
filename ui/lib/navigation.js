// Navigations one at a time. A page's mount awaits (its module, its data) before it draws into
// #main; a second hash change in that time must not let the first page draw over the second. So
// each navigation waits for the one before it to finish, runs only if no newer one arrived in the
// meantime, and gets `isCurrent()` to check after each await of its own.

export function navigationQueue() {
  let latest = 0;
  let tail = Promise.resolve();
  // run(isCurrent) -> Promise; resolves once this navigation has run (or was skipped as superseded).
  return function navigate(run) {
    const token = ++latest;
    const isCurrent = () => token === latest;
    const done = tail.then(() => (isCurrent() ? run(isCurrent) : undefined));
    tail = done.catch(() => {});
    return done;
  };
}
