use super::*;
use std::process::Command;

/// A `ui/` folder holding `files` (path, text).
fn ui(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs a built script in node, as a module, and returns what it logged.
fn run_file(script: &Path) -> String {
    as_modules(script.parent().unwrap());
    let out = Command::new("node").arg(script).output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// node reads the .js files in `dir` as modules, as the window does.
fn as_modules(dir: &Path) {
    std::fs::write(dir.join("package.json"), r#"{"type":"module"}"#).unwrap();
}

fn check_refused(files: &[(&str, &str)], expected: &str) {
    let dir = ui(files);
    let err = bundle(dir.path(), "app.js", &[]).err().unwrap().to_string();
    assert!(err.contains(expected), "{err:?} does not contain {expected:?}");
}

#[test]
fn modules_run_once_after_their_imports_and_lazy_ones_when_asked() {
    let dir = ui(&[
        ("app.js", "import { greet, LOUD } from './lib/greet.js';\nimport * as counter from './lib/counter.js';\nimport './lib/side.js';\nconsole.log(greet('app'), LOUD, counter.next(), counter.next());\nconst page = () => import('./pages/late.js');\npage().then((m) => console.log(m.late(), Object.isFrozen(m)));\n"),
        ("lib/greet.js", "import {\n  next,\n} from './counter.js';\nconsole.log('greet runs', next());\nexport function greet(who) { return `hello ${who}`; }\nexport const LOUD = 'LOUD';\n"),
        ("lib/counter.js", "let n = 0;\nconsole.log('counter runs');\nexport function next() { n += 1; return n; }\n"),
        ("lib/side.js", "console.log('side runs');\n"),
        ("pages/late.js", "import { next as bump } from '../lib/counter.js';\nconsole.log('late runs');\nexport function late() { return `late ${bump()}`; }\n"),
    ]);
    let scripts = bundle(dir.path(), "app.js", &[]).unwrap();
    let rest = scripts.rest.unwrap();
    assert!(rest.contains("'pages/late.js': (") && !scripts.first.contains("'pages/late.js': ("));
    // node runs the first script with the rest beside it, as the window does.
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join(SCRIPT), &scripts.first).unwrap();
    std::fs::write(out.path().join(REST_SCRIPT), &rest).unwrap();
    assert_eq!(
        run_file(&out.path().join(SCRIPT)),
        "counter runs\ngreet runs 1\nside runs\nhello app LOUD 2 3\nlate runs\nlate 4 true\n"
    );
}

#[test]
fn the_page_loads_one_stylesheet_and_one_script_and_keeps_its_assets() {
    let dir = ui(&[
        ("index.html", "<html><head>\n  <link rel=\"stylesheet\" href=\"styles.css\">\n  <link rel=\"stylesheet\" href=\"pages/a.css\">\n  <script type=\"module\" src=\"app.js\"></script>\n  <link rel=\"modulepreload\" href=\"lib/x.js\">\n</head><body><img src=\"icon.svg\"></body></html>\n"),
        ("styles.css", "body { color: black; }"),
        ("pages/a.css", ".a { color: red; }"),
        ("app.js", "console.log('app');\n"),
        ("icon.svg", "<svg/>"),
        ("tests/x.test.js", "nope"),
        ("package.json", "{}"),
    ]);
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path(), &[]).unwrap();
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_eq!(
        html,
        "<html><head>\n  <link rel=\"stylesheet\" href=\"desk.css\">\n  <script type=\"module\" src=\"desk.js\"></script>\n</head><body><img src=\"icon.svg\"></body></html>\n"
    );
    let css = std::fs::read_to_string(out.path().join(STYLESHEET)).unwrap();
    assert!(css.find("color: black").unwrap() < css.find("color: red").unwrap(), "{css}");
    assert!(out.path().join("icon.svg").exists());
    for left_out in ["app.js", "styles.css", "tests", "package.json"] {
        assert!(!out.path().join(left_out).exists(), "{left_out} was copied");
    }
}

#[test]
fn forms_it_cannot_carry_fail_the_build_with_file_and_line() {
    check_refused(&[("app.js", "export default 1;\n")], "ui/app.js:1: only `export function");
    check_refused(&[("app.js", "const a = 1;\nexport { a };\n")], "ui/app.js:2: only `export function");
    check_refused(&[("app.js", "import x from './x.js';\n")], "ui/app.js:1: only `import");
    check_refused(
        &[("app.js", "import { a } from 'https://cdn.example/a.js';\n")],
        "ui/app.js:1: 'https://cdn.example/a.js'",
    );
    check_refused(&[("app.js", "const p = 'x';\nimport(p);\n")], "ui/app.js:2: only import('./x.js')");
    check_refused(&[("app.js", "await start();\n")], "ui/app.js:1: top-level await");
    check_refused(&[("app.js", "console.log(import.meta.url);\n")], "ui/app.js:1:");
    check_refused(&[("app.js", "import { a } from '../../etc/a.js';\n")], "inside ui/");
    check_refused(&[("app.js", "import { a } from './missing.js';\n")], "ui/missing.js: cannot read");
    check_refused(
        &[
            ("app.js", "import { b } from './b.js';\n"),
            ("b.js", "import { a } from './app.js';\nexport const b = 1;\n"),
        ],
        "a cycle of imports cannot be bundled: app.js → b.js → app.js",
    );
}

#[test]
fn the_real_ui_bundles() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui");
    let out = tempfile::tempdir().unwrap();
    build(&ui, out.path(), &["pages/sens.js"]).unwrap();
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_eq!(html.matches("<link rel=\"stylesheet\"").count(), 1, "{html}");
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    // The first screen's page is in the first script, every other page the router loads in the rest.
    let first = std::fs::read_to_string(out.path().join(SCRIPT)).unwrap();
    let rest = std::fs::read_to_string(out.path().join(REST_SCRIPT)).unwrap();
    assert!(first.contains("'pages/sens.js': (") && first.contains("'lib/ipc.js': ("));
    for page in ["pages/reports.js", "pages/outbox.js", "pages/settings.js"] {
        assert!(rest.contains(&format!("'{page}': (")) && !first.contains(&format!("'{page}': (")), "{page}");
    }
    // Both parse as modules.
    as_modules(out.path());
    for script in [SCRIPT, REST_SCRIPT] {
        let checked = Command::new("node").arg("--check").arg(out.path().join(script)).status().unwrap();
        assert!(checked.success(), "{script} does not parse");
    }
}
