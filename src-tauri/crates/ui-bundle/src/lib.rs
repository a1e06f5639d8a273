//! The shipped frontend, built from `ui/` by the app's build script: `index.html` with one
//! stylesheet (`desk.css`, the page's stylesheets in order) and one script (`desk.js`, the entry
//! module and the first screen's pages with all they import), `desk-rest.js` with the other
//! pages' modules, loaded the first time one is imported, and the other assets as they are.
//!
//! Why: each file the page loads is a request over the app's custom protocol, and every byte of
//! script is parsed before the first screen can run; the first screen used to need 27 requests.
//! The sources stay plain ES modules (the node tests import them as they are); no npm toolchain.
//!
//! The bundle keeps module semantics for the forms `ui/` uses, and refuses every other form with
//! the file and line, so a construct it cannot carry fails the build rather than the window:
//! - `import { a, b } from './x.js';`, `import * as x from './x.js';`, `import './x.js';`
//! - `export function|async function|const|let|class name`
//! - `import('./x.js')` with a literal path (the lazily loaded pages)
//!
//! Each module becomes a function run once, when first imported, after its own imports (the
//! browser's order for a graph without cycles; a cycle of static imports is refused).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// The stylesheet and script names in the built page.
pub const STYLESHEET: &str = "desk.css";
pub const SCRIPT: &str = "desk.js";
pub const REST_SCRIPT: &str = "desk-rest.js";

/// What stopped the build, with the file (relative to `ui/`) and line where there is one.
#[derive(Debug)]
pub struct Error {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "ui/{}:{line}: {}", self.file, self.message),
            None => write!(f, "ui/{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for Error {}

fn error(file: &str, line: Option<usize>, message: impl Into<String>) -> Error {
    Error { file: file.to_owned(), line, message: message.into() }
}

/// Builds the frontend from `ui` into `out` (created if missing; files of an earlier build that
/// are not rebuilt are left).
pub fn build(ui: &Path, out: &Path, first_screen: &[&str]) -> Result<(), Error> {
    let page = Page::read(ui)?;
    let css = page
        .stylesheets
        .iter()
        .map(|href| Ok(format!("/* ui/{href} */\n{}\n", read(ui, href)?)))
        .collect::<Result<String, Error>>()?;
    let scripts = bundle(ui, &page.entry, first_screen)?;
    let io = |what: &str, e: std::io::Error| error(what, None, format!("cannot write the built frontend: {e}"));
    std::fs::create_dir_all(out).map_err(|e| io("", e))?;
    std::fs::write(out.join("index.html"), &page.html).map_err(|e| io("index.html", e))?;
    std::fs::write(out.join(STYLESHEET), css).map_err(|e| io(STYLESHEET, e))?;
    std::fs::write(out.join(SCRIPT), scripts.first).map_err(|e| io(SCRIPT, e))?;
    if let Some(rest) = scripts.rest {
        std::fs::write(out.join(REST_SCRIPT), rest).map_err(|e| io(REST_SCRIPT, e))?;
    }
    copy_assets(ui, out, Path::new(""))
}

/// `index.html` with its stylesheets and entry module found, rewritten to load the built files.
struct Page {
    html: String,
    stylesheets: Vec<String>,
    entry: String,
}

impl Page {
    fn read(ui: &Path) -> Result<Page, Error> {
        let source = read(ui, "index.html")?;
        let (mut html, mut stylesheets, mut entry) = (String::new(), Vec::new(), None);
        for (i, line) in source.lines().enumerate() {
            let at = Some(i + 1);
            let trimmed = line.trim();
            if trimmed.starts_with("<link") && attribute(trimmed, "rel") == Some("stylesheet") {
                let href =
                    attribute(trimmed, "href").ok_or_else(|| error("index.html", at, "a stylesheet without href"))?;
                if stylesheets.is_empty() {
                    html.push_str(&line.replace(href, STYLESHEET));
                    html.push('\n');
                }
                stylesheets.push(href.to_owned());
            } else if trimmed.starts_with("<link") && attribute(trimmed, "rel") == Some("modulepreload") {
                // Every module is in the built scripts.
            } else if trimmed.starts_with("<script") {
                let src = match (attribute(trimmed, "type"), attribute(trimmed, "src")) {
                    (Some("module"), Some(src)) if entry.is_none() => src,
                    _ => return Err(error("index.html", at, "only one <script type=\"module\" src=\"…\"> is bundled")),
                };
                html.push_str(&line.replace(src, SCRIPT));
                html.push('\n');
                entry = Some(src.to_owned());
            } else if trimmed.contains("<link") || trimmed.contains("<script") {
                return Err(error("index.html", at, "one <link> or <script> tag per line, each on its own line"));
            } else {
                html.push_str(line);
                html.push('\n');
            }
        }
        let entry = entry.ok_or_else(|| error("index.html", None, "no <script type=\"module\" src=\"…\">"))?;
        Ok(Page { html, stylesheets, entry })
    }
}

/// The value of `name="…"` in one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn read(ui: &Path, file: &str) -> Result<String, Error> {
    std::fs::read_to_string(ui.join(file)).map_err(|e| error(file, None, format!("cannot read: {e}")))
}

