//! The real window (`LoginApp`, built the way eframe builds it) in an egui_kittest harness, with
//! an in-memory clipboard, a given profile store and a given clock. Included by the window tests
//! only (`#[path = "support/window.rs"] mod window;`), so the other tests do not link egui.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use cl_login_tester::client::Transport;
use cl_login_tester::gui::clipboard::MemoryClipboard;
use cl_login_tester::gui::{DemoInfo, LoginApp, Services};
use cl_login_tester::lifecycle::Lifecycle;
use cl_login_tester::profiles::ProfileStore;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

pub struct Window {
    pub harness: Harness<'static, LoginApp>,
    pub clipboard: MemoryClipboard,
}

/// A window on `runtime`, showing the demo at `demo_url` if given, with its profiles in `store`.
pub fn window(
    runtime: tokio::runtime::Handle,
    demo_url: Option<&str>,
    clock: fn() -> SystemTime,
    store: Arc<dyn ProfileStore>,
) -> Window {
    let clipboard = MemoryClipboard::default();
    let services = Services {
        runtime,
        lifecycle: Lifecycle::new(Transport::new().expect("transport")),
        profiles: store,
        clipboard: Box::new(clipboard.clone()),
        clock,
    };
    let demo = demo_url.map(|url| DemoInfo {
        url: url.to_owned(),
    });
    let harness = Harness::builder()
        .with_size([1120.0, 720.0])
        // Hover and fade animations take a few frames to settle.
        .with_max_steps(120)
        .wgpu()
        .build_eframe(move |cc| LoginApp::new(cc, services, demo));
    Window { harness, clipboard }
}

impl Window {
    /// Steps frames until `done` holds, as the real event loop would while work runs.
    pub fn step_until(&mut self, what: &str, done: impl Fn(&LoginApp) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(self.harness.state()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            self.harness.step();
            std::thread::sleep(Duration::from_millis(5));
        }
        self.harness.run();
    }

    /// Waits for the keyring calls under way (the list read at start-up, a save...).
    pub fn settle_keyring(&mut self) {
        self.step_until("the keyring", |app| !app.keyring_busy());
    }

    pub fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.harness.run();
    }

    pub fn get_token(&mut self) {
        self.harness.get_by_label("Get token").click();
        self.step_until("the answer", |app| !app.is_busy());
    }

    /// Replaces a field's text the way a person does: focus, select all, type.
    pub fn retype(&mut self, label: &str, text: &str) {
        let field = self.harness.get_by_label(label);
        field.focus();
        self.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.harness.get_by_label(label).type_text(text);
        self.harness.run();
    }

    pub fn shows(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }
}
