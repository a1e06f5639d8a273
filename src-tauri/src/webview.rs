//! The web view tuned to what this app uses: a document viewer of local pages, with no media, no
//! 3D, no audio, no real-time communication, no back/forward page cache, no GL compositing and no
//! memory-pressure polling. wry turns WebGL, WebAudio and the page cache on for every app; each
//! costs memory in the web process and start-up work. Measured by `make bench-startup` and, for
//! idle CPU, `make bench-reminders` (the closing notes of issue 15 list each lever's figures).
//!
//! Also where memory that start-up allocated and freed goes back to the system (`trim_heap`).

/// What must be decided before WebKit starts: compositing off from the first page on. Set only on
/// the web view once it exists (`tune`), the policy changes while the first page is loading; with
/// it set here too, the page's HTML arrived ~10 ms sooner and its first paint 45-60 ms sooner
/// (`make bench-startup`, lever `settings`). WebKit's processes inherit the variable; the app
/// starts no other program. Called while the process has one thread (setting the environment is
/// not thread-safe).
///
/// Also WebKit's memory-pressure monitor off (lever `monitor`): it polls in every process, the app
/// reading /proc/meminfo and the cgroup's files every few seconds, each web process parsing its own
/// /proc/self/smaps every 30 s (~30 ms each with a board of 500 SENs). That was two thirds of the
/// idle CPU left once the pages stopped polling (`make bench-reminders`, 500 open SENs, window
/// shown: 0.18 % with it, 0.05 % without). The page is small and fixed; what it allocated goes back
/// through `trim_heap`, and the whole web process after five minutes in the tray.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    {
        use crate::probe::lever_on;
        if lever_on("settings") && linux::compositing_off() && std::env::var_os(linux::NO_COMPOSITING).is_none() {
            std::env::set_var(linux::NO_COMPOSITING, "1");
        }
        if lever_on("monitor") && std::env::var_os(linux::NO_MEMORY_MONITOR).is_none() {
            std::env::set_var(linux::NO_MEMORY_MONITOR, "1");
        }
    }
}

/// Applies the settings to the main window's web view. Called from the setup hook, before the
/// event loop has turned once, so the web process starts with them (and again when a released
/// window is built anew).
pub fn tune(app: &tauri::AppHandle) {
    if !crate::probe::lever_on("settings") {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let Some(window) = app.get_webview_window(crate::main_window::MAIN_WINDOW) else { return };
        let tuned = window.with_webview(|webview| linux::tune(&webview.inner()));
        if let Err(e) = tuned {
            tracing::warn!(error = %e, "web view settings not applied");
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        // WebView2 (Windows) and WKWebView (macOS) start lean; their counterparts, if a measurement
        // ever shows a need, go here.
        let _ = app;
    }
}

/// Returns freed heap to the operating system (glibc keeps it otherwise): once the first screen is
/// up, after the transient work of opening the store, building the window and the first queries.
pub fn trim_heap() {
    if !crate::probe::lever_on("trim") {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; it takes no pointers from us.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

    pub fn tune(view: &webkit2gtk::WebView) {
        if let Some(settings) = WebViewExt::settings(view) {
            settings.set_enable_webgl(false);
            settings.set_enable_webaudio(false);
            settings.set_enable_media(false);
            settings.set_enable_media_stream(false);
            settings.set_enable_mediasource(false);
            settings.set_enable_encrypted_media(false);
            settings.set_enable_webrtc(false);
            settings.set_enable_page_cache(false);
            settings.set_enable_dns_prefetching(false);
            settings.set_enable_smooth_scrolling(false);
            settings.set_hardware_acceleration_policy(acceleration_policy());
        }
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    }

    /// Compositing off unless `INCIDENT_DESK_WEBKIT_ACCELERATION=always` asks for WebKit's GL
    /// compositor (a machine whose software rendering is too slow). A page of forms and tables
    /// never needs it, and it is the one lever that moves memory: the compositor loads Mesa and
    /// LLVM into the web process and keeps GL buffers (`make bench-startup` measures both; the
    /// closing note of issue 15 has the figures). It also avoids the blank window some GPU drivers
    /// give WebKitGTK's compositor.
    fn acceleration_policy() -> HardwareAccelerationPolicy {
        if compositing_off() {
            HardwareAccelerationPolicy::Never
        } else {
            HardwareAccelerationPolicy::Always
        }
    }

    pub fn compositing_off() -> bool {
        std::env::var("INCIDENT_DESK_WEBKIT_ACCELERATION").as_deref() != Ok("always")
    }

    /// WebKitGTK's own switch for the policy `Never`, read when it starts.
    pub const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    pub const NO_MEMORY_MONITOR: &str = "WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR";
}
