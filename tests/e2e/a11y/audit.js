// In-repo accessibility audit, run in the real window through WebDriver `execute` (see
// tests/e2e/src/a11y.rs). axe-core cannot be obtained here (not in Debian, no crate embeds it,
// no npm downloads), so this checks the axe rules of SERIOUS or CRITICAL impact that apply to
// this UI, under the same rule ids:
//   html-has-lang, document-title, label / select-name / aria-input-field-name, button-name,
//   link-name, image-alt / role-img-alt / svg-img-alt, aria-valid-attr, aria-valid-attr-value
//   (every IDREF must exist), aria-roles, aria-required-children, aria-required-parent,
//   aria-hidden-body, aria-hidden-focus, duplicate-id(-aria/-active), nested-interactive, list,
//   listitem, definition-list, dlitem, tabindex, scrollable-region-focusable, color-contrast
//   (text and the values in form controls, 4.5:1, 3:1 for large text), frame-title.
// Visible focus is checked by tests/e2e/src/a11y.rs, pressing Tab through the page.
//
// arguments[0]: { darkTheme: bool } — emulate prefers-color-scheme: dark by appending the
// stylesheets' dark @media rules unconditionally (the CSP forbids inline <style>; the CSSOM is fine).
// Returns { violations: [{ rule, impact, target, message }], checked: { rule: count }, incomplete: [...] }.

