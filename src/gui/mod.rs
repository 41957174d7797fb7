//! The desktop window (eframe, glow renderer): the app (`app`), its pages (`pages`), the
//! profiles (`profiles`), the background work all of them use (`tasks`) and the shared look
//! (`widgets`). The views are functions over plain state that return commands; the app runs
//! work on a tokio runtime it owns and never waits on the network on the UI thread.

mod app;
pub mod clipboard;
mod long_text;
mod pages;
mod preferences;
mod profiles;
mod reports;
pub mod tasks;
mod theme;
mod widgets;

pub use app::{DemoInfo, LoginApp, Services};
pub use pages::bulk::BulkRow;
pub use pages::login::Form;
pub use preferences::Preferences;

use std::sync::Arc;

use crate::auth_host::AuthHost;
use crate::auth_host::Transport;
use crate::demo::{self, DemoConfig};
use crate::profiles::KeyringProfiles;
use crate::report::history::History;

pub const WINDOW_TITLE: &str = "CL Login Tester";
pub use crate::data_folder::APP_NAME;
/// The name of the desktop entry, icons and metainfo in assets/: Wayland compositors match the
/// window to its launcher entry by this id, and on X11 it becomes the window's WM_CLASS.
pub const APP_ID: &str = "io.github.cl_login_tester.ClLoginTester";

/// The window and taskbar icon. macOS shows it in the Dock, up to 256 px on a Retina screen;
/// title bars and taskbars elsewhere use 64 px or less, and a smaller PNG decodes faster at
/// start-up. eframe decodes its own default icon (512 px) when given none, so this costs less.
fn window_icon() -> Option<Arc<egui::IconData>> {
    #[cfg(target_os = "macos")]
    const PNG: &[u8] =
        include_bytes!("../../assets/icons/256x256/io.github.cl_login_tester.ClLoginTester.png");
    #[cfg(not(target_os = "macos"))]
    const PNG: &[u8] =
        include_bytes!("../../assets/icons/64x64/io.github.cl_login_tester.ClLoginTester.png");
    // A file that fails to decode (the check script makes sure it does) leaves eframe's icon.
    eframe::icon_data::from_png_bytes(PNG).ok().map(Arc::new)
}

/// The preferences file eframe reads at start and writes on close, in the data folder.
fn preferences_file() -> Option<std::path::PathBuf> {
    crate::data_folder::data_folder().map(|folder| folder.join("app.ron"))
}

fn has_display() -> bool {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Why the window could not open. The CLI's exit-code table maps these to codes.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); use the command line instead: cl-login-tester login --help")]
    NoDisplay,
    #[error("could not start the background runtime: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Transport(#[from] crate::auth_host::transport::SetupError),
    #[error("could not start the demo server: {0}")]
    Demo(String),
    #[error("the window could not open ({0}); the command line works without one: cl-login-tester login --help")]
    Window(String),
}

/// Opens the window (until it is closed); with `demo`, on an in-process demo server.
pub fn run(demo: bool) -> Result<(), StartError> {
    if !has_display() {
        return Err(StartError::NoDisplay);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .thread_name("cl-login-tester-io")
        .build()
        .map_err(StartError::Runtime)?;
    let transport = Transport::new()?;
    let demo_server = if demo {
        let server = runtime
            .block_on(demo::start(DemoConfig::default()))
            .map_err(|e| StartError::Demo(e.to_string()))?;
        Some(server)
    } else {
        None
    };
    let demo_info = demo_server.as_ref().map(|s| DemoInfo {
        url: s.url().to_owned(),
    });
    let services = Services {
        runtime: runtime.handle().clone(),
        auth_host: AuthHost::new(transport),
        profiles: Arc::new(KeyringProfiles::platform()),
        clipboard: Box::new(clipboard::SystemClipboard::default()),
        clock: crate::clock::system_now,
        // Read in the background once the window is up; written only with "Keep history" on.
        history: History::in_data_folder().ok(),
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(WINDOW_TITLE)
        .with_app_id(APP_ID)
        .with_inner_size([1120.0, 720.0])
        .with_min_inner_size([640.0, 480.0]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport,
        persistence_path: preferences_file(),
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_NAME,
        options,
        Box::new(move |cc| Ok(Box::new(LoginApp::new(cc, services, demo_info)))),
    );
    drop(demo_server);
    // A keyring call stuck on an unlock prompt must not keep a closed window's process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    result.map_err(|e| StartError::Window(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn preferences_and_history_share_the_documented_data_folder() {
        let (Some(folder), Some(prefs)) =
            (crate::data_folder::data_folder(), super::preferences_file())
        else {
            return; // no home folder to find: nothing is stored at all
        };
        assert!(folder.ends_with("cl-login-tester"), "{}", folder.display());
        assert_eq!(prefs.parent(), Some(folder.as_path()));
        let history = crate::report::history::History::in_data_folder().expect("a folder");
        assert_eq!(history.path().parent(), Some(folder.as_path()));
    }

    #[test]
    fn the_window_gets_the_app_icon_not_eframes() {
        let icon = super::window_icon().expect("the embedded icon decodes");
        let side: usize = if cfg!(target_os = "macos") { 256 } else { 64 };
        assert_eq!((icon.width as usize, icon.height as usize), (side, side));
        assert_eq!(icon.rgba.len(), side * side * 4);
        let pixel = |x: usize, y: usize| {
            let i = (y * side + x) * 4;
            icon.rgba.get(i..i + 4).map(<[u8]>::to_vec)
        };
        // The icon's own blue, not egui's default icon: inside the rounded square, above the
        // padlock's shackle.
        assert_eq!(
            pixel(side / 2, side * 12 / 128),
            Some(vec![0x1d, 0x4e, 0xd8, 0xff])
        );
        assert_eq!(
            pixel(0, 0).map(|p| p.last().copied()),
            Some(Some(0)),
            "transparent corner"
        );
    }
}
