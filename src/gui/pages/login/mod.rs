//! The login page: the profile picker and the form on the left; on the right the answer, with
//! Diagnose's verdict once asked for (`diagnose`). What happens to a token after the login
//! (refresh, revoke, revoking when done) is in `token_actions`.

pub mod answer;
mod diagnose;
mod form;
mod sent;
mod tabs;
mod token_actions;

use std::future::Future;
use std::time::Duration;

use egui::{Context, Ui};

pub use self::answer::CopyItem;
use self::answer::{AnswerContext, Tab};
pub use self::diagnose::can_diagnose;
use self::diagnose::{settled_at_once, Diagnose};
use self::form::FieldError;
pub use self::form::Form;
use self::sent::{Sent, Stale};
use self::token_actions::{Finished, Held, Operation};
use crate::attempt::{Attempt, TokenKind};
use crate::auth::url::base_url_of;
use crate::auth::RequestSummary;
use crate::auth_host::AuthHost;
use crate::clock::{utc, Clock};
use crate::demo::catalog;
use crate::diagnosis::{read_answer, Diagnosis, Input};
use crate::gui::clipboard::Copies;
use crate::gui::pages::history::HistoryPage;
use crate::gui::preferences::Preferences;
use crate::gui::profiles::{self, FormFields, ProfileCommand, Profiles, ProfilesState};
use crate::gui::reports::{self, ReportCommand, ReportsState, Subject};
use crate::gui::tasks::{Event, Progress, Running, Tasks};
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
    /// Send the requests that tell which input is at fault.
    Diagnose,
}

/// Below this width the form and the answer take turns instead of sitting side by side.
const NARROW_WIDTH: f32 = 900.0;

/// What a narrow window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Narrow {
    Form,
    Answer,
}

/// The page runs one operation at a time: a login, or one thing done to the token shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Operation,
}

pub struct LoginPage {
    pub form: Form,
    answer: Option<Attempt>,
    /// Diagnose for the answer shown, once asked for (or settled without a request).
    diagnose: Option<Diagnose>,
    tab: Tab,
    /// What the answer shown was asked with, and what the login in flight asks with.
    sent: Option<Sent>,
    sending: Option<Sent>,
    /// The login sent after the answer shown was cancelled.
    cancelled: bool,
    narrow: Narrow,
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
            diagnose: None,
            tab: Tab::Summary,
            sent: None,
            sending: None,
            cancelled: false,
            narrow: Narrow::Form,
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

