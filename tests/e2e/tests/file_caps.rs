//! A file past its cap (README "Limits") dropped into the window is refused before the page reads
//! it: a sparse 2 GiB "notice.eml" on the SEN board's picker and a 6 MiB report export in the
//! import dialog. The message names the file and the cap; nothing is stored; the CLI refuses the
//! same files with exit 2 and the cap.

use e2e::Desk;

use e2e::WAIT;

fn sparse(dir: &std::path::Path, name: &str, len: u64) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).expect("create").set_len(len).expect("size");
    path
}

#[tokio::test]
async fn oversize_files_are_refused_in_the_window_and_the_cli_naming_the_cap() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    let eml = sparse(files.path(), "notice.eml", 2 * 1024 * 1024 * 1024);
    let report = sparse(files.path(), "report.json", 6 * 1024 * 1024);

    let desk = Desk::launch(data.path(), &[]).await?;
    desk.goto("sens").await?;
    desk.wait_css("#sen-eml-input", WAIT).await?.send_keys(&eml.to_string_lossy()).await?;
    desk.wait_css(".intake-refused", WAIT).await?;
    let refusal = desk.css(".intake-refused").await?.text().await?;
    assert!(refusal.contains("notice.eml is 2 GiB") && refusal.contains("read up to 10 MiB"), "{refusal}");
    assert!(refusal.contains("Nothing was stored"), "{refusal}");
    desk.screenshot("sen-intake-oversize").await?;

    desk.goto("reports").await?;
    desk.wait_css("#report-import", WAIT).await?.click().await?;
    desk.wait_css("#import-file", WAIT).await?.send_keys(&report.to_string_lossy()).await?;
    desk.wait_js("document.getElementById('import-error').textContent.includes('read up to 5 MiB')", WAIT).await?;
    assert_eq!(desk.value("import-text").await?, "", "the file was not read into the page");
    desk.quit().await?;

    let sens = e2e::portal::cli_json(data.path(), &["sen", "list"], &[])?;
    assert_eq!(sens.as_array().map(Vec::len), Some(0), "{sens}");
    for (args, cap) in [
        (vec!["sen", "import-email", eml.to_str().unwrap_or_default()], "10 MiB"),
        (vec!["report", "import", report.to_str().unwrap_or_default()], "5 MiB"),
    ] {
        let out = e2e::portal::cli_with_input(data.path(), &args, "", &[])?;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(cap) && err.contains(files.path().to_str().unwrap_or_default()), "{args:?}: {err}");
    }
    Ok(())
}
