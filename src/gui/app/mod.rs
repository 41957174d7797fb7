//! The eframe app, split the way Rerun's viewer splits its own: this file holds the app (the
//! persisted preferences apart from what lives only while the window runs) and builds it;
//! `logic` takes in background work at the start of each frame, `ui` lays the window out and
//! collects the views' commands, `commands` applies them at the end of the frame.

mod closing;
mod commands;
mod logic;
mod ui;

use std::sync::Arc;

use egui::{Context, Ui};

use self::closing::Closing;
use self::commands::Command;
use super::clipboard::{Clipboard, Copies};
use super::pages::bulk::BulkPage;
use super::pages::history::HistoryPage;
use super::pages::login::{CopyItem, Form, LoginPage};
use super::pages::matrix::MatrixPage;
use super::pages::Page;
use super::preferences::Preferences;
use super::profiles::Profiles;
use super::reports::Reports;
use crate::attempt::Attempt;
use crate::auth_host::AuthHost;
use crate::clock::Clock;
use crate::demo::catalog;
use crate::diagnosis::{Diagnosis, Input};
use crate::profiles::{Profile, ProfileStore};
use crate::report::history::History;

const PREFERENCES_KEY: &str = "preferences";
/// Width of the outline of the focused widget, in points.
const FOCUS_RING: f32 = 2.0;

/// What the app is given: the runtime it sends work to, the auth host (HTTP and signature
/// keys), the profile store, the clipboard, the clock and where the history is kept. Tests give
/// in-memory ones, a fixed clock and a temporary folder. The profile store and the history file
/// block: call them through `spawn_blocking` only.
pub struct Services {
    pub runtime: tokio::runtime::Handle,
    pub auth_host: AuthHost,
    pub profiles: Arc<dyn ProfileStore>,
    pub clipboard: Box<dyn Clipboard>,
    pub clock: Clock,
    /// The kept history's file; `None` when this system gives no data folder.
    pub history: Option<History>,
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
    matrix: MatrixPage,
    history: HistoryPage,
    profiles: Profiles,
    reports: Reports,
    copies: Copies<CopyItem>,
    clock: Clock,
    closing: Closing,
    /// "Revoke and close" was chosen: `on_exit` revokes whatever the setting says.
    revoke_on_close: bool,
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
            history,
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
            login: LoginPage::new(auth_host.clone(), runtime.clone(), ctx.clone(), clock),
            matrix: MatrixPage::new(auth_host, runtime.clone(), ctx.clone(), clock),
            history: HistoryPage::new(history, runtime.clone(), ctx.clone(), clock),
            reports: Reports::new(runtime.clone(), ctx.clone(), clock),
            profiles: Profiles::new(profiles, runtime, ctx.clone(), clock),
            copies: Copies::new(clipboard),
            clock,
            closing: Closing::default(),
            revoke_on_close: false,
        };
        if let Some(demo) = demo {
            app.start_demo(demo);
        }
        app.login.form.focus = Some(app.login.form.first_to_fill());
        super::theme::install(ctx);
        // egui's 1 px focus outline is easy to lose on a keyboard walk through the form.
        ctx.all_styles_mut(|style| {
            style.visuals.selection.stroke.width = FOCUS_RING;
            style.visuals.widgets.active.bg_stroke.width = FOCUS_RING;
        });
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
    /// pictures): it joins the history, and a token it issued becomes the one "Revoke tokens
    /// when I'm done" revokes.
    pub fn show_attempt(&mut self, attempt: Attempt) {
        self.history
            .record(&attempt, self.profiles.selected_profile(), &self.prefs);
        self.login.show_attempt(attempt, &self.prefs);
    }

    /// Shows Diagnose's verdict as if it had just come back (tests' pictures).
    pub fn show_diagnosis(&mut self, diagnosis: Diagnosis) {
        self.login.show_diagnosis(diagnosis, &self.prefs);
    }

    pub fn answer(&self) -> Option<&Attempt> {
        self.login.answer()
    }

    /// Diagnose's verdict on the answer shown, once there is one.
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.login.diagnosis()
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

    /// Whether the kept history's file, or a saved report, is still being read or written.
    pub fn files_busy(&self) -> bool {
        self.history.is_busy() || self.reports.is_busy()
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

    /// The input the form marks red: the one the current answer (or its diagnosis) blames.
    pub fn input_at_fault(&self) -> Option<Input> {
        self.login.input_at_fault(&self.prefs)
    }

    pub fn form_mut(&mut self) -> &mut Form {
        &mut self.login.form
    }

    /// The scope matrix page (its rows, its run, its grid).
    pub fn matrix_page(&self) -> &MatrixPage {
        &self.matrix
    }

    pub fn matrix_page_mut(&mut self) -> &mut MatrixPage {
        &mut self.matrix
    }
}

impl eframe::App for LoginApp {
    fn logic(&mut self, ctx: &Context, _frame: &mut eframe::Frame) {
        self.start_frame(ctx);
        self.intercept_close(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let commands: Vec<Command> = self.draw(ui);
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.close_reminder(ui.ctx());
        self.end_frame(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.persisted());
    }

    /// "Revoke tokens when I'm done" (or "Revoke and close"): the current token, with a
    /// bounded wait.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if self.revoke_on_close {
            self.login.revoke_held_now();
        } else {
            self.login.revoke_on_exit(&self.prefs);
        }
        self.copies.clear_now();
    }
}
