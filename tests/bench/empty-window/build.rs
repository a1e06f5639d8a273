//! Builds the empty window from Incident Desk's own `tauri.conf.json` (same window, CSP and
//! bundle settings) with only the page swapped for an empty one, passed to tauri-build and to
//! `generate_context!` through `TAURI_CONFIG`.

const COMMANDS: &[&str] = &["ui_ready"];

fn main() {
    if let Err(e) = build() {
        panic!("tauri-build failed for the empty window: {e:#}");
    }
}

fn build() -> Result<(), Box<dyn std::error::Error>> {
    let here = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = here.join("../../..").canonicalize()?;
    let page = here.join("page");
    let overrides = format!(
        r#"{{"productName":"Empty Window","mainBinaryName":"empty-window","identifier":"gov.ca.incidentdesk.emptywindow","build":{{"frontendDist":"{}"}}}}"#,
        page.display()
    );
    // Seen by tauri-build below and by `generate_context!` when rustc compiles main.rs.
    std::env::set_var("TAURI_CONFIG", &overrides);
    println!("cargo:rustc-env=TAURI_CONFIG={overrides}");
    println!("cargo:rerun-if-changed={}", page.display());

    // Like the app's build script: tauri-build writes generated files into its working directory.
    let scratch = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("tauri-build-cwd");
    std::fs::create_dir_all(&scratch)?;
    let manifest_link = scratch.join("Cargo.toml");
    if std::fs::symlink_metadata(&manifest_link).is_err() {
        std::os::unix::fs::symlink(here.join("Cargo.toml"), &manifest_link)?;
    }
    std::env::set_current_dir(&scratch)?;
    let capabilities: &'static str = Box::leak(format!("{}/capabilities/**/*", here.display()).into_boxed_str());
    let permissions: &'static str = Box::leak(format!("{}/permissions/**/*", here.display()).into_boxed_str());
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path(root.join("tauri.conf.json"))
            .capabilities_path_pattern(capabilities)
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS).permissions_path_pattern(permissions)),
    )?;
    Ok(())
}
