//! The tray icon: the app keeps running there when its window is closed, so reminders keep coming.
//! Its tooltip and menu say the next deadline and how many are overdue (refreshed by the reminder
//! scheduler at each pass, at least every 30 s); the icon carries a red badge with the overdue
//! count. Menu: Open, Lock now, Quit. (On Linux the tray has no tooltip: the menu's first lines say it.)

use crate::main_window::show_main;
use desk_core::reminders::Outlook;
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

pub struct Tray {
    icon: TrayIcon,
    next: MenuItem<tauri::Wry>,
    overdue: MenuItem<tauri::Wry>,
    base: Option<(Vec<u8>, u32, u32)>,
    shown: Mutex<Option<(String, String, usize)>>,
}

/// Creates the tray icon. Without one (no tray support on this desktop), closing the window
/// minimizes it instead of hiding it, so the app stays reachable.
pub fn create(app: &AppHandle) {
    match build(app) {
        Ok(tray) => {
            app.manage(tray);
        }
        Err(e) => {
            tracing::warn!(error = %e, "no tray icon on this desktop; closing the window will minimize it")
        }
    }
}

fn build(app: &AppHandle) -> tauri::Result<Tray> {
    let next = MenuItem::with_id(app, "tray-next", "No deadline ahead", false, None::<&str>)?;
    let overdue = MenuItem::with_id(app, "tray-overdue", "Nothing overdue", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "tray-open", "Open Incident Desk", true, None::<&str>)?;
    let lock_now = MenuItem::with_id(app, "tray-lock", "Lock now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "tray-quit", "Quit (no reminders until started again)", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&next, &overdue, &separator, &open, &lock_now, &quit])?;
    let base = app.default_window_icon().map(|i| (i.rgba().to_vec(), i.width(), i.height()));
    let mut builder = TrayIconBuilder::with_id("incident-desk")
        .tooltip("Incident Desk")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "tray-open" => show_main(app, None),
            // Without a passphrase there is nothing to lock with: the window says where to set one.
            "tray-lock" => {
                let locked = crate::lock::lock(app, crate::lock::Reason::Tray);
                if !locked {
                    show_main(app, Some("#/settings"));
                }
            }
            "tray-quit" => {
                tracing::info!("quit from the tray");
                app.exit(0);
            }
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                show_main(tray.app_handle(), None);
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let icon = builder.build(app)?;
    Ok(Tray { icon, next, overdue, base, shown: Mutex::new(None) })
}

/// Shows the outlook: tooltip, menu lines, and the badge when the overdue count changed.
pub fn refresh(app: &AppHandle, outlook: &Outlook) {
    let Some(tray) = app.try_state::<Tray>() else {
        return;
    };
    let now = (outlook.next_text.clone(), outlook.overdue_text.clone(), outlook.overdue);
    let mut shown = tray.shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if shown.as_ref() == Some(&now) {
        return;
    }
    let badge_changed = shown.as_ref().map(|s| s.2) != Some(outlook.overdue);
    let tooltip = format!("Incident Desk\n{}\n{}", outlook.next_text, outlook.overdue_text);
    let results = [
        tray.icon.set_tooltip(Some(&tooltip)),
        tray.next.set_text(&outlook.next_text),
        tray.overdue.set_text(&outlook.overdue_text),
        tray.icon.set_title(if outlook.overdue > 0 { Some(outlook.overdue_text.as_str()) } else { None }),
    ];
    for result in results {
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot update the tray");
        }
    }
    if badge_changed {
        if let Some((rgba, width, height)) = &tray.base {
            let icon = badged(rgba, *width, *height, outlook.overdue);
            if let Err(e) = tray.icon.set_icon(Some(Image::new_owned(icon, *width, *height))) {
                tracing::warn!(error = %e, "cannot update the tray icon");
            }
        }
    }
    *shown = Some(now);
}

/// The icon with a red badge holding the overdue count ("9+" above nine); the plain icon at zero.
fn badged(rgba: &[u8], width: u32, height: u32, overdue: usize) -> Vec<u8> {
    let mut out = rgba.to_vec();
    if overdue == 0 || width < 16 || height < 16 {
        return out;
    }
    let (w, h) = (width as i64, height as i64);
    let radius = w.min(h) * 30 / 100;
    let (cx, cy) = (w - radius - 1, h - radius - 1);
    let mut put = |x: i64, y: i64, colour: [u8; 4]| {
        if (0..w).contains(&x) && (0..h).contains(&y) {
            let i = ((y * w + x) * 4) as usize;
            out[i..i + 4].copy_from_slice(&colour);
        }
    };
    for y in cy - radius..=cy + radius {
        for x in cx - radius..=cx + radius {
            let d2 = (x - cx).pow(2) + (y - cy).pow(2);
            if d2 <= radius * radius {
                let ring = d2 > (radius - (radius / 8).max(1)).pow(2);
                put(x, y, if ring { [255, 255, 255, 255] } else { [200, 16, 46, 255] });
            }
        }
    }
    let text = if overdue > 9 { "9+".to_string() } else { overdue.to_string() };
    let glyphs: Vec<[u8; 5]> = text.chars().map(glyph).collect();
    let cols = glyphs.len() as i64 * 4 - 1;
    let scale = ((radius * 2 * 55 / 100) / 5).min((radius * 2 * 70 / 100) / cols).max(1);
    let (left, top) = (cx - cols * scale / 2, cy - 5 * scale / 2);
    for (n, rows) in glyphs.iter().enumerate() {
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) != 0 {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            put(
                                left + (n as i64 * 4 + col) * scale + dx,
                                top + row as i64 * scale + dy,
                                [255, 255, 255, 255],
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// A 3x5 pixel digit (or "+"), one row per byte, high bit left.
fn glyph(c: char) -> [u8; 5] {
    match c {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        _ => [0b000, 0b010, 0b111, 0b010, 0b000],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_is_drawn_only_when_something_is_overdue() {
        let plain = vec![0u8; 64 * 64 * 4];
        assert_eq!(badged(&plain, 64, 64, 0), plain);
        let one = badged(&plain, 64, 64, 1);
        let red = one.chunks(4).filter(|p| p == &[200, 16, 46, 255]).count();
        let white = one.chunks(4).filter(|p| p == &[255, 255, 255, 255]).count();
        assert!(red > 500 && white > 50, "red {red}, white {white}");
        assert_ne!(badged(&plain, 64, 64, 12), one, "9+ differs from 1");
    }
}