    /// Diagnose's verdict on the answer shown, once there is one.
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnose.as_ref()?.verdict()
    }

    /// Why the answer shown may not answer the form as it is now, if it may not.
    pub fn stale(&self, prefs: &Preferences) -> Option<Stale> {
        let waiting = self.sending.is_some() && self.tasks.is_running(Slot::Operation);
        Stale::of(
            self.sent.as_ref(),
            waiting,
            self.cancelled,
            &self.form,
            prefs,
        )
    }

    /// The input the answer shown (or Diagnose's verdict) blames, while the answer is current:
    /// the form marks it.
    pub fn input_at_fault(&self, prefs: &Preferences) -> Option<Input> {
        if self.stale(prefs).is_some() {
            return None;
        }
        match self.diagnosis() {
            Some(diagnosis) => diagnosis.at_fault,
            None => read_answer(self.answer.as_ref()?)?.at_fault,
        }
    }

    /// Whether an operation runs (a login, or something done to the token shown).
    pub fn is_busy(&self) -> bool {
        self.tasks.is_running(Slot::Operation)
    }

    /// Shows a login's answer as if it had just come back. A token it issued becomes the one
    /// "Revoke tokens when I'm done" revokes.
    pub fn show_attempt(&mut self, attempt: Attempt, prefs: &Preferences) {
        if prefs.clear_password_after_attempt {
            // In place: a new empty string would drop the old one unwiped.
            zeroize::Zeroize::zeroize(&mut *self.form.password);
        }
        if let Some(held) = Held::of(&attempt) {
            self.held = Some(held);
        }
        self.notice = None;
        // In a narrow window, an answer that just came is what the person waits for.
        self.narrow = Narrow::Answer;
        self.diagnose = settled_at_once(&attempt);
        self.tab = if self.diagnose.is_some() {
            Tab::Diagnosis
        } else {
            Tab::Summary
        };
        self.answer = Some(attempt);
    }

    /// Shows Diagnose's verdict on its login as if it had just come back.
    pub fn show_diagnosis(&mut self, diagnosis: Diagnosis, prefs: &Preferences) {
        self.show_attempt(diagnosis.login.clone(), prefs);
        self.diagnose = Some(Diagnose::Done {
            diagnosis: Box::new(diagnosis),
            with_password: true,
        });
        self.tab = Tab::Diagnosis;
    }

    /// Shows an answer from the history again. Nothing is sent, and nothing else changes: the
    /// form, the password and the token "Revoke tokens when I'm done" holds stay as they are.
    pub fn show_again(&mut self, attempt: Attempt, body_cut_from: Option<usize>) {
        self.notes.clear();
        let cut = body_cut_from.map_or_else(String::new, |whole| {
            format!(
                " Its body is cut to the first {} of its {} bytes.",
                crate::gui::long_text::grouped(attempt.body.len()),
                crate::gui::long_text::grouped(whole)
            )
        });
        self.notice = Some(format!(
            "From the history: the answer of {}, shown again (nothing was sent).{cut}",
            utc(attempt.started_at)
        ));
        self.diagnose = settled_at_once(&attempt);
        self.tab = Tab::Summary;
        self.sent = None;
        self.cancelled = false;
        self.narrow = Narrow::Answer;
        self.answer = Some(attempt);
    }

    /// "Run again": the form asks what `request` asked. The password is never kept, so it
    /// must be typed again: its field is emptied, takes the focus and says so.
    pub fn fill_again(&mut self, request: &RequestSummary, prefs: &mut Preferences) {
        self.form.client_id.clone_from(&request.client_id);
        if let Some(email) = &request.username {
            self.form.email.clone_from(email);
        }
        prefs.base_url = base_url_of(&request.url).to_owned();
        prefs.scope_text = request.scope.clone().unwrap_or_default();
        prefs.encoding = request.encoding;
        self.form.ask_for_password();
    }

    /// The start of a frame: takes in what the background work brought back; every answer
    /// joins the history.
    pub fn logic(
        &mut self,
        prefs: &Preferences,
        profiles: &mut Profiles,
        history: &mut HistoryPage,
    ) {
        for event in self.tasks.drain() {
            match event {
                Event::Done { message, .. } | Event::Progress { message, .. } => {
                    self.finish(message, prefs, profiles, history);
                }
                Event::Lost {
                    slot: Some(Slot::Operation),
                    ..
                } => {
                    self.sending = None;
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
        reports: &mut ReportsState,
        copies: &Copies<CopyItem>,
        commands: &mut Vec<C>,
    ) where
        C: From<LoginCommand> + From<ProfileCommand> + From<ReportCommand>,
    {
        let busy = self.tasks.waited(Slot::Operation);
        let at_fault = self.input_at_fault(prefs);
        let stale = self.stale(prefs);
        let mut form_side = |page: &mut Self, ui: &mut Ui, commands: &mut Vec<C>| {
            egui::ScrollArea::vertical()
                .id_salt("form-scroll")
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    let fields = page.profile_fields(prefs);
                    commands.extend(profiles::view::show(ui, profiles, fields).map(C::from));
                    ui.add_space(10.0);
                    commands
                        .extend(form::show(ui, &mut page.form, prefs, busy, at_fault).map(C::from));
                });
        };
        if ui.available_width() < NARROW_WIDTH {
            // Side by side, the answer would be cut to a sliver and Get token pushed off the
            // bottom: form and answer take turns at the whole width instead.
            egui::CentralPanel::default_margins().show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.narrow, Narrow::Form, "Form");
                    ui.selectable_value(&mut self.narrow, Narrow::Answer, "Answer");
                });
                ui.separator();
                match self.narrow {
                    Narrow::Form => form_side(self, ui, commands),
                    Narrow::Answer => {
                        self.report_row(ui, reports, copies, commands);
                        commands.extend(self.answer_panel(ui, copies, stale).map(C::from));
                    }
                }
            });
            return;
        }
        egui::Panel::left("form")
            .resizable(true)
            .default_size(470.0)
            .show(ui, |ui| form_side(self, ui, commands));
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.report_row(ui, reports, copies, commands);
            commands.extend(self.answer_panel(ui, copies, stale).map(C::from));
        });
    }

    /// The support report of the answer shown, under the form's answer side.
    fn report_row<C>(
        &self,
        ui: &mut Ui,
        reports: &mut ReportsState,
        copies: &Copies<CopyItem>,
        commands: &mut Vec<C>,
    ) where
        C: From<ReportCommand>,
    {
        // Once Diagnose decided, the report is of the verdict and all its requests.
        let subject = match (self.diagnosis(), &self.answer) {
            (Some(diagnosis), _) => Subject::Diagnosis(diagnosis),
            (None, Some(attempt)) => Subject::Attempt(attempt),
            (None, None) => return,
        };
        {
            let copied = copies.just_copied() == Some(CopyItem::Report);
            let now = (self.clock)();
            let asked = reports::view::below(ui, reports, subject, copied, now);
            commands.extend(asked.map(C::from));
        }
    }

    /// The answer, with what happened to the tokens above it.
    fn answer_panel(
        &mut self,
        ui: &mut Ui,
        copies: &Copies<CopyItem>,
        stale: Option<Stale>,
    ) -> Option<LoginCommand> {
        if let Some(error) = copies.error() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
            ui.add_space(6.0);
        }
        widgets::notes(ui, &self.notes);
        let now = (self.clock)();
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
        if let Some(stale) = stale {
            ui.colored_label(ui.visuals().warn_fg_color, stale.explanation());
            ui.add_space(4.0);
            // Dimmed, still readable and usable: the person may want to copy from it.
            ui.multiply_opacity(0.45);
        }
        let (command, repaint) = answer::show(
            ui,
            attempt,
            AnswerContext {
                now,
                busy: self.tasks.running(Slot::Operation).map(Running::label),
                can_diagnose: can_diagnose(attempt, self.diagnose.as_ref()),
                diagnose: self.diagnose.as_ref(),
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
            LoginCommand::Diagnose if idle => self.diagnose(prefs),
            // One operation at a time: the buttons are greyed out meanwhile.
            LoginCommand::Refresh | LoginCommand::Revoke(_) | LoginCommand::Diagnose => {}
        }
    }

    fn submit(&mut self, prefs: &Preferences) {
        if let Some(error) = form::empty_row_error(&prefs.scope_text) {
            self.form.error = Some(error);
            return;
        }
        let scopes = vec![prefs.scope_text.clone()];
        let checked = match self.form.draft(prefs, &scopes).check() {
            Ok(checked) => checked,
            Err(e) => {
                self.form.error = Some(FieldError::from_input(&e));
                return;
            }
        };
        self.form.error = None;
        self.sending = Some(Sent::of(&self.form, prefs));
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

    /// Like [`Self::start`], for an operation that reports as it goes.
    fn start_reporting<F>(
        &mut self,
        operation: Operation,
        work: impl FnOnce(Progress<Finished>) -> F,
    ) where
        F: Future<Output = Finished> + Send + 'static,
    {
        self.notes.clear();
        self.tasks
            .start_reporting(Slot::Operation, operation.waiting(), work);
    }

    fn cancel(&mut self) {
        let waited = self.tasks.waited(Slot::Operation).unwrap_or(Duration::ZERO);
        if self.tasks.cancel(Slot::Operation).is_some() {
            self.cancelled = self.sending.take().is_some() && self.answer.is_some();
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
        if item == CopyItem::CustomerMessage {
            return self.diagnosis()?.customer_message.clone();
        }
        let password = self
            .form
            .include_password_in_curl
            .then_some(self.form.password.as_str());
        answer::copy_text(self.answer.as_ref()?, item, password)
    }
}
