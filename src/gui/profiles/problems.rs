//! What the Profile box says when profiles cannot be used: one line ("Profiles need a keyring"),
//! the whole sentence and Try again under Details, so the form below keeps its place and its
//! work with typed client IDs. Entries that cannot be read are listed there too, each with its
//! removal.

use egui::{RichText, Ui};

use super::{ProfileCommand, ProfilesState};
use crate::facts::sentence;

/// The keyring's line and the unreadable entries, inside the Profile box.
pub fn show(ui: &mut Ui, state: &mut ProfilesState) -> Option<ProfileCommand> {
    let mut command = None;
    let warn = ui.visuals().warn_fg_color;
    if let Some(problem) = &state.keyring_problem {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", problem.headline)).color(warn));
            ui.toggle_value(&mut state.details_open, "Details")
                .on_hover_text("What is wrong with the keyring, and what to do");
        });
        if state.details_open {
            egui::Frame::new()
                .inner_margin(egui::Margin::symmetric(8, 4))
                .show(ui, |ui| {
                    ui.label(&problem.detail);
                    if ui
                        .small_button("Try again")
                        .on_hover_text("Read the profiles from the keyring again")
                        .clicked()
                    {
                        command = Some(ProfileCommand::Reload);
                    }
                });
        }
    }
    let mut remove = None;
    let unreadable = state.list.as_ref().map(|l| l.unreadable.as_slice());
    for entry in unreadable.unwrap_or_default() {
        ui.horizontal_wrapped(|ui| {
            let title = format!("Profile “{}” cannot be read.", entry.name);
            ui.label(RichText::new(title).color(warn));
            ui.label(sentence(&entry.error));
            if ui
                .small_button(format!("Delete “{}”…", entry.name))
                .clicked()
            {
                remove = Some(entry.name.clone());
            }
        });
    }
    if remove.is_some() {
        state.editor = None;
        state.confirm_remove = remove;
    }
    command
}
