// No console window on Windows release builds; the CLI still prints when started from a terminal.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    incident_desk::main()
}
