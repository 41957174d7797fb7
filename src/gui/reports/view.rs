//! The report row (Copy report, Save report…, the masking ticks), its preview, and the save
//! dialog.

use std::time::SystemTime;

use egui::{Button, Checkbox, Id, Key as KeyPress, Modal, Modifiers, RichText, TextEdit, Ui};

use super::{ReportCommand, ReportsState, Subject};
use crate::gui::widgets::{self, sentence};
use crate::report::file::IfExists;
use crate::report::{markdown, Format};

/// How tall the preview may grow before it scrolls.
const PREVIEW_HEIGHT: f32 = 220.0;

/// The report of what the login page shows, pinned under the answer so it stays in view
/// whatever the answer's tabs hold.
pub fn below(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
) -> Option<ReportCommand> {
    egui::Panel::bottom("report")
        .show(ui, |ui| {
            ui.add_space(6.0);
            let command = panel(ui, state, subject, copied, now, false);
            ui.add_space(4.0);
            command
        })
        .inner
}

/// Copy report, Save report…, the two masking choices, and the preview (open from the start
/// with `preview_open`); the save dialog when it is open.
pub fn panel(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
    preview_open: bool,
) -> Option<ReportCommand> {
    let mut command = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Support report").strong())
            .on_hover_text("What was asked, what came back and what it means, for a ticket: never a password or a token.");
        if widgets::copy_button(ui, "Copy report", copied) {
            let report = subject.report(state.masking, now);
            command = Some(ReportCommand::Copy(markdown(&report)));
        }
        if ui
            .button("Save report…")
            .on_hover_text("Save it as Markdown or JSON, readable by you only")
            .clicked()
        {
            state.open_save(subject, now);
        }
        ui.separator();
        masking_ticks(ui, state, subject);
    });
    if let Some(note) = state.saved_note(subject) {
        ui.label(RichText::new(&note.text).color(widgets::GREEN));
    }
    egui::CollapsingHeader::new("Preview report")
        .id_salt("report-preview")
        .default_open(preview_open)
        .show(ui, |ui| {
            let text = markdown(&subject.report(state.masking, now));
            egui::ScrollArea::vertical()
                .id_salt("report-preview-text")
                .max_height(PREVIEW_HEIGHT)
                .show(ui, |ui| {
                    // A &str buffer: selectable and copyable in parts, never editable.
                    ui.add(
                        TextEdit::multiline(&mut text.as_str())
                            .code_editor()
                            .desired_width(f32::INFINITY),
                    );
                });
        });
    save_dialog(ui, state, &mut command);
    command
}

fn masking_ticks(ui: &mut Ui, state: &mut ReportsState, subject: Subject<'_>) {
    if subject.maskable() {
        ui.checkbox(&mut state.masking.mask_email, "Mask the customer's email")
            .on_hover_text("j***@example.com instead of the whole address");
        ui.checkbox(
            &mut state.masking.reveal_client_id,
            "Show the whole client ID",
        )
        .on_hover_text("Off: its first 6 and last 4 characters only");
    } else {
        let why = "A kept report was masked when it was kept: the email and the client ID cannot be shown whole.";
        ui.add_enabled(false, Checkbox::new(&mut true, "Mask the customer's email"))
            .on_disabled_hover_text(why);
        ui.add_enabled(false, Checkbox::new(&mut false, "Show the whole client ID"))
            .on_disabled_hover_text(why);
    }
}

/// "Save report…" over the whole window until it is saved or cancelled. What was typed stays
/// when a save fails.
fn save_dialog(ui: &mut Ui, state: &mut ReportsState, command: &mut Option<ReportCommand>) {
    let Some(dialog) = &mut state.save else {
        return;
    };
    let mut cancelled = false;
    let modal = Modal::new(Id::unique("save-report")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading("Save report");
        ui.weak("No password or token is in it. The file is readable by you only.");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label("Format");
            let mut format = dialog.format;
            ui.radio_value(&mut format, Format::Md, "Markdown (for a ticket)");
            ui.radio_value(&mut format, Format::Json, "JSON (for machines)");
            dialog.choose(format);
        });
        let enter = ui.horizontal(|ui| {
            let label = ui.label("File");
            let edit = ui
                .add(TextEdit::singleline(&mut dialog.path).desired_width(420.0))
                .labelled_by(label.id);
            if std::mem::take(&mut dialog.focus) {
                edit.request_focus();
            }
            if edit.changed() {
                dialog.exists = false;
                dialog.problem = None;
            }
            edit.lost_focus() && ui.input(|i| i.key_pressed(KeyPress::Enter))
        });
        if let Some(problem) = &dialog.problem {
            ui.colored_label(ui.visuals().error_fg_color, sentence(problem));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.add_enabled_ui(!dialog.saving, |ui| {
                if dialog.exists {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "A file of that name is already there.",
                    );
                    let replace =
                        Button::new(RichText::new("Replace it").color(egui::Color32::WHITE))
                            .fill(widgets::RED);
                    if ui.add(replace).clicked() {
                        *command = Some(ReportCommand::Save(IfExists::Replace));
                    }
                } else if ui.button("Save").clicked() || enter.inner {
                    *command = Some(ReportCommand::Save(IfExists::Keep));
                }
                if ui.button("Cancel").clicked() {
                    cancelled = true;
                }
            });
            if dialog.saving {
                ui.spinner();
                ui.weak("Saving…");
            }
        });
        // After the dialog had its chance at it: Enter must not reach the login form behind
        // the modal as "Get token".
        ui.input_mut(|i| i.consume_key(Modifiers::NONE, KeyPress::Enter));
    });
    if (cancelled || modal.should_close()) && !dialog.saving {
        state.save = None;
    }
}
