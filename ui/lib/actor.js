// Who wrote a history row ({user, host} from the core's audit::Actor), as people read it.
export function actorText(actor) {
  if (!actor?.user && !actor?.host) return 'by an unknown user (recorded before accountability)';
  return `by ${actor.user || 'unknown user'}${actor.host ? ` on ${actor.host}` : ''}`;
}
