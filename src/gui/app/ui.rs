//! The window's layout: the top bar (title, demo badge, pages, settings), the keyring banner
//! when profiles cannot be used, then the page shown.

use egui::{RichText, Ui};

use super::commands::Command;
use super::LoginApp;
use crate::gui::pages::bulk::{self, BulkCommand};
use crate::gui::pages::{self, Page};
use crate::gui::profiles;

impl LoginApp {
    /// Draws the window; returns what its views asked for, to apply once it is drawn.
    pub(super) fn draw(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::top("top-bar").show(ui, |ui| {
            ui.add_space(4.0);
            commands.extend(self.top_bar(ui));
            ui.add_space(4.0);
        });
        // Only when there is a problem: the form below keeps working with typed client IDs.
        if self.profiles.state.has_problems() {
            egui::Panel::top("keyring-banner").show(ui, |ui| {
                ui.add_space(4.0);
                let asked = profiles::view::banner(ui, &mut self.profiles.state);
                commands.extend(asked.map(Command::Profiles));
                ui.add_space(4.0);
            });
        }
        // A file dropped anywhere on the window is a CSV for the bulk check.
        if let Some(path) = bulk::dropped_file(ui) {
            commands.push(Command::Show(Page::Bulk));
            commands.push(Command::Bulk(BulkCommand::OpenDropped(path)));
        }
        match self.page {
            Page::Login => self.login.show(
                ui,
                &mut self.prefs,
                &mut self.profiles.state,
                &self.copies,
                &mut commands,
            ),
            Page::Bulk => {
                let asked = self.bulk.show(
                    ui,
                    &self.login.form.client_id,
                    &self.prefs,
                    self.copies.just_copied(),
                );
                commands.extend(asked.into_iter().map(Command::Bulk));
            }
        }
        commands
    }

    fn top_bar(&mut self, ui: &mut Ui) -> Option<Command> {
        let mut command = None;
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
                    demo.info.url
                ));
            }
            command = pages::switcher(ui, self.page).map(Command::Show);
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
        command
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
