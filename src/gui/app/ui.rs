//! The window's layout: the top bar (title, demo badge, pages, settings), then the page shown.

use egui::{RichText, Ui};

use super::commands::Command;
use super::LoginApp;
use crate::facts;
use crate::gui::pages::bulk::{self, BulkCommand};
use crate::gui::pages::login::CopyItem;
use crate::gui::pages::{self, Page};

impl LoginApp {
    /// Draws the window; returns what its views asked for, to apply once it is drawn.
    pub(super) fn draw(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::top("top-bar").show(ui, |ui| {
            ui.add_space(4.0);
            commands.extend(self.top_bar(ui));
            ui.add_space(4.0);
        });
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
                &mut self.reports.state,
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
            Page::Matrix => self.matrix.show(
                ui,
                &self.login.form,
                &self.prefs,
                &self.copies,
                &mut commands,
            ),
            Page::History => self.history.show(
                ui,
                &mut self.reports.state,
                self.copies.just_copied() == Some(CopyItem::Report),
                &self.prefs,
                &mut commands,
            ),
        }
        commands
    }

    fn top_bar(&mut self, ui: &mut Ui) -> Option<Command> {
        let mut command = None;
        ui.horizontal(|ui| {
            // Settings first, from the right: in a narrow window the demo sentence is what
            // gives way (shortened, whole on hover), never the menu.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                self.settings_menu(ui);
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    // The title bar names the app already: in a narrow window the pages and
                    // the DEMO badge need the room.
                    if ui.available_width() > 900.0 {
                        ui.heading("Commerce Layer login tester");
                    }
                    command = pages::switcher(ui, self.page).map(Command::Show);
                    self.demo_header(ui);
                });
            });
        });
        command
    }

    fn demo_header(&self, ui: &mut Ui) {
        let Some(demo) = &self.demo else {
            return;
        };
        egui::Frame::new()
            .fill(crate::gui::theme::DEMO_FILL)
            .corner_radius(4.0)
            .inner_margin(egui::Margin::symmetric(8, 2))
            .show(ui, |ui| {
                ui.label(RichText::new("DEMO").strong().color(egui::Color32::WHITE));
            })
            .response
            .on_hover_text("A local demo server runs in this window");
        // The promise holds only while the form still points at the demo server.
        let root = |url: &str| {
            let url = url.trim().trim_end_matches('/');
            url.strip_suffix("/oauth/token").unwrap_or(url).to_owned()
        };
        let sentence = if root(&self.prefs.base_url) == root(&demo.info.url) {
            RichText::new(format!(
                "local demo server at {} — nothing reaches Commerce Layer",
                demo.info.url
            ))
            .weak()
        } else {
            RichText::new(format!(
                "the base URL is not the demo server ({}): requests go to {}",
                demo.info.url,
                facts::shown(self.prefs.base_url.trim())
            ))
            .color(ui.visuals().warn_fg_color)
        };
        ui.add(egui::Label::new(sentence).truncate());
    }

    fn settings_menu(&mut self, ui: &mut Ui) {
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
            ui.checkbox(&mut self.prefs.keep_history, "Keep history")
                .on_hover_text("Keep each attempt between sessions as a redacted report (no password or token, the client ID and the email masked), the newest 200, in the app's data folder. Off: the History page lists this session only.");
            ui.separator();
            theme_choice(ui);
        });
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
