use super::views::profile::{FormSectionView, ProfileView};
use crate::ipc::CmdResult;
use crate::state::AppState;
use desk_core::profile::{self, Profile};
use tauri::State;

#[tauri::command]
pub fn profile_schema() -> Vec<FormSectionView> {
    profile::schema().into_iter().map(Into::into).collect()
}

#[tauri::command]
pub fn profile_get(state: State<'_, AppState>) -> CmdResult<ProfileView> {
    Ok(profile::load(state.store().conn())?.into())
}

#[tauri::command]
pub fn profile_save(state: State<'_, AppState>, profile: Profile) -> CmdResult<ProfileView> {
    let saved = profile::save(state.store().conn(), profile, chrono::Utc::now())?;
    tracing::info!("profile saved");
    Ok(saved.into())
}
