//! The real window (the release binary's own process, not egui_kittest) on the test display,
//! driven like a person with xdotool: find it, focus it, click, type, press keys. For tests that
//! look at the process from outside (its memory, its files, its output). Needs a display and
//! xdotool (`scripts/session.sh`, `scripts/setup.sh`); without them the test says SKIPPED, and
//! under `CI=true` it fails.
//!
//! One window at a time: two windows on one display take each other's keys (xdotool types into
//! whichever has the focus), so each test holds [`ONE_WINDOW`] while its window is open.
// Included with #[path] by single test files, which use different parts of it.
#![allow(dead_code)]

use std::io::Write;
use std::process::Command;
use std::time::Duration;

pub static ONE_WINDOW: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Where the form's fields are in a 1120×720 window (left column), for clicks.
pub const CLIENT_ID_FIELD: (u32, u32) = (235, 130);
pub const EMAIL_FIELD: (u32, u32) = (235, 158);
pub const PASSWORD_FIELD: (u32, u32) = (235, 187);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs `xdotool` with `args`; its output.
pub fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .expect("xdotool runs");
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether there is a display and xdotool to type into the window (fails under CI without).
pub fn can_drive_window(test: &str) -> bool {
    let why_not = if std::env::var_os("DISPLAY").is_none() {
        "no DISPLAY (run it in scripts/session.sh)"
    } else if Command::new("xdotool").arg("version").output().is_err() {
        "no xdotool (scripts/setup.sh installs it)"
    } else {
        return true;
    };
    assert!(!in_ci(), "{test}: CI must drive the window, but {why_not}");
    let line = format!("SKIPPED: {test}: {why_not}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    false
}

/// Writes what a previous run saved as the window's preferences (the value eframe keeps under
/// the app's "preferences" key, in RON) where the README says it lives: `app.ron` in the data
/// folder under `data_home` (`$XDG_DATA_HOME`).
pub fn save_preferences(data_home: &std::path::Path, preferences: &str) {
    let folder = data_home.join("cl-login-tester");
    std::fs::create_dir_all(&folder).expect("data folder");
    let quoted = serde_json::to_string(preferences).expect("quoted");
    std::fs::write(
        folder.join("app.ron"),
        format!("{{\"preferences\":{quoted}}}"),
    )
    .expect("app.ron");
}

/// The window of a process, found on the display (waits for it to show) and focused.
pub struct XWindow {
    pub id: String,
}

impl XWindow {
    pub fn of(pid: u32) -> Self {
        let found = xdotool(&[
            "search",
            "--sync",
            "--onlyvisible",
            "--pid",
            &pid.to_string(),
            "--name",
            "^CL Login Tester$",
        ]);
        let id = found.lines().next().expect("a window id").to_owned();
        // Keys go through XTEST to the focused window (events sent to a window are marked
        // synthetic, and winit ignores them).
        xdotool(&["windowfocus", "--sync", &id]);
        Self { id }
    }

    /// Clicks at `at` (window coordinates) and selects all the field there holds.
    pub fn select_field(&self, at: (u32, u32)) {
        let (x, y) = (at.0.to_string(), at.1.to_string());
        xdotool(&["mousemove", "--window", &self.id, &x, &y, "click", "1"]);
        std::thread::sleep(Duration::from_millis(200));
        xdotool(&["key", "ctrl+a"]);
    }

    /// Types `text` over what the field at `at` holds.
    pub fn fill(&self, at: (u32, u32), text: &str) {
        self.select_field(at);
        xdotool(&["type", "--delay", "5", text]);
        self.let_frames_run();
    }

    pub fn key(&self, key: &str) {
        xdotool(&["key", key]);
    }

    /// Sends the login (Enter) and lets the answer reach the screen (a local server answers in
    /// milliseconds; a few frames later it is drawn). `CL_TEST_SCREENSHOT` names a file for a
    /// picture of the display at that point.
    pub fn send(&self) {
        self.key("Return");
        std::thread::sleep(Duration::from_millis(1500));
        self.let_frames_run();
        if let Some(shot) = std::env::var_os("CL_TEST_SCREENSHOT") {
            let _ = Command::new("import")
                .args(["-window", "root"])
                .arg(shot)
                .status();
        }
    }

    /// Frames pass: the pointer moves over the window a few times (egui repaints on input).
    pub fn let_frames_run(&self) {
        for (x, y) in [(600, 500), (610, 505), (600, 500)] {
            xdotool(&[
                "mousemove",
                "--window",
                &self.id,
                &x.to_string(),
                &y.to_string(),
            ]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}
