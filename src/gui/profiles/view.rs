//! The profile picker above the login form (choose, save as, rename, delete with confirmation);
//! `problems` says in it when the keyring cannot be used.

use egui::{Atom, Button, Id, Key, Modal, Modifiers, RichText, TextEdit, Ui};

use super::{problems, FormFields, NameEditor, ProfileCommand, ProfilesState, Purpose};
use crate::auth::scope::split_scopes;
use crate::facts::sentence;
use crate::gui::widgets::{live_badge, red, red_button};
use crate::profiles::{IfExists, Profile, ProfileName};

const PICKER_WIDTH: f32 = 250.0;
const NONE_TEXT: &str = "None (type a client ID)";

/// Whether the form still shows what the profile holds.
fn form_matches(profile: &Profile, form: FormFields<'_>) -> bool {
    form.client_id.trim() == profile.client_id
        && form.base_url.trim() == profile.base_url
        && split_scopes(form.scope_text).eq(profile.scopes.iter().map(String::as_str))
}

/// The picker, its actions and the name field; the removal confirmation as a modal.
pub fn show(
    ui: &mut Ui,
    state: &mut ProfilesState,
    form: FormFields<'_>,
) -> Option<ProfileCommand> {
    let mut command = None;
    let live = state.selected_profile().is_some_and(Profile::is_live);
    let stroke = if live {
        egui::Stroke::new(1.5, red(ui))
    } else {
        ui.visuals().widgets.noninteractive.bg_stroke
    };
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .stroke(stroke)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let label = ui.strong("Profile");
                picker(ui, state, &mut command).labelled_by(label.id);
                if let Some(profile) = state.selected_profile() {
                    if profile.is_live() {
                        live_badge(ui);
                    }
                    if !form_matches(profile, form) {
                        ui.weak("(edited)").on_hover_text(
                            "The form no longer shows what this profile holds: Save as profile to keep the change.",
                        );
                    }
                }
            });
            if live {
                ui.label(
                    RichText::new("Live profile: its tokens act on real customers and orders.")
                        .color(red(ui)),
                );
            }
            command = problems::show(ui, state).or(command.take());
            actions(ui, state);
            if let Some(notice) = &state.notice {
                ui.colored_label(ui.visuals().warn_fg_color, notice);
            }
            if let Some(editor) = &mut state.editor {
                if !name_editor(ui, editor, state.changing > 0, &mut command) {
                    state.editor = None;
                }
            }
        });
    confirm_removal(ui, state, &mut command);
    command
}

fn picker(
    ui: &mut Ui,
    state: &ProfilesState,
    command: &mut Option<ProfileCommand>,
) -> egui::Response {
    let selected_text = match state.selected_profile() {
        Some(profile) if profile.is_live() => {
            RichText::new(profile.name.as_str()).color(red(ui)).strong()
        }
        Some(profile) => RichText::new(profile.name.as_str()),
        None => RichText::new(NONE_TEXT),
    };
    egui::ComboBox::from_id_salt("profile-picker")
        .selected_text(selected_text)
        .width(PICKER_WIDTH)
        .show_ui(ui, |ui| {
            if ui
                .add(Button::selectable(state.selected.is_none(), NONE_TEXT))
                .clicked()
            {
                *command = Some(ProfileCommand::Deselect);
            }
            let Some(list) = &state.list else {
                ui.weak("Reading the keyring… (it may be asking to be unlocked)");
                return;
            };
            for profile in &list.profiles {
                let chosen = state
                    .selected
                    .as_ref()
                    .is_some_and(|s| s.same_profile(&profile.name));
                let item = if profile.is_live() {
                    // On the selection's highlight, red would be hard to read: the tag says it.
                    let name = RichText::new(profile.name.as_str());
                    Button::selectable(
                        chosen,
                        (
                            if chosen { name } else { name.color(red(ui)) },
                            Atom::grow(),
                            RichText::new("LIVE").color(red(ui)).strong(),
                        ),
                    )
                } else {
                    Button::selectable(chosen, profile.name.as_str())
                };
                if ui.add(item).on_hover_text(&profile.base_url).clicked() {
                    *command = Some(ProfileCommand::Choose(profile.name.clone()));
                }
            }
            for unreadable in &list.unreadable {
                ui.add_enabled(
                    false,
                    Button::selectable(
                        false,
                        (
                            unreadable.name.as_str(),
                            Atom::grow(),
                            RichText::new("unreadable").small(),
                        ),
                    ),
                )
                .on_disabled_hover_text(sentence(&unreadable.error));
            }
            if !list.profiles.is_empty() || !list.unreadable.is_empty() {
                return;
            }
            if state.keyring_problem.is_some() {
                ui.weak("The keyring cannot be read: see Details under the picker.");
            } else {
                ui.weak("No saved profiles yet: fill in the form, then Save as profile.");
            }
        })
        .response
}

