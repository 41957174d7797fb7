//! The desktop window (eframe, glow renderer): the app (`app`), its pages (`pages`), the
//! profiles (`profiles`), the background work all of them use (`tasks`) and the shared look
//! (`widgets`). The views are functions over plain state that return commands; the app runs
//! work on a tokio runtime it owns and never waits on the network on the UI thread.

mod app;
pub mod clipboard;
mod pages;
mod preferences;
mod profiles;
pub mod tasks;
mod widgets;

pub use app::{DemoInfo, LoginApp, Services};
pub use pages::login::Form;
pub use preferences::Preferences;

use std::sync::Arc;

use crate::auth_host::AuthHost;
use crate::auth_host::Transport;
use crate::demo::{self, DemoConfig};
use crate::profiles::KeyringProfiles;

pub const WINDOW_TITLE: &str = "CL Login Tester";
pub const APP_ID: &str = "cl-login-tester";

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
    };
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title(WINDOW_TITLE)
            .with_app_id(APP_ID)
            .with_inner_size([1120.0, 720.0])
            .with_min_inner_size([760.0, 480.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| Ok(Box::new(LoginApp::new(cc, services, demo_info)))),
    );
    drop(demo_server);
    // A keyring call stuck on an unlock prompt must not keep a closed window's process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    result.map_err(|e| StartError::Window(e.to_string()))
}
