// Runs axe-core (loaded into the page before, see tests/e2e/src/a11y.rs) on the whole document, with
// its default rule set, through WebDriver `execute/async`. Returns what the test prints and checks:
// the version, the rule ids of each outcome, and every violation and incomplete result with its nodes.
const done = arguments[arguments.length - 1];
if (!window.axe) {
  done({ error: 'axe-core is not loaded in the page' });
} else {
  const nodes = (list) => list.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '', html: n.html.slice(0, 160) }));
  const item = (r) => ({ id: r.id, impact: r.impact, help: r.help, helpUrl: r.helpUrl, nodes: nodes(r.nodes) });
  window.axe.run(document, { resultTypes: ['violations', 'incomplete'] }).then(
    (r) => done({
      version: window.axe.version,
      passes: r.passes.map((x) => x.id),
      inapplicable: r.inapplicable.map((x) => x.id),
      violations: r.violations.map(item),
      incomplete: r.incomplete.map(item),
    }),
    (e) => done({ error: String((e && e.stack) || e) }),
  );
}
