//! The eframe app: owns the services, runs requests on the tokio runtime, drains their results
//! at the start of each frame and applies the views' commands at the end of it. The token's life
//! after a login (refresh, revoke, guest comparison, revoking when done) is in `token_actions`.

mod token_actions;

use std::future::Future;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use egui::{Context, RichText, Ui};

use self::token_actions::{Finished, Held, Operation};
use super::clipboard::Clipboard;
use super::compare_view::{self, CompareCommand};
use super::login_form::{self, FormCommand};
use super::profiles::{self, FormFields, Profiles};
use super::response_view::{self, AnswerCommand, AnswerContext, CopyItem, Tab};
use super::state::{FieldError, Form, Preferences};
use super::widgets::{self, Note};
use crate::attempt::Attempt;
use crate::attempt::Comparison;
use crate::auth::curl::curl_command;
use crate::auth_host::AuthHost;
use crate::clock::Clock;
use crate::demo::catalog;
use crate::profiles::{Profile, ProfileStore};

const PREFERENCES_KEY: &str = "preferences";
const COPY_CONFIRMATION: Duration = Duration::from_millis(1500);
const CLIPBOARD_LIFETIME: Duration = Duration::from_secs(30);

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

/// The one operation running, if any (a login, or something done to the token shown).
struct InFlight {
    generation: u64,
    operation: Operation,
    started: SystemTime,
    task: tokio::task::JoinHandle<()>,
}

/// What comes back on the results channel.
enum Report {
    /// The operation of that generation finished (stale unless it is still the one in flight).
    Done(u64, Box<Finished>),
    /// Background revocations ("Revoke tokens when I'm done") finished: lines to show.
    Cleaned(Vec<Note>),
}

struct Copied {
    item: CopyItem,
    at: Instant,
}

