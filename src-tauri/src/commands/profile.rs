use crate::ipc::CmdResult;
use crate::state::AppState;
use desk_core::form::Section;
use desk_core::profile::{self, Profile};
use tauri::State;

#[tauri::command]
pub fn profile_schema() -> Vec<Section> {
    profile::schema()
}

#[tauri::command]
pub fn profile_get(state: State<'_, AppState>) -> CmdResult<Profile> {
    Ok(profile::load(state.store().conn())?)
}

#[tauri::command]
pub fn profile_save(state: State<'_, AppState>, profile: Profile) -> CmdResult<Profile> {
    let saved = profile::save(state.store().conn(), profile, chrono::Utc::now())?;
    tracing::info!("profile saved");
    Ok(saved)
}
