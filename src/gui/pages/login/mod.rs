//! The login page: the profile picker and the form on the left; on the right the answer, or
//! the guest comparison until the person goes back to it. What happens to a token after the
//! login (refresh, revoke, compare, revoking when done) is in `token_actions`.

pub mod answer;
mod compare;
mod form;
mod token_actions;

use std::future::Future;
use std::time::Duration;

use egui::{Context, Ui};

pub use self::answer::CopyItem;
use self::answer::{AnswerContext, Tab};
use self::form::FieldError;
pub use self::form::Form;
use self::token_actions::{Finished, Held, Operation};
use crate::attempt::{Attempt, Comparison, TokenKind};
use crate::auth_host::AuthHost;
use crate::clock::Clock;
use crate::demo::catalog;
use crate::gui::clipboard::Copies;
use crate::gui::preferences::Preferences;
use crate::gui::profiles::{self, FormFields, ProfileCommand, Profiles, ProfilesState};
use crate::gui::tasks::{Event, Running, Tasks};
use crate::gui::widgets::{self, Note};
use crate::profiles::Profile;

/// What the login page's views ask for; applied at the end of the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginCommand {
    Submit,
    Cancel,
    Copy(CopyItem),
    /// Send the refresh_token grant with the original scope.
    Refresh,
    Revoke(TokenKind),
    CompareWithGuest,
    /// From the guest comparison back to the single answer.
    BackToAnswer,
}

/// The page runs one operation at a time: a login, or one thing done to the token shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Operation,
}

/// What the right side shows.
enum View {
    Answer,
    /// The customer login beside a guest token with the same client ID and scope.
    Comparison(Box<Comparison>),
}

pub struct LoginPage {
    pub form: Form,
    answer: Option<Attempt>,
    view: View,
    tab: Tab,
    notice: Option<String>,
    /// Revocations done since the last operation started.
    notes: Vec<Note>,
    /// The last customer token received, for "Revoke tokens when I'm done".
    held: Option<Held>,
    tasks: Tasks<Finished, Slot>,
    auth_host: AuthHost,
    clock: Clock,
}

impl LoginPage {
    /// The page, sending its requests through `auth_host` on `runtime`.
    pub fn new(
        auth_host: AuthHost,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        Self {
            form: Form::default(),
            answer: None,
            view: View::Answer,
            tab: Tab::Summary,
            notice: None,
            notes: Vec::new(),
            held: None,
            tasks: Tasks::new(runtime, ctx, clock),
            auth_host,
            clock,
        }
    }

    /// The demo's client ID, customer and password in the form.
    pub fn fill_demo(&mut self) {
        self.form.client_id = catalog::TEST_CLIENT_ID.to_owned();
        self.form.email = catalog::CUSTOMER_EMAIL.to_owned();
        *self.form.password = catalog::CUSTOMER_PASSWORD.to_owned();
    }

    /// Takes what a profile holds; the customer and the password are left alone.
    pub fn fill_from(&mut self, profile: &Profile, prefs: &mut Preferences) {
        self.form.client_id.clone_from(&profile.client_id);
        prefs.base_url.clone_from(&profile.base_url);
        prefs.scope_text = profile.scopes.join(" ");
        self.form.error = None;
    }

    /// The part of the form a profile keeps.
    pub fn profile_fields<'a>(&'a self, prefs: &'a Preferences) -> FormFields<'a> {
        FormFields {
            client_id: &self.form.client_id,
            base_url: &prefs.base_url,
            scope_text: &prefs.scope_text,
        }
    }

    pub fn answer(&self) -> Option<&Attempt> {
        self.answer.as_ref()
    }

    /// Whether an operation runs (a login, or something done to the token shown).
    pub fn is_busy(&self) -> bool {
        self.tasks.is_running(Slot::Operation)
    }

    /// Shows a login's answer as if it had just come back. A token it issued becomes the one
    /// "Revoke tokens when I'm done" revokes.
    pub fn show_attempt(&mut self, attempt: Attempt, prefs: &Preferences) {
        if prefs.clear_password_after_attempt {
            *self.form.password = String::new();
        }
        if let Some(held) = Held::of(&attempt) {
            self.held = Some(held);
        }
        self.notice = None;
        self.view = View::Answer;
        self.answer = Some(attempt);
    }

    /// Shows a guest comparison as if it had just come back.
    pub fn show_comparison(&mut self, comparison: Comparison) {
        self.answer = Some(comparison.customer.clone());
        self.view = View::Comparison(Box::new(comparison));
    }

