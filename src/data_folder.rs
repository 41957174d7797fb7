//! The one folder the tool keeps its data in: the window's preferences (`app.ron`) and, with
//! "Keep history" on, the history. `~/.local/share/cl-login-tester` on Linux (README, "Where
//! data is stored"). Named here once for every face: eframe would otherwise key the window's
//! storage by its app id (`io.github.cl_login_tester.clloginteser`), away from the history.

use std::path::PathBuf;

/// The data folder's name, also eframe's name for the app.
pub const APP_NAME: &str = "cl-login-tester";

/// The data folder, where the platform has one (eframe's rule: `$XDG_DATA_HOME`, else
/// `~/.local/share` on Linux; Application Support on macOS; `%APPDATA%\…\data` on Windows).
pub fn data_folder() -> Option<PathBuf> {
    eframe::storage_dir(APP_NAME)
}