/// Every file under `ui/` except the sources that were bundled, the node tests and their manifest.
fn copy_assets(ui: &Path, out: &Path, dir: &Path) -> Result<(), Error> {
    let shown = |p: &Path| p.to_string_lossy().into_owned();
    let entries = std::fs::read_dir(ui.join(dir)).map_err(|e| error(&shown(dir), None, format!("cannot list: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| error(&shown(dir), None, format!("cannot list: {e}")))?;
        let relative = dir.join(entry.file_name());
        let is_dir = entry.file_type().map_err(|e| error(&shown(&relative), None, e.to_string()))?.is_dir();
        let name = relative.to_string_lossy();
        if is_dir {
            if name != "tests" {
                copy_assets(ui, out, &relative)?;
            }
        } else if !(name.ends_with(".js") || name.ends_with(".css") || name == "index.html" || name == "package.json") {
            let to = out.join(&relative);
            let copied =
                to.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::copy(entry.path(), &to));
            copied.map_err(|e| error(&name, None, format!("cannot copy: {e}")))?;
        }
    }
    Ok(())
}

/// One source module: what it imports (statically and lazily), what it exports, and its body with
/// the import and export syntax taken out.
struct Module {
    imports: Vec<Import>,
    lazy: BTreeSet<String>,
    exports: Vec<String>,
    body: String,
}

enum Import {
    Names { names: Vec<(String, String)>, from: String },
    Namespace { name: String, from: String },
    Bare { from: String },
}

impl Import {
    fn from(&self) -> &str {
        match self {
            Import::Names { from, .. } | Import::Namespace { from, .. } | Import::Bare { from } => from,
        }
    }
}

/// The loader's names: no module may use them.
const IMPORT_FN: &str = "__deskImport";
const LOAD_FN: &str = "__deskLoad";

/// The built scripts: the first screen's (`entry`, the first screen's pages and all they import)
/// and, when some module is left, the rest, which the first loads the first time one of its
/// modules is imported.
pub struct Scripts {
    pub first: String,
    pub rest: Option<String>,
}

/// Every module reachable from `entry` (a path relative to `ui/`), split into what the first
/// screen runs (`entry` and `first_screen`, statically, with their imports) and the rest.
pub fn bundle(ui: &Path, entry: &str, first_screen: &[&str]) -> Result<Scripts, Error> {
    let mut modules = BTreeMap::new();
    let mut pending = vec![entry.to_owned()];
    while let Some(path) = pending.pop() {
        if modules.contains_key(&path) {
            continue;
        }
        let module = parse(&path, &read(ui, &path)?)?;
        pending.extend(module.imports.iter().map(|i| i.from().to_owned()));
        pending.extend(module.lazy.iter().cloned());
        modules.insert(path, module);
    }
    refuse_cycles(&modules)?;
    let mut first = BTreeSet::new();
    let mut pending: Vec<&str> = std::iter::once(entry).chain(first_screen.iter().copied()).collect();
    while let Some(path) = pending.pop() {
        let module =
            modules.get(path).ok_or_else(|| error(path, None, "a first-screen module the entry never imports"))?;
        if first.insert(path) {
            pending.extend(module.imports.iter().map(Import::from));
        }
    }
    let factories = |chosen: &dyn Fn(&str) -> bool| -> String {
        modules.iter().filter(|(path, _)| chosen(path)).map(|(path, module)| factory(path, module)).collect()
    };
    let rest = factories(&|path| !first.contains(path));
    let first = format!(
        "// Incident Desk's first screen in one script, built from ui/ by src-tauri/crates/ui-bundle:\n\
         // each module is its source file, run once when first imported, after its own imports; the\n\
         // other pages' modules come from {REST_SCRIPT} the first time one is imported.\n\
         performance.mark('desk-script');\n\
         const __deskModules = {{\n{}}};\n\
         const __deskDone = new Map();\n\
         let __deskRest = null;\n\
         function {IMPORT_FN}(path) {{\n\
         \x20 if (!__deskDone.has(path)) {{\n\
         \x20   const run = __deskModules[path];\n\
         \x20   if (!run) throw new Error(`no module ${{path}} in the bundle`);\n\
         \x20   __deskModules[path] = () => {{ throw new Error(`module ${{path}} imported while it runs`); }};\n\
         \x20   __deskDone.set(path, run({IMPORT_FN}, {LOAD_FN}));\n\
         \x20 }}\n\
         \x20 return __deskDone.get(path);\n\
         }}\n\
         function {LOAD_FN}(path) {{\n\
         \x20 if (path in __deskModules) return Promise.resolve().then(() => {IMPORT_FN}(path));\n\
         \x20 __deskRest ??= import('./{REST_SCRIPT}').then(\n\
         \x20   (rest) => {{ Object.assign(__deskModules, rest.modules); }},\n\
         \x20   (error) => {{ __deskRest = null; throw error; }});\n\
         \x20 return __deskRest.then(() => {IMPORT_FN}(path));\n\
         }}\n\
         {IMPORT_FN}('{entry}');\n",
        factories(&|path| first.contains(path))
    );
    let rest = (!rest.is_empty()).then(|| {
        format!(
            "// The pages the first screen does not need, built from ui/ by src-tauri/crates/ui-bundle\n\
             // and loaded by {SCRIPT} the first time one of them is imported.\n\
             export const modules = {{\n{rest}}};\n"
        )
    });
    Ok(Scripts { first, rest })
}

/// One module as a function of the loader: its imports, its body, its exports.
fn factory(path: &str, module: &Module) -> String {
    let mut out = format!("'{path}': ({IMPORT_FN}, {LOAD_FN}) => {{\n");
    for import in &module.imports {
        out.push_str(&match import {
            Import::Names { names, from } => {
                let names: Vec<String> = names
                    .iter()
                    .map(
                        |(exported, local)| {
                            if exported == local {
                                local.clone()
                            } else {
                                format!("{exported}: {local}")
                            }
                        },
                    )
                    .collect();
                format!("const {{ {} }} = {IMPORT_FN}('{from}');\n", names.join(", "))
            }
            Import::Namespace { name, from } => format!("const {name} = {IMPORT_FN}('{from}');\n"),
            Import::Bare { from } => format!("{IMPORT_FN}('{from}');\n"),
        });
    }
    out.push_str(&module.body);
    out.push_str(&format!("return Object.freeze({{ __proto__: null, {} }});\n}},\n", module.exports.join(", ")));
    out
}

/// A module's imports, exports and body; import paths resolved relative to `ui/`.
fn parse(path: &str, source: &str) -> Result<Module, Error> {
    let mut module = Module { imports: Vec::new(), lazy: BTreeSet::new(), exports: Vec::new(), body: String::new() };
    let mut statement: Option<(usize, String)> = None;
    for (i, line) in source.lines().enumerate() {
        let at = Some(i + 1);
        if line.contains(IMPORT_FN) || line.contains(LOAD_FN) || line.contains("import.meta") {
            return Err(error(path, at, format!("{IMPORT_FN}, {LOAD_FN} and import.meta cannot be bundled")));
        }
        if statement.is_some() || line.starts_with("import ") || line.starts_with("import{") {
            let (first, mut text) = statement.take().unwrap_or((i + 1, String::new()));
            text.push_str(line);
            text.push(' ');
            if line.trim_end().ends_with(';') {
                module.imports.push(parse_import(path, first, &text)?);
            } else {
                statement = Some((first, text));
            }
            module.body.push('\n'); // keeps the body's lines where they were
            continue;
        }
        if line.starts_with("await ") {
            return Err(error(path, at, "top-level await cannot be bundled"));
        }
        let line = match line.strip_prefix("export ") {
            Some(rest) => {
                module.exports.push(exported_name(rest).ok_or_else(|| {
                    error(path, at, "only `export function|async function|const|let|class <name>` can be bundled")
                })?);
                rest
            }
            None if line.starts_with("export") => return Err(error(path, at, "this export form cannot be bundled")),
            None => line,
        };
        module.body.push_str(&lazy_imports(path, i + 1, line, &mut module.lazy)?);
        module.body.push('\n');
    }
    if let Some((first, _)) = statement {
        return Err(error(path, Some(first), "an import without its closing `;`"));
    }
    Ok(module)
}

fn parse_import(path: &str, line: usize, text: &str) -> Result<Import, Error> {
    let bad = || {
        error(
            path,
            Some(line),
            "only `import { a, b } from './x.js'`, `import * as x from './x.js'` or `import './x.js'` can be bundled",
        )
    };
    let text = text.trim().strip_prefix("import").ok_or_else(bad)?.trim().strip_suffix(';').ok_or_else(bad)?.trim();
    if let Some(spec) = quoted(text) {
        return Ok(Import::Bare { from: resolve(path, line, spec)? });
    }
    let (what, spec) = text.rsplit_once(" from ").ok_or_else(bad)?;
    let from = resolve(path, line, quoted(spec.trim()).ok_or_else(bad)?)?;
    let what = what.trim();
    if let Some(name) = what.strip_prefix("* as ") {
        let name = name.trim();
        return if is_identifier(name) { Ok(Import::Namespace { name: name.to_owned(), from }) } else { Err(bad()) };
    }
    let inner = what.strip_prefix('{').and_then(|w| w.strip_suffix('}')).ok_or_else(bad)?;
    let mut names = Vec::new();
    for name in inner.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let (exported, local) = name.split_once(" as ").map_or((name, name), |(e, l)| (e.trim(), l.trim()));
        if !is_identifier(exported) || !is_identifier(local) {
            return Err(bad());
        }
        names.push((exported.to_owned(), local.to_owned()));
    }
    Ok(Import::Names { names, from })
}