pub struct LoginApp {
    services: Services,
    demo: Option<DemoInfo>,
    /// The base URL and scope to persist while the demo's are in the form.
    saved_base_url: Option<String>,
    saved_scope: Option<String>,
    pub prefs: Preferences,
    pub form: Form,
    answer: Option<Attempt>,
    notice: Option<String>,
    tab: Tab,
    // -- the token's life (see `token_actions`) --
    /// The guest comparison, shown instead of the answer until the user goes back.
    comparison: Option<Comparison>,
    /// The last customer token received, for "Revoke tokens when I'm done".
    held: Option<Held>,
    /// Revocations done since the last operation started.
    notes: Vec<Note>,
    // --
    in_flight: Option<InFlight>,
    generation: u64,
    results_tx: Sender<Report>,
    results_rx: Receiver<Report>,
    copied: Option<Copied>,
    copy_error: Option<String>,
    /// A sensitive text we put on the clipboard, to clear when it is still there at the deadline.
    clipboard_clear: Option<(Instant, String)>,
    profiles: Profiles,
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
        let (results_tx, results_rx) = channel();
        // In the background: the keyring may be slow or ask to be unlocked.
        let profiles = Profiles::new(
            services.profiles.clone(),
            services.runtime.clone(),
            cc.egui_ctx.clone(),
            services.clock,
        );
        let mut app = Self {
            services,
            demo: None,
            saved_base_url: None,
            saved_scope: None,
            prefs,
            form: Form::default(),
            answer: None,
            notice: None,
            tab: Tab::Summary,
            comparison: None,
            held: None,
            notes: Vec::new(),
            in_flight: None,
            generation: 0,
            results_tx,
            results_rx,
            copied: None,
            copy_error: None,
            clipboard_clear: None,
            profiles,
        };
        if let Some(demo) = demo {
            app.saved_base_url = Some(std::mem::replace(&mut app.prefs.base_url, demo.url.clone()));
            app.form.client_id = catalog::TEST_CLIENT_ID.to_owned();
            app.form.email = catalog::CUSTOMER_EMAIL.to_owned();
            *app.form.password = catalog::CUSTOMER_PASSWORD.to_owned();
            if app.prefs.scope_text.trim().is_empty() {
                app.saved_scope = Some(std::mem::replace(
                    &mut app.prefs.scope_text,
                    catalog::DEMO_SCOPE.to_owned(),
                ));
            }
            app.demo = Some(demo);
        }
        app
    }

    /// Shows a login's answer as if it had just come back (also used by tests for stable
    /// pictures). A token it issued becomes the one "Revoke tokens when I'm done" revokes.
    pub fn show_attempt(&mut self, attempt: Attempt) {
        if self.prefs.clear_password_after_attempt {
            *self.form.password = String::new();
        }
        if let Some(held) = Held::of(&attempt) {
            self.held = Some(held);
        }
        self.notice = None;
        self.comparison = None;
        self.answer = Some(attempt);
    }

    /// Shows a guest comparison as if it had just come back (tests' pictures).
    pub fn show_comparison(&mut self, comparison: Comparison) {
        self.answer = Some(comparison.customer.clone());
        self.comparison = Some(comparison);
    }

    pub fn answer(&self) -> Option<&Attempt> {
        self.answer.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some()
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
        &self.form
    }

    pub fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&mut self, ctx: &Context) {
        let scopes = vec![self.prefs.scope_text.clone()];
        let checked = match self.form.draft(&self.prefs, &scopes).check() {
            Ok(checked) => checked,
            Err(e) => {
                self.form.error = Some(FieldError::from_input(&e));
                return;
            }
        };
        self.form.error = None;
        self.notice = (!checked.warnings.is_empty()).then(|| checked.warnings.join("\n"));
        let auth_host = self.services.auth_host.clone();
        self.start(ctx, Operation::Login, async move {
            let attempt = auth_host.token(&checked.request).await;
            drop(checked);
            Finished::LoggedIn(attempt)
        });
        self.revoke_previous_login(ctx);
    }

    /// Runs an operation on the runtime as the one in flight; a newer one makes it stale.
    fn start(
        &mut self,
        ctx: &Context,
        operation: Operation,
        work: impl Future<Output = Finished> + Send + 'static,
    ) {
        // One operation at a time: a new one replaces (and stops) the one still running.
        if let Some(previous) = self.in_flight.take() {
            previous.task.abort();
        }
        self.notes.clear();
        self.generation += 1;
        let generation = self.generation;
        let tx = self.results_tx.clone();
        let ctx = ctx.clone();
        let task = self.services.runtime.spawn(async move {
            let finished = work.await;
            // Send first, then wake the UI, so the frame that wakes finds the result.
            let _ = tx.send(Report::Done(generation, Box::new(finished)));
            ctx.request_repaint();
        });
        self.in_flight = Some(InFlight {
            generation,
            operation,
            started: (self.services.clock)(),
            task,
        });
    }

    fn cancel(&mut self) {
        if let Some(flight) = self.in_flight.take() {
            flight.task.abort();
            let waited = (self.services.clock)()
                .duration_since(flight.started)
                .unwrap_or_default();
            self.notice = Some(format!("Cancelled after {:.1} s. Nothing was received; the server may still have seen the request.", waited.as_secs_f32()));
        }
    }

    fn drain_results(&mut self, ctx: &Context) {
        // Looked at before draining: a task that had ended by then has sent its result, if any.
        let ended = self
            .in_flight
            .as_ref()
            .is_some_and(|f| f.task.is_finished());
        while let Ok(report) = self.results_rx.try_recv() {
            match report {
                // A result from a cancelled or replaced request is stale.
                Report::Done(generation, finished) => {
                    if self
                        .in_flight
                        .as_ref()
                        .is_some_and(|f| f.generation == generation)
                    {
                        self.in_flight = None;
                        self.finish(ctx, *finished);
                    }
                }
                Report::Cleaned(notes) => self.notes.extend(notes),
            }
        }
        if ended && self.in_flight.is_some() {
            self.in_flight = None;
            self.notice = Some(
                "The request stopped without an answer (an internal error); nothing is shown. Try again."
                    .to_owned(),
            );
        }
    }

    fn copy_text(&self, item: CopyItem) -> Option<String> {
        let attempt = self.answer.as_ref()?;
        let token = attempt.outcome.token.as_ref();
        Some(match item {
            CopyItem::AccessToken => token?.access_token.clone(),
            CopyItem::BearerHeader => token?.bearer_header(),
            CopyItem::RefreshToken => token?.refresh_token.clone()?,
            CopyItem::OwnerId => token?.owner_id.clone()?,
            CopyItem::GrantedScope => token?.granted_scope()?.to_owned(),
            CopyItem::WholeResponse => response_view::pretty(&attempt.body),
            CopyItem::Curl => {
                let password = self
                    .form
                    .include_password_in_curl
                    .then_some(self.form.password.as_str());
                curl_command(&attempt.request, password.filter(|p| !p.is_empty()))
            }
        })
    }

    fn copy(&mut self, ctx: &Context, item: CopyItem) {
        let Some(text) = self.copy_text(item) else {
            return;
        };
        let sensitive =
            item.is_sensitive() || self.form.include_password_in_curl && item == CopyItem::Curl;
        match self.services.clipboard.set(&text, sensitive) {
            Ok(()) => {
                self.copy_error = None;
                self.copied = Some(Copied {
                    item,
                    at: Instant::now(),
                });
                ctx.request_repaint_after(COPY_CONFIRMATION);
                if sensitive && self.prefs.clear_clipboard_after_30s {
                    self.clipboard_clear = Some((Instant::now() + CLIPBOARD_LIFETIME, text));
                    ctx.request_repaint_after(CLIPBOARD_LIFETIME);
                }
            }
            Err(e) => self.copy_error = Some(e),
        }
    }

    /// Clears a copied token once its time is up, unless the user copied something else since.
    fn expire_clipboard(&mut self, ctx: &Context) {
        let Some((deadline, _)) = &self.clipboard_clear else {
            return;
        };
        let now = Instant::now();
        if now < *deadline {
            ctx.request_repaint_after(*deadline - now);
            return;
        }
        if let Some((_, ours)) = self.clipboard_clear.take() {
            if self.services.clipboard.get().as_deref() == Some(ours.as_str()) {
                self.services.clipboard.clear();
            }
        }
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.heading("Commerce Layer login tester");
            if let Some(demo) = &self.demo {
                egui::Frame::new()
                    .fill(egui::Color32::from_rgb(0x6a, 0x3d, 0xc8))
                    .corner_radius(4.0)
                    .inner_margin(egui::Margin::symmetric(8, 2))
                    .show(ui, |ui| {
                        ui.label(RichText::new("DEMO").strong().color(egui::Color32::WHITE));
                    })
                    .response
                    .on_hover_text("Nothing reaches Commerce Layer");
                ui.weak(format!(
                    "local demo server at {} — nothing reaches Commerce Layer",
                    demo.url
                ));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.menu_button("Settings", |ui| {
                    ui.checkbox(
                        &mut self.prefs.clear_password_after_attempt,
                        "Clear the password after each attempt",
                    );
                    ui.checkbox(
                        &mut self.prefs.clear_clipboard_after_30s,
                        "Clear copied tokens from the clipboard after 30 s",
                    );
                    ui.checkbox(&mut self.prefs.revoke_when_done, "Revoke tokens when I'm done")
                        .on_hover_text("When a new login starts, revoke the previous customer token (access and refresh) in the background; when the window closes, revoke the current one (waiting at most 2 s). Off: nothing is ever revoked unless you press Revoke.");
                    ui.separator();
                    theme_choice(ui);
                });
            });
        });
    }

    /// Draws the answer; its command is applied after the frame is drawn.
    fn answer_panel(&mut self, ui: &mut Ui) -> Option<AnswerCommand> {
        if let Some(error) = &self.copy_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
            ui.add_space(6.0);
        }
        widgets::notes(ui, &self.notes);
        if let Some(comparison) = &self.comparison {
            let now = (self.services.clock)();
            if let Some(CompareCommand::Back) = compare_view::show(ui, comparison, now) {
                self.comparison = None;
            }
            return None;
        }
        let Some(attempt) = &self.answer else {
            if self.in_flight.is_some() {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.weak("Waiting for the answer… (Escape cancels)");
                });
            } else {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.weak("Fill in the form and press Get token.");
                    ui.weak("The answer appears here: owner, scope, expiry, mode and what went wrong, in plain words.");
                });
            }
            return None;
        };
        let just_copied = self
            .copied
            .as_ref()
            .filter(|c| c.at.elapsed() < COPY_CONFIRMATION)
            .map(|c| c.item);
        let (command, repaint) = response_view::show(
            ui,
            attempt,
            AnswerContext {
                now: (self.services.clock)(),
                busy: self.in_flight.as_ref().map(|f| f.operation.waiting()),
                just_copied,
                include_password_in_curl: &mut self.form.include_password_in_curl,
                tab: &mut self.tab,
            },
        );
        if let Some(after) = repaint {
            ui.ctx().request_repaint_after(after);
        }
        command
    }

    fn apply(&mut self, ctx: &Context, command: AnswerCommand) {
        let idle = self.in_flight.is_none();
        match command {
            AnswerCommand::Copy(item) => self.copy(ctx, item),
            AnswerCommand::Refresh if idle => self.refresh(ctx),
            AnswerCommand::Revoke(kind) if idle => self.revoke(ctx, kind),
            AnswerCommand::CompareWithGuest if idle => self.compare_with_guest(ctx),
            _ => {}
        }
    }
}

