//! The report row (Copy report, Save report…, the masking ticks), its preview, and the save
//! dialog.

use std::time::SystemTime;

use egui::{Checkbox, Id, Key as KeyPress, Modal, Modifiers, RichText, TextEdit, Ui};

use super::{ReportCommand, ReportsState, Subject};
use crate::facts::sentence;
use crate::gui::widgets;
use crate::report::file::IfExists;
use crate::report::{markdown, Format};

/// The report of what the login page shows, pinned under the answer so it stays in view
/// whatever the answer's tabs hold: one row, the preview in a modal.
pub fn below(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
) -> Option<ReportCommand> {
    let mut command = egui::Panel::bottom("report")
        .resizable(false)
        .show(ui, |ui| {
            ui.add_space(6.0);
            let command = row(ui, state, subject, copied, now, true);
            ui.add_space(4.0);
            command
        })
        .inner;
    preview_modal(ui, state, subject, copied, now, &mut command);
    save_dialog(ui, state, &mut command);
    command
}

/// The report row and the report itself below it, in a scrolling view: beside a kept entry
/// on the History page.
pub fn panel(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
) -> Option<ReportCommand> {
    let mut command = row(ui, state, subject, copied, now, false);
    ui.add_space(6.0);
    report_text(ui, state, subject, now, f32::INFINITY);
    save_dialog(ui, state, &mut command);
    command
}

/// Copy report, Save report…, Preview report… (when `with_preview`), the two masking choices,
/// and where the last save went.
fn row(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
    with_preview: bool,
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
        if with_preview
            && ui
                .button("Preview report…")
                .on_hover_text("Read the report before copying or saving it")
                .clicked()
        {
            state.preview = true;
        }
        ui.separator();
        masking_ticks(ui, state, subject);
    });
    if let Some(note) = state.saved_note(subject) {
        ui.label(RichText::new(&note.text).color(widgets::green(ui)));
    }
    command
}

/// The Markdown, selectable and copyable in parts, never editable, scrolling past `height`.
fn report_text(
    ui: &mut Ui,
    state: &ReportsState,
    subject: Subject<'_>,
    now: SystemTime,
    height: f32,
) {
    let text = markdown(&subject.report(state.masking, now));
    egui::ScrollArea::vertical()
        .id_salt("report-text")
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            // A &str buffer: egui shows it as text that cannot be changed.
            ui.add(
                TextEdit::multiline(&mut text.as_str())
                    .code_editor()
                    .desired_width(f32::INFINITY),
            );
        });
}

/// "Preview report…" over the whole window: the row again (the ticks change what is shown) and
/// the report, until closed.
fn preview_modal(
    ui: &mut Ui,
    state: &mut ReportsState,
    subject: Subject<'_>,
    copied: bool,
    now: SystemTime,
    command: &mut Option<ReportCommand>,
) {
    if !state.preview {
        return;
    }
    let mut close = false;
    let height = (ui.ctx().content_rect().height() * 0.6).max(160.0);
    let width = (ui.ctx().content_rect().width() * 0.8).min(900.0);
    let modal = Modal::new(Id::unique("report-preview")).show(ui.ctx(), |ui| {
        ui.set_width(width);
        ui.heading("Report preview");
        ui.add_space(4.0);
        if let Some(asked) = row(ui, state, subject, copied, now, false) {
            *command = Some(asked);
        }
        ui.add_space(6.0);
        report_text(ui, state, subject, now, height);
        ui.add_space(8.0);
        close = ui.button("Close").clicked();
    });
    // The save dialog opens over it and Escape closes that one first.
    if close || (modal.should_close() && state.save.is_none()) {
        state.preview = false;
    }
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
                    let replace = widgets::red_button(ui, "Replace it");
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
