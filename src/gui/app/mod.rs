//! The eframe app, split the way Rerun's viewer splits its own: this file holds the app (the
//! persisted preferences apart from what lives only while the window runs) and builds it;
//! `logic` takes in background work at the start of each frame, `ui` lays the window out and
//! collects the views' commands, `commands` applies them at the end of the frame.

mod commands;
mod logic;
mod ui;

use std::sync::Arc;

use egui::{Context, Ui};

use self::commands::Command;
use super::clipboard::{Clipboard, Copies};
use super::pages::bulk::BulkPage;
use super::pages::login::{CopyItem, Form, LoginPage};
use super::pages::Page;
use super::preferences::Preferences;
use super::profiles::Profiles;
use crate::attempt::{Attempt, Comparison};
use crate::auth_host::AuthHost;
use crate::clock::Clock;
use crate::demo::catalog;
use crate::profiles::{Profile, ProfileStore};

const PREFERENCES_KEY: &str = "preferences";

/// What the app is given: the runtime it sends work to, the auth host (HTTP and signature
/// keys), the profile store, the clipboard and the clock. Tests give in-memory ones and a fixed
/// clock. The profile store blocks: call it through `spawn_blocking` only.
pub struct Services {
    pub runtime: tokio::runtime::Handle,
    pub auth_host: AuthHost,
    pub profiles: Arc<dyn ProfileStore>,
    pub clipboard: Box<dyn Clipboard>,
    pub clock: Clock,
}

/// A demo server the window was started with.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    pub url: String,
}

/// The demo's base URL and scope stand in for the user's in the form; the user's are what is
/// persisted.
struct DemoSession {
    info: DemoInfo,
    saved_base_url: String,
    saved_scope: Option<String>,
}

pub struct LoginApp {
    /// All that survives a restart.
    pub prefs: Preferences,
    demo: Option<DemoSession>,
    page: Page,
    login: LoginPage,
    bulk: BulkPage,
    profiles: Profiles,
    copies: Copies<CopyItem>,
}

impl LoginApp {
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        services: Services,
        demo: Option<DemoInfo>,
    ) -> Self {
        let prefs: Preferences = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFERENCES_KEY))
            .unwrap_or_default();
        let Services {
            runtime,
            auth_host,
            profiles,
            clipboard,
            clock,
        } = services;
        let ctx = &cc.egui_ctx;
        let mut app = Self {
            prefs,
            demo: None,
            page: Page::default(),
            bulk: BulkPage::new(
                auth_host.transport().clone(),
                runtime.clone(),
                ctx.clone(),
                clock,
            ),
            login: LoginPage::new(auth_host, runtime.clone(), ctx.clone(), clock),
            profiles: Profiles::new(profiles, runtime, ctx.clone(), clock),
            copies: Copies::new(clipboard),
        };
        if let Some(demo) = demo {
            app.start_demo(demo);
        }
        app
    }

    /// The demo's client ID, customer, password, URL and (unless one was kept) scope in the form.
    fn start_demo(&mut self, info: DemoInfo) {
        let saved_base_url = std::mem::replace(&mut self.prefs.base_url, info.url.clone());
        let saved_scope =
            self.prefs.scope_text.trim().is_empty().then(|| {
                std::mem::replace(&mut self.prefs.scope_text, catalog::DEMO_SCOPE.to_owned())
            });
        self.login.fill_demo();
        self.demo = Some(DemoSession {
            info,
            saved_base_url,
            saved_scope,
        });
    }

    /// The preferences to keep: the user's own, not the demo's.
    fn persisted(&self) -> Preferences {
        let mut prefs = self.prefs.clone();
        if let Some(demo) = &self.demo {
            prefs.base_url.clone_from(&demo.saved_base_url);
            if let Some(scope) = &demo.saved_scope {
                prefs.scope_text.clone_from(scope);
            }
        }
        prefs
    }

    /// Shows a login's answer as if it had just come back (also used by tests for stable
    /// pictures). A token it issued becomes the one "Revoke tokens when I'm done" revokes.
    pub fn show_attempt(&mut self, attempt: Attempt) {
        self.login.show_attempt(attempt, &self.prefs);
    }

    /// Shows a guest comparison as if it had just come back (tests' pictures).
    pub fn show_comparison(&mut self, comparison: Comparison) {
        self.login.show_comparison(comparison);
    }

    pub fn answer(&self) -> Option<&Attempt> {
        self.login.answer()
    }

    /// Whether a login, or something done to its token, is running.
    pub fn is_busy(&self) -> bool {
        self.login.is_busy()
    }

    /// Whether the bulk page reads a file, runs or exports.
    pub fn bulk_busy(&self) -> bool {
        self.bulk.is_busy()
    }

    /// The rows of the bulk page's last run that ended so far.
    pub fn bulk_rows(&self) -> &[crate::gui::BulkRow] {
        self.bulk.rows()
    }

    /// Whether a keyring call for the profiles is still running.
    pub fn keyring_busy(&self) -> bool {
        self.profiles.is_busy()
    }

    /// The profile chosen in the picker.
    pub fn selected_profile(&self) -> Option<&Profile> {
        self.profiles.selected_profile()
    }

    /// The login form as typed.
    pub fn form(&self) -> &Form {
        &self.login.form
    }

    pub fn form_mut(&mut self) -> &mut Form {
        &mut self.login.form
    }
}

impl eframe::App for LoginApp {
    fn logic(&mut self, ctx: &Context, _frame: &mut eframe::Frame) {
        self.start_frame(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let commands: Vec<Command> = self.draw(ui);
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.end_frame(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.persisted());
    }

    /// "Revoke tokens when I'm done": the current token, with a bounded wait.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.login.revoke_on_exit(&self.prefs);
        self.copies.clear_now();
    }
}
