//! What the views ask for, applied at the end of the frame by whoever owns it: never in the
//! middle of the layout.

use egui::Context;

use super::LoginApp;
use crate::gui::pages::login::LoginCommand;
use crate::gui::pages::matrix::MatrixCommand;
use crate::gui::pages::Page;
use crate::gui::profiles::ProfileCommand;

pub enum Command {
    /// Switch to another page.
    Show(Page),
    Login(LoginCommand),
    Matrix(MatrixCommand),
    Profiles(ProfileCommand),
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
        }
    }
}