fn actions(ui: &mut Ui, state: &mut ProfilesState) {
    let idle = state.changing == 0;
    let selected = state.selected_profile().map(|p| p.name.clone());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(idle, Button::new("Save as profile…").small())
            .on_hover_text("Keep this client ID, base URL and scope under a name, in the keyring")
            .clicked()
        {
            let text = selected
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            state.editor = Some(NameEditor::new(Purpose::SaveAs, text));
            state.confirm_remove = None;
        }
        let on_selected = idle && selected.is_some();
        if ui
            .add_enabled(on_selected, Button::new("Rename…").small())
            .clicked()
        {
            if let Some(name) = &selected {
                state.editor = Some(NameEditor::new(
                    Purpose::Rename(name.clone()),
                    name.to_string(),
                ));
            }
        }
        if ui
            .add_enabled(on_selected, Button::new("Delete…").small())
            .clicked()
        {
            state.editor = None;
            state.confirm_remove = selected.clone();
        }
        if !idle {
            ui.weak("Waiting for the keyring…");
        }
    });
}

/// The name field with its action; returns whether it stays open.
fn name_editor(
    ui: &mut Ui,
    editor: &mut NameEditor,
    busy: bool,
    command: &mut Option<ProfileCommand>,
) -> bool {
    let (label, action) = match &editor.purpose {
        Purpose::SaveAs => ("Profile name", "Save"),
        Purpose::Rename(_) => ("New name", "Rename"),
    };
    let mut open = true;
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let edit = ui
            .add(
                TextEdit::singleline(&mut editor.text)
                    .hint_text("e.g. acme-test")
                    .desired_width(170.0),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut editor.focus) {
            edit.request_focus();
        }
        if edit.changed() {
            editor.error = None;
            editor.taken = None;
        }
        // Enter here confirms the name; the login form must not take it for "Get token".
        let entered =
            edit.lost_focus() && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        let clicked = ui.add_enabled(!busy, Button::new(action)).clicked();
        if (clicked || entered) && !busy {
            match ProfileName::parse(&editor.text) {
                Ok(name) => match &editor.purpose {
                    Purpose::SaveAs => {
                        *command = Some(ProfileCommand::Save(name, IfExists::Refuse))
                    }
                    // The very same spelling: nothing to do.
                    Purpose::Rename(from) if from.as_str() == name.as_str() => open = false,
                    Purpose::Rename(from) => {
                        *command = Some(ProfileCommand::Rename {
                            from: from.clone(),
                            to: name,
                        });
                    }
                },
                Err(e) => editor.error = Some(sentence(&e)),
            }
        }
        if ui.button("Close").clicked() {
            open = false;
        }
    });
    if let Some(error) = &editor.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    if let Some(taken) = &editor.taken {
        if ui
            .add_enabled(!busy, Button::new(format!("Replace “{taken}”")))
            .on_hover_text("Overwrite the saved profile with what the form shows")
            .clicked()
        {
            *command = Some(ProfileCommand::Save(taken.clone(), IfExists::Replace));
        }
    }
    open
}

/// "Delete profile …?" over the whole window, until answered.
fn confirm_removal(ui: &mut Ui, state: &mut ProfilesState, command: &mut Option<ProfileCommand>) {
    let Some(name) = state.confirm_remove.clone() else {
        return;
    };
    let busy = state.changing > 0;
    let mut answered = false;
    let modal = Modal::new(Id::unique("confirm-profile-removal")).show(ui.ctx(), |ui| {
        ui.set_max_width(380.0);
        ui.heading(format!("Delete profile “{name}”?"));
        ui.add_space(4.0);
        ui.label("Its entry is removed from the keyring. The form keeps what it shows now.");
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let delete = red_button(ui, "Delete");
            if ui.add_enabled(!busy, delete).clicked() {
                *command = Some(ProfileCommand::Remove(name.clone()));
            }
            if ui.button("Cancel").clicked() {
                answered = true;
            }
        });
        // After the buttons had their chance at it: Enter must not reach the login form
        // behind the modal as "Get token".
        ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
    });
    if answered || modal.should_close() {
        state.confirm_remove = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::ProfileError;

    #[test]
    fn keyring_errors_read_as_sentences() {
        let error = ProfileError::NotFound("acme".to_owned());
        let shown = sentence(&error);
        assert!(
            shown.starts_with("There is no profile named `acme`"),
            "{shown}"
        );
        assert!(shown.ends_with("list`."), "{shown}");
    }

    #[test]
    fn the_form_matches_a_profile_whatever_the_scope_separators() {
        let mut profile = Profile::new(ProfileName::parse("p").expect("name"), "id");
        profile.scopes = vec!["market:code:eu".to_owned(), "store:id:x".to_owned()];
        let mut form = FormFields {
            client_id: " id ",
            base_url: &profile.base_url,
            scope_text: "market:code:eu, store:id:x",
        };
        assert!(form_matches(&profile, form));
        form.scope_text = "market:code:eu";
        assert!(!form_matches(&profile, form));
    }
}