/// `import('./x.js')` in a line becomes a call to the loader; any other `import(` is refused.
fn lazy_imports(path: &str, line_no: usize, line: &str, lazy: &mut BTreeSet<String>) -> Result<String, Error> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("import(") {
        let preceded =
            rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
        out.push_str(&rest[..at]);
        if preceded {
            out.push_str("import(");
            rest = &rest[at + 7..];
            continue;
        }
        let args = &rest[at + 7..];
        let close =
            args.find(')').ok_or_else(|| error(path, Some(line_no), "import( without its `)` on the same line"))?;
        let spec = quoted(args[..close].trim())
            .ok_or_else(|| error(path, Some(line_no), "only import('./x.js') with a quoted path can be bundled"))?;
        let resolved = resolve(path, line_no, spec)?;
        out.push_str(&format!("{LOAD_FN}('{resolved}')"));
        lazy.insert(resolved);
        rest = &args[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The text between matching single or double quotes, when that is all there is.
fn quoted(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then_some(inner)
}

fn exported_name(declaration: &str) -> Option<String> {
    let rest = ["async function ", "function* ", "function ", "const ", "let ", "class "]
        .iter()
        .find_map(|keyword| declaration.strip_prefix(keyword))?;
    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
    is_identifier(&name).then_some(name)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// `spec` (relative to the module at `path`) as a path relative to `ui/`: `./` or `../` paths to
/// `.js` files that stay inside `ui/`.
fn resolve(path: &str, line: usize, spec: &str) -> Result<String, Error> {
    let outside =
        || error(path, Some(line), format!("'{spec}': only ./ or ../ paths to .js files inside ui/ can be bundled"));
    if !(spec.starts_with("./") || spec.starts_with("../")) || !spec.ends_with(".js") {
        return Err(outside());
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop(); // the module's own file name
    for part in spec.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop().ok_or_else(outside)?;
            }
            part if part.is_empty() || part.contains('\'') || part.contains('\\') => return Err(outside()),
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// A cycle of static imports would run a module before its imports are done: refused, named.
fn refuse_cycles(modules: &BTreeMap<String, Module>) -> Result<(), Error> {
    fn visit<'a>(
        path: &'a str,
        modules: &'a BTreeMap<String, Module>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Result<(), Error> {
        if done.contains(path) {
            return Ok(());
        }
        if let Some(start) = stack.iter().position(|p| *p == path) {
            let cycle = stack[start..].join(" → ");
            return Err(error(path, None, format!("a cycle of imports cannot be bundled: {cycle} → {path}")));
        }
        stack.push(path);
        for import in modules.get(path).map(|m| m.imports.as_slice()).unwrap_or_default() {
            visit(import.from(), modules, stack, done)?;
        }
        stack.pop();
        done.insert(path);
        Ok(())
    }
    let (mut stack, mut done) = (Vec::new(), BTreeSet::new());
    for path in modules.keys() {
        visit(path, modules, &mut stack, &mut done)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