/// egui's own theme buttons are icons only, and the default fonts lack the "system" one: words
/// instead, which also name the buttons for screen readers.
fn theme_choice(ui: &mut Ui) {
    let mut theme = ui.options(|o| o.theme_preference);
    ui.horizontal(|ui| {
        ui.label("Theme");
        for (choice, name) in [
            (egui::ThemePreference::System, "System"),
            (egui::ThemePreference::Light, "Light"),
            (egui::ThemePreference::Dark, "Dark"),
        ] {
            ui.selectable_value(&mut theme, choice, name);
        }
    });
    ui.ctx().set_theme(theme);
}

impl eframe::App for LoginApp {
    fn logic(&mut self, ctx: &Context, _frame: &mut eframe::Frame) {
        self.drain_results(ctx);
        self.profiles.logic();
        self.expire_clipboard(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("top-bar").show(ui, |ui| {
            ui.add_space(4.0);
            self.top_bar(ui);
            ui.add_space(4.0);
        });
        let busy = self.in_flight.as_ref().map(|f| {
            (self.services.clock)()
                .duration_since(f.started)
                .unwrap_or_default()
        });
        // The keyring banner (only when there is a problem), then the picker above the form.
        let mut profile_command = None;
        if self.profiles.state.has_problems() {
            egui::Panel::top("keyring-banner").show(ui, |ui| {
                ui.add_space(4.0);
                profile_command = profiles::view::banner(ui, &mut self.profiles.state);
                ui.add_space(4.0);
            });
        }
        let mut command = None;
        egui::Panel::left("form")
            .resizable(true)
            .default_size(470.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add_space(8.0);
                    let form = FormFields {
                        client_id: &self.form.client_id,
                        base_url: &self.prefs.base_url,
                        scope_text: &self.prefs.scope_text,
                    };
                    let picked = profiles::view::show(ui, &mut self.profiles.state, form);
                    profile_command = profile_command.take().or(picked);
                    ui.add_space(10.0);
                    command = login_form::show(ui, &mut self.form, &mut self.prefs, busy);
                });
            });
        let answer_command = egui::CentralPanel::default_margins()
            .show(ui, |ui| self.answer_panel(ui))
            .inner;
        if let Some(answer_command) = answer_command {
            self.apply(ui.ctx(), answer_command);
        }
        match command {
            Some(FormCommand::Submit) => self.submit(ui.ctx()),
            Some(FormCommand::Cancel) => self.cancel(),
            None => {}
        }
        if let Some(command) = profile_command {
            let form = FormFields {
                client_id: &self.form.client_id,
                base_url: &self.prefs.base_url,
                scope_text: &self.prefs.scope_text,
            };
            // A chosen profile fills the form; the customer and the password are left alone.
            if let Some(profile) = self.profiles.apply(command, form) {
                self.form.client_id.clone_from(&profile.client_id);
                self.prefs.base_url.clone_from(&profile.base_url);
                self.prefs.scope_text = profile.scopes.join(" ");
                self.form.error = None;
            }
        }
        if self.in_flight.is_some() {
            // The elapsed time ticks while waiting; nothing repaints once idle.
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let mut prefs = self.prefs.clone();
        if let Some(base_url) = &self.saved_base_url {
            prefs.base_url.clone_from(base_url);
        }
        if let Some(scope) = &self.saved_scope {
            prefs.scope_text.clone_from(scope);
        }
        eframe::set_value(storage, PREFERENCES_KEY, &prefs);
    }

    /// "Revoke tokens when I'm done": the current token, with a bounded wait (see `token_actions`).
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.revoke_on_exit();
        // A copied token must not outlive the window on the clipboard.
        if let Some((_, ours)) = self.clipboard_clear.take() {
            if self.services.clipboard.get().as_deref() == Some(ours.as_str()) {
                self.services.clipboard.clear();
            }
        }
    }
}
