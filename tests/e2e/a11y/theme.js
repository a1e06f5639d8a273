// Switches the window between the light and the dark theme for the accessibility e2e
// (tests/e2e/src/a11y.rs). WebKitWebDriver cannot emulate `prefers-color-scheme`, so the media text
// of the stylesheets' own `(prefers-color-scheme: dark)` rules is rewritten in place (`all` while
// dark, restored for light): the cascade stays exactly as written. The CSP forbids an inline
// <style>; the CSSOM is fine. `color-scheme` on :root makes the form controls follow.
// arguments[0]: 'dark' | 'light'. Returns { theme, rules, background } (the body's background).
const theme = arguments[0];
const saved = window.__deskTheme || (window.__deskTheme = []);
for (const { rule, text } of saved) rule.media.mediaText = text;
saved.length = 0;
document.documentElement.style.colorScheme = '';
if (theme === 'dark') {
  const walk = (rules) => {
    for (const rule of rules) {
      const text = rule.media && rule.media.mediaText;
      if (text && text.includes('prefers-color-scheme')) {
        // Any other form (light-only rules, combined queries) would need its own rewrite: say so.
        if (!/^\(prefers-color-scheme: dark\)$/.test(text)) throw new Error(`theme.js cannot emulate @media ${text}`);
        saved.push({ rule, text });
        rule.media.mediaText = 'all';
      }
      if (rule.cssRules) walk(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  document.documentElement.style.colorScheme = 'dark';
}
return { theme, rules: saved.length, background: getComputedStyle(document.body).backgroundColor };
