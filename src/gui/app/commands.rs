//! What the views ask for, applied at the end of the frame by whoever owns it: never in the
//! middle of the layout.

use egui::Context;

use super::LoginApp;
use crate::gui::pages::bulk::BulkCommand;
use crate::gui::pages::history::HistoryCommand;
use crate::gui::pages::login::answer;
use crate::gui::pages::login::{CopyItem, LoginCommand};
use crate::gui::pages::matrix::MatrixCommand;
use crate::gui::pages::Page;
use crate::gui::profiles::ProfileCommand;
use crate::gui::reports::ReportCommand;

pub enum Command {
    /// Switch to another page.
    Show(Page),
    Login(LoginCommand),
    Matrix(MatrixCommand),
    Profiles(ProfileCommand),
    Bulk(BulkCommand),
    History(HistoryCommand),
    Report(ReportCommand),
}

impl From<MatrixCommand> for Command {
    fn from(command: MatrixCommand) -> Self {
        Command::Matrix(command)
    }
}

impl From<LoginCommand> for Command {
    fn from(command: LoginCommand) -> Self {
        Command::Login(command)
    }
}

impl From<ProfileCommand> for Command {
    fn from(command: ProfileCommand) -> Self {
        Command::Profiles(command)
    }
}

impl From<BulkCommand> for Command {
    fn from(command: BulkCommand) -> Self {
        Command::Bulk(command)
    }
}

impl From<HistoryCommand> for Command {
    fn from(command: HistoryCommand) -> Self {
        Command::History(command)
    }
}

impl From<ReportCommand> for Command {
    fn from(command: ReportCommand) -> Self {
        Command::Report(command)
    }
}

impl LoginApp {
    pub(super) fn apply(&mut self, ctx: &Context, command: Command) {
        match command {
            Command::Show(page) => self.page = page,
            Command::Login(command) => {
                self.login
                    .apply(ctx, command, &self.prefs, &mut self.copies);
            }
            Command::Matrix(command) => {
                let opened = self.matrix.apply(
                    ctx,
                    command,
                    &self.login.form,
                    &self.prefs,
                    &mut self.copies,
                );
                // A cell's whole answer: the login page shows it.
                if let Some(attempt) = opened {
                    self.login.show_attempt(attempt, &self.prefs);
                    self.page = Page::Login;
                }
            }
            Command::Profiles(command) => {
                let form = self.login.profile_fields(&self.prefs);
                // A chosen profile fills the login form.
                if let Some(profile) = self.profiles.apply(command, form) {
                    self.login.fill_from(&profile, &mut self.prefs);
                }
            }
            Command::Bulk(command) => self.apply_bulk(ctx, command),
            Command::History(command) => self.apply_history(command),
            Command::Report(command) => self.reports.apply(ctx, command, &mut self.copies),
        }
    }

    /// The bulk page's commands; those about the clipboard or a row's token are the app's.
    fn apply_bulk(&mut self, ctx: &Context, command: BulkCommand) {
        match command {
            BulkCommand::CopySummary => {
                if let Some(text) = self.bulk.summary_text() {
                    self.copies
                        .copy(ctx, CopyItem::BulkSummary, text, false, false);
                }
            }
            BulkCommand::Answer(LoginCommand::Copy(item)) => {
                let text = self
                    .bulk
                    .selected_attempt()
                    .and_then(|attempt| answer::copy_text(attempt, item, None));
                if let Some(text) = text {
                    let clear_later = self.prefs.clear_clipboard_after_30s;
                    self.copies
                        .copy(ctx, item, text, item.is_sensitive(), clear_later);
                }
            }
            // Refresh, revoke, compare: done to the row's token on the login page, where the
            // token then is and where what happens to it shows.
            BulkCommand::Answer(command) => {
                if let Some(attempt) = self.bulk.selected_attempt().cloned() {
                    self.login.show_attempt(attempt, &self.prefs);
                    self.page = Page::Login;
                    self.login
                        .apply(ctx, command, &self.prefs, &mut self.copies);
                }
            }
            command => self
                .bulk
                .apply(command, &self.login.form.client_id, &self.prefs),
        }
    }

    /// The history's entries act on the login page, which is shown for them.
    fn apply_history(&mut self, command: HistoryCommand) {
        match command {
            HistoryCommand::Show(number) => {
                if let Some(entry) = self.history.entry(number) {
                    self.login
                        .show_again(entry.attempt.clone(), entry.body_cut_from);
                    self.page = Page::Login;
                }
            }
            HistoryCommand::RunAgain(number) => {
                if let Some(entry) = self.history.entry(number) {
                    self.login
                        .fill_again(&entry.attempt.request, &mut self.prefs);
                    self.page = Page::Login;
                }
            }
            HistoryCommand::Clear => self.history.clear(),
        }
    }
}
