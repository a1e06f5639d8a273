// Pure views of the SEN detail (no DOM, tested under ui/tests): who the SOC told when it sent the
// SEN (SIMM 5335-A Table 2), who each escalation level tells (Table 3), and what the determination
// stage stands at after a help request.

// Table 2 for this SEN's level, and Table 3 for every escalation level with the times of this SEN's
// escalations (stage by stage) when it has a clock.
export function whoWasTold(detail) {
  const initial = detail.initial_distribution ?? null;
  const schedule = detail.card?.schedule ?? null;
  const escalations = schedule?.escalations ?? [];
  return {
    initial: initial
      ? { from: initial.from, phoned: [...initial.telephone], emailed: [...initial.email], phones: initial.telephone.length > 0 }
      : null,
    levels: (detail.ladder ?? []).map((l) => ({
      level: l.level,
      to: l.to,
      emailFrom: l.email_from,
      phoned: [...l.telephone],
      copied: [...l.email_copies],
      stages: escalations
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.level === l.level)
        .map(({ e, i }) => ({ stage: e.stage, at: e.at, atLocal: detail.card.local?.escalations?.[i] ?? e.at, averted: e.averted })),
    })),
  };
}

// The determination stage after a help request: 'pending' (in time, no deadline runs), 'answered'
// (in time, a final determination followed), 'late' (made after the due time: it does not count),
// or null (no help request).
export function helpState(card) {
  const det = card?.schedule?.stages?.find((s) => s.stage === 'determine');
  if (!det) return null;
  if (det.help_pending) return 'pending';
  if (det.help_requested_at) return 'answered';
  if (det.late_request_at && card.sen?.help_requested_at === det.late_request_at) return 'late';
  return null;
}

// The outcomes the determination form offers, in order, with what each needs.
export function outcomeChoices(outcomes) {
  return outcomes.map((o) => ({
    id: o.id,
    label: o.label,
    needsFindingsBy: o.id === 'more_time',
    showsHelp: o.id === 'request_help',
  }));
}