function audit(options) {
  const violations = [];
  const incomplete = [];
  const checked = {};
  const seen = new Set();
  const count = (rule) => { checked[rule] = (checked[rule] || 0) + 1; };

  function target(el) {
    if (!el || el.nodeType !== 1) return String(el);
    if (el.id) return `#${el.id}`;
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && parts.length < 4) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(`#${node.id} ${part === 'html' ? '' : ''}`.trim()); break; }
      if (node.classList.length) part += `.${[...node.classList].slice(0, 2).join('.')}`;
      const parent = node.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.tagName === node.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(' > ');
  }

  function fail(rule, impact, el, message) {
    const key = `${rule}|${target(el)}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    violations.push({ rule, impact, target: target(el), message, text: (el && el.textContent || '').trim().slice(0, 60) });
  }

  // ---- theme ----
  if (options && options.darkTheme) {
    const host = [...document.styleSheets].find((s) => { try { return s.cssRules && s.href; } catch (e) { return false; } });
    const darkRules = [];
    const walk = (sheet) => {
      let rules;
      try { rules = sheet.cssRules; } catch (e) { return; }
      for (const rule of rules) {
        if (rule.styleSheet) walk(rule.styleSheet);
        else if (rule.media && /prefers-color-scheme:\s*dark/.test(rule.media.mediaText)) {
          for (const inner of rule.cssRules) darkRules.push(inner.cssText);
        }
      }
    };
    for (const sheet of document.styleSheets) walk(sheet);
    if (!host || !darkRules.length) {
      return { violations: [{ rule: 'dark-theme', impact: 'serious', target: 'document', message: 'no dark @media rules found to emulate the dark theme' }], checked, incomplete };
    }
    host.insertRule(':root { color-scheme: dark; }', host.cssRules.length);
    for (const text of darkRules) host.insertRule(text, host.cssRules.length);
    window.__a11yDark = { sheet: host, n: darkRules.length + 1 };
    const bodyBg = getComputedStyle(document.body).backgroundColor;
    if (!/rgba?\((\d+), (\d+), (\d+)/.test(bodyBg) || Number(RegExp.$1) > 80) {
      return { violations: [{ rule: 'dark-theme', impact: 'serious', target: 'body', message: `the dark rules did not apply (body background ${bodyBg})` }], checked, incomplete };
    }
  }

  // ---- helpers ----
  const all = [...document.querySelectorAll('*')];

  function rendered(el) {
    if (!el.isConnected || el.closest('[hidden]')) return false;
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  }

  function hiddenFromAT(el) {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.getAttribute('aria-hidden') === 'true') return true;
      if (node.hidden) return true;
      const style = getComputedStyle(node);
      if (style.display === 'none') return true;
    }
    return getComputedStyle(el).visibility === 'hidden';
  }

  const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'option', 'radio', 'checkbox', 'switch', 'tab', 'menuitem',
    'menuitemcheckbox', 'menuitemradio', 'cell', 'columnheader', 'rowheader', 'gridcell', 'treeitem', 'tooltip', 'row']);

  function implicitRole(el) {
    const tag = el.tagName.toLowerCase();
    switch (tag) {
      case 'a': return el.hasAttribute('href') ? 'link' : null;
      case 'button': return 'button';
      case 'input': {
        const type = (el.getAttribute('type') || 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'hidden') return null;
        if (type === 'search') return 'searchbox';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        return 'textbox';
      }
      case 'textarea': return 'textbox';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'option': return 'option';
      case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'ul': case 'ol': return 'list';
      case 'li': return 'listitem';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'dialog': return 'dialog';
      case 'fieldset': return 'group';
      case 'nav': return 'navigation';
      case 'main': return 'main';
      case 'aside': return 'complementary';
      case 'table': return 'table';
      case 'tr': return 'row';
      case 'th': return 'columnheader';
      case 'td': return 'cell';
      default: return null;
    }
  }

  function role(el) {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    return explicit || implicitRole(el);
  }

  // Text of a subtree as a name: text nodes, alt of images, values of embedded controls; skips
  // what is hidden (unless `force`, for aria-labelledby targets).
  function textFor(node, force, visited) {
    visited = visited || new Set();
    if (visited.has(node)) return '';
    visited.add(node);
    if (node.nodeType === 3) return node.textContent;
    if (node.nodeType !== 1) return '';
    if (!force && hiddenFromAT(node)) return '';
    const tag = node.tagName.toLowerCase();
    if (tag === 'img') return node.getAttribute('alt') || '';
    if (tag === 'input' && !['button', 'submit', 'reset'].includes(node.type)) return node.value || '';
    if (tag === 'select') return node.selectedOptions[0] ? node.selectedOptions[0].textContent : '';
    if (tag === 'textarea') return node.value || '';
    const label = node.getAttribute('aria-label');
    if (label && label.trim()) return label;
    let out = '';
    for (const child of node.childNodes) out += textFor(child, false, visited);
    if (tag === 'input' && ['button', 'submit', 'reset'].includes(node.type)) out = node.value || '';
    return out;
  }

  function accessibleName(el) {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const text = labelledby.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
        .map((ref) => textFor(ref, true)).join(' ').replace(/\s+/g, ' ').trim();
      if (text) return text;
    }
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return label.trim();
    const tag = el.tagName.toLowerCase();
    if (el.labels && el.labels.length) {
      const text = [...el.labels].map((l) => {
        let t = '';
        for (const child of l.childNodes) if (child !== el) t += textFor(child, false);
        return t;
      }).join(' ').replace(/\s+/g, ' ').trim();
      if (text) return text;
    }
    if (tag === 'fieldset') {
      const legend = [...el.children].find((c) => c.tagName === 'LEGEND');
      if (legend && textFor(legend).trim()) return textFor(legend).trim();
    }
    if (tag === 'img') return (el.getAttribute('alt') || '').trim();
    if (tag === 'input' && ['button', 'submit', 'reset'].includes(el.type)) {
      return (el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : '')).trim();
    }
    if (tag === 'table') {
      const caption = el.querySelector(':scope > caption');
      if (caption && caption.textContent.trim()) return caption.textContent.trim();
    }
    if (NAME_FROM_CONTENT.has(role(el))) {
      const text = textFor(el).replace(/\s+/g, ' ').trim();
      if (text) return text;
    }
    const title = el.getAttribute('title');
    if (title && title.trim()) return title.trim();
    return '';
  }

  function focusable(el) {
    if (el.disabled) return false;
    if (el.hasAttribute('tabindex') && Number(el.getAttribute('tabindex')) >= 0) return true;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a' && el.hasAttribute('href')) return true;
    if (['button', 'select', 'textarea', 'summary'].includes(tag)) return true;
    if (tag === 'input' && el.type !== 'hidden') return true;
    return el.isContentEditable;
  }

  // ---- document ----
  count('html-has-lang');
  if (!document.documentElement.lang) fail('html-has-lang', 'serious', document.documentElement, '<html> has no lang attribute');
  count('document-title');
  if (!document.title.trim()) fail('document-title', 'serious', document.documentElement, 'the document has no title');
  count('aria-hidden-body');
  if (document.body.getAttribute('aria-hidden') === 'true') fail('aria-hidden-body', 'critical', document.body, 'aria-hidden on <body>');

  // ---- ids ----
  const ids = new Map();
  for (const el of all) if (el.id) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  const referenced = new Set();
  for (const el of all) {
    for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-flowto', 'aria-details', 'aria-errormessage', 'aria-activedescendant']) {
      const value = el.getAttribute(attr);
      if (value) for (const id of value.trim().split(/\s+/)) referenced.add(id);
    }
    if (el.tagName === 'LABEL' && el.htmlFor) referenced.add(el.htmlFor);
  }
  for (const [id, n] of ids) {
    count('duplicate-id');
    if (n < 2) continue;
    const el = document.getElementById(id);
    const rule = referenced.has(id) ? 'duplicate-id-aria' : focusable(el) ? 'duplicate-id-active' : 'duplicate-id';
    fail(rule, rule === 'duplicate-id' ? 'minor' : rule === 'duplicate-id-aria' ? 'critical' : 'serious', el, `id "${id}" is used ${n} times`);
  }

  // ---- ARIA attributes and roles ----
  const ARIA_ATTRS = new Set(['aria-activedescendant', 'aria-atomic', 'aria-autocomplete', 'aria-braillelabel', 'aria-brailleroledescription',
    'aria-busy', 'aria-checked', 'aria-colcount', 'aria-colindex', 'aria-colindextext', 'aria-colspan', 'aria-controls', 'aria-current',
    'aria-describedby', 'aria-description', 'aria-details', 'aria-disabled', 'aria-dropeffect', 'aria-errormessage', 'aria-expanded',
    'aria-flowto', 'aria-grabbed', 'aria-haspopup', 'aria-hidden', 'aria-invalid', 'aria-keyshortcuts', 'aria-label', 'aria-labelledby',
    'aria-level', 'aria-live', 'aria-modal', 'aria-multiline', 'aria-multiselectable', 'aria-orientation', 'aria-owns', 'aria-placeholder',
    'aria-posinset', 'aria-pressed', 'aria-readonly', 'aria-relevant', 'aria-required', 'aria-roledescription', 'aria-rowcount',
    'aria-rowindex', 'aria-rowindextext', 'aria-rowspan', 'aria-selected', 'aria-setsize', 'aria-sort', 'aria-valuemax', 'aria-valuemin',
    'aria-valuenow', 'aria-valuetext']);
  const TOKENS = {
    'aria-atomic': ['true', 'false'], 'aria-busy': ['true', 'false'], 'aria-disabled': ['true', 'false'], 'aria-hidden': ['true', 'false', 'undefined'],
    'aria-modal': ['true', 'false'], 'aria-multiline': ['true', 'false'], 'aria-multiselectable': ['true', 'false'], 'aria-readonly': ['true', 'false'],
    'aria-required': ['true', 'false'], 'aria-checked': ['true', 'false', 'mixed', 'undefined'], 'aria-pressed': ['true', 'false', 'mixed', 'undefined'],
    'aria-expanded': ['true', 'false', 'undefined'], 'aria-selected': ['true', 'false', 'undefined'], 'aria-invalid': ['true', 'false', 'grammar', 'spelling'],
    'aria-current': ['page', 'step', 'location', 'date', 'time', 'true', 'false'], 'aria-live': ['off', 'polite', 'assertive'],
    'aria-haspopup': ['true', 'false', 'menu', 'listbox', 'tree', 'grid', 'dialog'], 'aria-orientation': ['horizontal', 'vertical', 'undefined'],
    'aria-sort': ['ascending', 'descending', 'none', 'other'], 'aria-autocomplete': ['inline', 'list', 'both', 'none'],
  };
  const IDREFS = ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-flowto', 'aria-details', 'aria-errormessage', 'aria-activedescendant'];
  const ROLES = new Set(['alert', 'alertdialog', 'application', 'article', 'banner', 'blockquote', 'button', 'caption', 'cell', 'checkbox', 'code',
    'columnheader', 'combobox', 'complementary', 'contentinfo', 'definition', 'deletion', 'dialog', 'directory', 'document', 'emphasis', 'feed',
    'figure', 'form', 'generic', 'grid', 'gridcell', 'group', 'heading', 'img', 'insertion', 'link', 'list', 'listbox', 'listitem', 'log', 'main',
    'mark', 'marquee', 'math', 'menu', 'menubar', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'meter', 'navigation', 'none', 'note', 'option',
    'paragraph', 'presentation', 'progressbar', 'radio', 'radiogroup', 'region', 'row', 'rowgroup', 'rowheader', 'scrollbar', 'search', 'searchbox',
    'separator', 'slider', 'spinbutton', 'status', 'strong', 'subscript', 'superscript', 'switch', 'tab', 'table', 'tablist', 'tabpanel', 'term',
    'textbox', 'time', 'timer', 'toolbar', 'tooltip', 'tree', 'treegrid', 'treeitem']);
  for (const el of all) {
    for (const attr of el.attributes) {
      if (!attr.name.startsWith('aria-')) continue;
      count('aria-valid-attr');
      if (!ARIA_ATTRS.has(attr.name)) { fail('aria-valid-attr', 'critical', el, `unknown attribute ${attr.name}`); continue; }
      count('aria-valid-attr-value');
      const value = attr.value.trim();
      if (TOKENS[attr.name] && !TOKENS[attr.name].includes(value)) fail('aria-valid-attr-value', 'critical', el, `${attr.name}="${attr.value}" is not one of ${TOKENS[attr.name].join(', ')}`);
      if (IDREFS.includes(attr.name)) {
        if (!value) fail('aria-valid-attr-value', 'critical', el, `${attr.name} is empty`);
        for (const id of value.split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) fail('aria-valid-attr-value', 'critical', el, `${attr.name} names #${id}, which does not exist`);
        }
      }
    }
    if (el.tagName === 'LABEL' && el.htmlFor) {
      count('label-for');
      if (!document.getElementById(el.htmlFor)) fail('aria-valid-attr-value', 'critical', el, `<label for="${el.htmlFor}"> names a control that does not exist`);
    }
    if (el.hasAttribute('role')) {
      count('aria-roles');
      const first = el.getAttribute('role').trim().split(/\s+/)[0];
      if (!ROLES.has(first)) fail('aria-roles', 'critical', el, `role="${el.getAttribute('role')}" is not a WAI-ARIA role`);
    }
  }

  // Required owned elements / context for the composite roles this UI may use.
  const REQUIRED_CHILDREN = { radiogroup: ['radio'], list: ['listitem'], listbox: ['option', 'group'], tablist: ['tab'], menu: ['menuitem', 'menuitemcheckbox', 'menuitemradio', 'group'], tree: ['treeitem', 'group'] };
  const REQUIRED_PARENT = { listitem: ['list', 'directory'], option: ['listbox', 'group'], tab: ['tablist'], treeitem: ['tree', 'group'], menuitem: ['menu', 'menubar', 'group'] };
  for (const el of all) {
    if (!rendered(el) || hiddenFromAT(el)) continue;
    const r = role(el);
    if (REQUIRED_CHILDREN[r] && el.hasAttribute('role')) {
      count('aria-required-children');
      const owned = [...el.querySelectorAll('*')].filter((d) => !hiddenFromAT(d) && REQUIRED_CHILDREN[r].includes(role(d)));
      if (!owned.length) fail('aria-required-children', 'critical', el, `role ${r} owns no ${REQUIRED_CHILDREN[r].join(' or ')}`);
    }
    if (REQUIRED_PARENT[r] && el.hasAttribute('role')) {
      count('aria-required-parent');
      let ok = false;
      for (let p = el.parentElement; p; p = p.parentElement) if (REQUIRED_PARENT[r].includes(role(p))) { ok = true; break; }
      if (!ok) fail('aria-required-parent', 'critical', el, `role ${r} is not inside ${REQUIRED_PARENT[r].join(' or ')}`);
    }
  }

  // ---- names ----
  for (const el of all) {
    if (!rendered(el) || hiddenFromAT(el)) continue;
    const tag = el.tagName.toLowerCase();
    const r = role(el);
    const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : '';
    const isField = (tag === 'input' && !['hidden', 'button', 'submit', 'reset', 'image'].includes(type)) || tag === 'textarea' || tag === 'select'
      || ['textbox', 'combobox', 'listbox', 'searchbox', 'spinbutton', 'slider', 'checkbox', 'radio', 'switch'].includes(el.getAttribute('role'));
    if (isField) {
      const rule = tag === 'select' ? 'select-name' : el.hasAttribute('role') && !['input', 'textarea', 'select'].includes(tag) ? 'aria-input-field-name' : 'label';
      count(rule);
      if (!accessibleName(el)) fail(rule, rule === 'aria-input-field-name' ? 'serious' : 'critical', el, `form control (${tag}${type ? ` type=${type}` : ''}) has no accessible name (label, aria-label or aria-labelledby)`);
    }
    if (tag === 'button' || (tag === 'input' && ['button', 'submit', 'reset'].includes(type)) || el.getAttribute('role') === 'button') {
      count('button-name');
      if (!accessibleName(el)) fail('button-name', 'critical', el, 'button has no discernible text');
    }
    if (tag === 'a' && el.hasAttribute('href')) {
      count('link-name');
      if (!accessibleName(el)) fail('link-name', 'serious', el, 'link has no discernible text');
    }
    if (tag === 'img') {
      count('image-alt');
      const presentational = ['presentation', 'none'].includes(el.getAttribute('role'));
      if (!el.hasAttribute('alt') && !presentational && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
        fail('image-alt', 'critical', el, 'image has no alt attribute');
      }
    } else if (el.getAttribute('role') === 'img') {
      count(tag === 'svg' ? 'svg-img-alt' : 'role-img-alt');
      if (!accessibleName(el)) fail(tag === 'svg' ? 'svg-img-alt' : 'role-img-alt', 'serious', el, 'role=img has no accessible name');
    }
    if (tag === 'iframe' || tag === 'frame') {
      count('frame-title');
      if (!accessibleName(el)) fail('frame-title', 'serious', el, 'frame has no title');
    }
    if (['dialog', 'alertdialog'].includes(r)) {
      count('aria-dialog-name');
      if (!accessibleName(el)) fail('aria-dialog-name', 'serious', el, 'dialog has no accessible name');
    }
  }

  // ---- structure ----
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    if ((tag === 'ul' || tag === 'ol') && !el.hasAttribute('role')) {
      count('list');
      for (const child of el.children) {
        if (!['LI', 'SCRIPT', 'TEMPLATE'].includes(child.tagName)) fail('list', 'serious', el, `<${tag}> holds a <${child.tagName.toLowerCase()}> directly`);
      }
    }
    if (tag === 'li' && !el.hasAttribute('role')) {
      count('listitem');
      const parent = el.parentElement;
      const ok = parent && (['UL', 'OL', 'MENU'].includes(parent.tagName) || parent.getAttribute('role') === 'list');
      if (!ok) fail('listitem', 'serious', el, '<li> outside a list');
    }
    if (tag === 'dl') {
      count('definition-list');
      for (const child of el.children) {
        if (!['DT', 'DD', 'DIV', 'SCRIPT', 'TEMPLATE'].includes(child.tagName)) fail('definition-list', 'serious', el, `<dl> holds a <${child.tagName.toLowerCase()}> directly`);
      }
    }
    if (tag === 'dt' || tag === 'dd') {
      count('dlitem');
      const parent = el.parentElement;
      const ok = parent && (parent.tagName === 'DL' || (parent.tagName === 'DIV' && parent.parentElement && parent.parentElement.tagName === 'DL'));
      if (!ok) fail('dlitem', 'serious', el, `<${tag}> outside a <dl>`);
    }
    if (el.hasAttribute('tabindex')) {
      count('tabindex');
      if (Number(el.getAttribute('tabindex')) > 0) fail('tabindex', 'serious', el, `tabindex="${el.getAttribute('tabindex')}" changes the tab order`);
    }
    if (el.getAttribute('aria-hidden') === 'true') {
      count('aria-hidden-focus');
      const inside = [el, ...el.querySelectorAll('*')].filter((d) => focusable(d) && rendered(d) && Number(d.getAttribute('tabindex') ?? 0) >= 0);
      if (inside.length) fail('aria-hidden-focus', 'serious', inside[0], 'focusable element inside aria-hidden="true"');
    }
    const interactive = (tag === 'button') || (tag === 'a' && el.hasAttribute('href')) || ['button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'option', 'switch'].includes(el.getAttribute('role'));
    if (interactive && rendered(el)) {
      count('nested-interactive');
      const nested = [...el.querySelectorAll('*')].find((d) => focusable(d) && rendered(d));
      if (nested) fail('nested-interactive', 'serious', el, `interactive control holds a focusable <${nested.tagName.toLowerCase()}>`);
    }
    if (rendered(el) && el !== document.documentElement && el !== document.body) {
      const style = getComputedStyle(el);
      if (['auto', 'scroll'].includes(style.overflowY) || ['auto', 'scroll'].includes(style.overflowX)) {
        const scrolls = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
        if (scrolls && tag !== 'textarea' && tag !== 'select') {
          count('scrollable-region-focusable');
          const reachable = focusable(el) || [...el.querySelectorAll('*')].some((d) => focusable(d) && rendered(d));
          if (!reachable) fail('scrollable-region-focusable', 'serious', el, 'a scrolling region that the keyboard cannot reach');
        }
      }
    }
  }

  // ---- colour contrast ----
  function parseColor(text) {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }
  const over = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
  };
  const luminance = (c) => {
    const ch = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const hex = (c) => `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

  // The colour behind an element: its own and its ancestors' backgrounds, composited; null when
  // an image or gradient makes it unknowable (reported as incomplete, like axe).
  function background(el) {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== 'none') return null;
      const color = parseColor(style.backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i -= 1) result = over(layers[i], result);
    return result;
  }

  function opacityOf(el) {
    let o = 1;
    for (let node = el; node; node = node.parentElement) o *= Number(getComputedStyle(node).opacity);
    return o;
  }

  function checkContrast(el, what) {
    if (el.closest('[disabled], [aria-disabled="true"]') || el.closest('button:disabled')) return; // axe skips disabled controls
    const style = getComputedStyle(el);
    const fg = parseColor(style.color);
    const bg = background(el);
    if (!fg) return;
    count('color-contrast');
    if (!bg) { incomplete.push({ rule: 'color-contrast', target: target(el), message: 'background image' }); return; }
    const opacity = opacityOf(el);
    const text = over({ ...fg, a: fg.a * opacity }, bg);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const r = ratio(text, bg);
    if (r + 1e-6 < needed) {
      fail('color-contrast', 'serious', el, `${what}: contrast ${r.toFixed(2)}:1 (${hex(text)} on ${hex(bg)}, ${size}px${bold ? ' bold' : ''}) is below ${needed}:1`);
    }
  }

  for (const el of all) {
    if (!rendered(el)) continue;
    const tag = el.tagName.toLowerCase();
    if (['script', 'style', 'title', 'head', 'option'].includes(tag)) continue;
    if ((tag === 'input' && !['checkbox', 'radio', 'hidden', 'range', 'color', 'file'].includes(el.type) && el.value) || (tag === 'textarea' && el.value) || tag === 'select') {
      checkContrast(el, 'value in a form control');
      continue;
    }
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (hasText) checkContrast(el, 'text');
  }

  return { violations, checked, incomplete };
}
return audit(arguments[0]);