    /// The start of a frame: takes in what the background work brought back.
    pub fn logic(&mut self, prefs: &Preferences, profiles: &mut Profiles) {
        for event in self.tasks.drain() {
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.finish(message, prefs, profiles);
                }
                Event::Lost {
                    slot: Some(Slot::Operation),
                    ..
                } => {
                    self.notice = Some(
                        "The request stopped without an answer (an internal error); nothing is shown. Try again."
                            .to_owned(),
                    );
                }
                Event::Lost {
                    slot: None, label, ..
                } => self.notes.push(Note {
                    ok: false,
                    text: format!(
                        "{label} stopped without an answer (an internal error): it may not have happened."
                    ),
                }),
            }
        }
    }

    /// Draws the page; what its views ask for is added to `commands`.
    pub fn show<C>(
        &mut self,
        ui: &mut Ui,
        prefs: &mut Preferences,
        profiles: &mut ProfilesState,
        copies: &Copies<CopyItem>,
        commands: &mut Vec<C>,
    ) where
        C: From<LoginCommand> + From<ProfileCommand>,
    {
        let busy = self.tasks.waited(Slot::Operation);
        egui::Panel::left("form")
            .resizable(true)
            .default_size(470.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add_space(8.0);
                    let fields = self.profile_fields(prefs);
                    commands.extend(profiles::view::show(ui, profiles, fields).map(C::from));
                    ui.add_space(10.0);
                    commands.extend(form::show(ui, &mut self.form, prefs, busy).map(C::from));
                });
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            commands.extend(self.answer_panel(ui, copies).map(C::from));
        });
    }

    /// The answer (or the comparison), with what happened to the tokens above it.
    fn answer_panel(&mut self, ui: &mut Ui, copies: &Copies<CopyItem>) -> Option<LoginCommand> {
        if let Some(error) = copies.error() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
            ui.add_space(6.0);
        }
        widgets::notes(ui, &self.notes);
        let now = (self.clock)();
        if let View::Comparison(comparison) = &self.view {
            return compare::show(ui, comparison, now);
        }
        let Some(attempt) = &self.answer else {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                if self.tasks.is_running(Slot::Operation) {
                    ui.weak("Waiting for the answer… (Escape cancels)");
                } else {
                    ui.weak("Fill in the form and press Get token.");
                    ui.weak("The answer appears here: owner, scope, expiry, mode and what went wrong, in plain words.");
                }
            });
            return None;
        };
        let (command, repaint) = answer::show(
            ui,
            attempt,
            AnswerContext {
                now,
                busy: self.tasks.running(Slot::Operation).map(Running::label),
                just_copied: copies.just_copied(),
                include_password_in_curl: &mut self.form.include_password_in_curl,
                tab: &mut self.tab,
            },
        );
        if let Some(after) = repaint {
            ui.ctx().request_repaint_after(after);
        }
        command
    }

    /// Applies what the page's views asked for.
    pub fn apply(
        &mut self,
        ctx: &Context,
        command: LoginCommand,
        prefs: &Preferences,
        copies: &mut Copies<CopyItem>,
    ) {
        let idle = !self.is_busy();
        match command {
            LoginCommand::Submit => self.submit(prefs),
            LoginCommand::Cancel => self.cancel(),
            LoginCommand::Copy(item) => self.copy(ctx, item, prefs, copies),
            LoginCommand::Refresh if idle => self.refresh(prefs),
            LoginCommand::Revoke(kind) if idle => self.revoke(kind, prefs),
            LoginCommand::CompareWithGuest if idle => self.compare_with_guest(prefs),
            LoginCommand::BackToAnswer => self.view = View::Answer,
            // One operation at a time: the buttons are greyed out meanwhile.
            LoginCommand::Refresh | LoginCommand::Revoke(_) | LoginCommand::CompareWithGuest => {}
        }
    }

    fn submit(&mut self, prefs: &Preferences) {
        let scopes = vec![prefs.scope_text.clone()];
        let checked = match self.form.draft(prefs, &scopes).check() {
            Ok(checked) => checked,
            Err(e) => {
                self.form.error = Some(FieldError::from_input(&e));
                return;
            }
        };
        self.form.error = None;
        self.notice = (!checked.warnings.is_empty()).then(|| checked.warnings.join("\n"));
        let auth_host = self.auth_host.clone();
        self.start(Operation::Login, async move {
            let attempt = auth_host.token(&checked.request).await;
            drop(checked);
            Finished::LoggedIn(attempt)
        });
        self.revoke_previous_login(prefs);
    }

    /// Runs an operation as the one in flight; it stops (and replaces) the one still running.
    fn start(
        &mut self,
        operation: Operation,
        work: impl Future<Output = Finished> + Send + 'static,
    ) {
        self.notes.clear();
        self.tasks.start(Slot::Operation, operation.waiting(), work);
    }

    fn cancel(&mut self) {
        let waited = self.tasks.waited(Slot::Operation).unwrap_or(Duration::ZERO);
        if self.tasks.cancel(Slot::Operation).is_some() {
            self.notice = Some(format!("Cancelled after {:.1} s. Nothing was received; the server may still have seen the request.", waited.as_secs_f32()));
        }
    }

    fn copy(
        &self,
        ctx: &Context,
        item: CopyItem,
        prefs: &Preferences,
        copies: &mut Copies<CopyItem>,
    ) {
        let Some(text) = self.copy_text(item) else {
            return;
        };
        let sensitive =
            item.is_sensitive() || self.form.include_password_in_curl && item == CopyItem::Curl;
        copies.copy(ctx, item, text, sensitive, prefs.clear_clipboard_after_30s);
    }

    fn copy_text(&self, item: CopyItem) -> Option<String> {
        let password = self
            .form
            .include_password_in_curl
            .then_some(self.form.password.as_str());
        answer::copy_text(self.answer.as_ref()?, item, password)
    }
}
