//! Desktop notifications through `notify-rust` (the freedesktop Notifications service on Linux):
//! a reminder notice becomes one notification whose title and body say what is due, for which SEN
//! or report, and when; Critical gets critical urgency (and stays until dismissed); where the
//! server supports actions, "Open" (the default action: clicking it) shows the window on the record.
//! Urgency, hints, capabilities and the click are the freedesktop service's (Linux only); on Windows
//! and macOS the notice is a plain title and body (follow-up: toast activation / notification
//! centre click routing to the record).

#[cfg(target_os = "linux")]
use desk_core::reminders::StoredNotice;
use notify_rust::Notification;
#[cfg(target_os = "linux")]
use notify_rust::{Hint, NotificationResponse, Timeout, Urgency};
#[cfg(target_os = "linux")]
use std::collections::VecDeque;
#[cfg(target_os = "linux")]
use std::time::Duration;
use tauri::AppHandle;

/// A server that does not answer `Notify` within this is treated as absent (the notice is retried).
#[cfg(target_os = "linux")]
const SHOW_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a click on a notification is still listened for.
#[cfg(target_os = "linux")]
const ACTION_WAIT: Duration = Duration::from_secs(12 * 3600);
/// At most this many notifications are listened to for clicks (each holds a bus connection).
#[cfg(target_os = "linux")]
const MAX_LISTENING: usize = 16;
pub const APP_NAME: &str = "Incident Desk";

#[derive(Default)]
pub struct Notifier {
    /// The server's capabilities, once it answered.
    #[cfg(target_os = "linux")]
    capabilities: Option<Vec<String>>,
    #[cfg(target_os = "linux")]
    listening: VecDeque<tauri::async_runtime::JoinHandle<()>>,
}

#[cfg(not(target_os = "linux"))]
impl Notifier {
    /// Windows (WinRT toast) and macOS (notification centre): title and body only; no id (0).
    pub async fn show(&mut self, _app: &AppHandle, notice: &StoredNotice) -> Result<u32, String> {
        let (title, body) = (notice.title.clone(), notice.body.clone());
        tauri::async_runtime::spawn_blocking(move || {
            Notification::new()
                .appname(APP_NAME)
                .summary(&title)
                .body(&body)
                .show()
                .map(|_| 0)
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }
}

#[cfg(target_os = "linux")]
impl Notifier {
    async fn capabilities(&mut self) -> &[String] {
        if self.capabilities.is_none() {
            let asked = tauri::async_runtime::spawn_blocking(notify_rust::get_capabilities).await;
            match asked {
                Ok(Ok(capabilities)) => {
                    tracing::info!(?capabilities, "notification server");
                    self.capabilities = Some(capabilities);
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "no notification server answers yet"),
                Err(e) => tracing::warn!(error = %e, "cannot ask the notification server"),
            }
        }
        self.capabilities.as_deref().unwrap_or_default()
    }

    /// Shows the notice; returns the id the server gave it.
    pub async fn show(&mut self, app: &AppHandle, notice: &StoredNotice) -> Result<u32, String> {
        let capabilities = self.capabilities().await;
        let actions = capabilities.iter().any(|c| c == "actions");
        let markup = capabilities.iter().any(|c| c == "body-markup");
        let mut notification = Notification::new();
        notification
            .appname(APP_NAME)
            .summary(&notice.title)
            .body(&if markup { escape_markup(&notice.body) } else { notice.body.clone() })
            .icon(if notice.critical { "dialog-warning" } else { "appointment-soon" })
            .urgency(if notice.critical { Urgency::Critical } else { Urgency::Normal })
            .timeout(if notice.critical { Timeout::Never } else { Timeout::Default })
            // A notice shown again after a crash replaces its first copy where the server honours it.
            .hint(Hint::Custom("x-dunst-stack-tag".into(), format!("incident-desk-notice-{}", notice.id)))
            .hint(Hint::Category("x-gov.ca.incidentdesk.reminder".into()));
        if actions {
            notification.action("default", "Open");
        }
        let handle = match tokio::time::timeout(SHOW_TIMEOUT, notification.show_async()).await {
            Ok(Ok(handle)) => handle,
            Ok(Err(e)) => {
                self.capabilities = None;
                return Err(e.to_string());
            }
            Err(_) => {
                self.capabilities = None;
                return Err(format!("the notification server did not answer within {SHOW_TIMEOUT:?}"));
            }
        };
        let id = handle.id();
        if actions {
            let app = app.clone();
            let route = notice.route.clone();
            let listening = tauri::async_runtime::spawn(async move {
                let clicked = |response: &NotificationResponse| match response {
                    NotificationResponse::Default => true,
                    NotificationResponse::Action(key) => key == "default",
                    _ => false,
                };
                let _ = tokio::time::timeout(
                    ACTION_WAIT,
                    handle.wait_for_action_async(|response| {
                        if clicked(response) {
                            crate::main_window::show_main(&app, Some(&route));
                        }
                    }),
                )
                .await;
            });
            self.listening.push_back(listening);
            while self.listening.len() > MAX_LISTENING {
                if let Some(oldest) = self.listening.pop_front() {
                    oldest.abort();
                }
            }
        }
        Ok(id)
    }
}

/// The body is markup for servers that say "body-markup": text must stay text.
#[cfg(target_os = "linux")]
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
