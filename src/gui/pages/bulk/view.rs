//! The page's layout: on the left the file, the password, the pace, Start / Pause / Stop, the
//! progress and the export; on the right the file's preview before a run, then the results
//! grid with the selected row's whole answer below it.

use std::path::PathBuf;

use egui::{Key, RichText, TextEdit, Ui};

use super::{BulkCommand, BulkPage, Format, Run, Slot};
use crate::batch::progress::{duration_words, eta_words};
use crate::batch::{RowOutcome, RunState};
use crate::gui::pages::login::answer::{self, AnswerContext};
use crate::gui::pages::login::{self, CopyItem};
use crate::gui::preferences::Preferences;
use crate::gui::widgets;
use crate::pacing::RateLimit;

const FIELD_WIDTH: f32 = 260.0;

/// The path of a file dropped onto the window this frame, if one was.
pub fn dropped_file(ui: &Ui) -> Option<PathBuf> {
    ui.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()))
}

impl BulkPage {
    /// Draws the page. `client_id` and `prefs` are the login form's, shown so the person knows
    /// what the run uses; `just_copied` confirms "Copy summary" and the answer's copy buttons.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        client_id: &str,
        prefs: &Preferences,
        just_copied: Option<CopyItem>,
    ) -> Vec<BulkCommand> {
        let mut commands = Vec::new();
        egui::Panel::left("bulk-controls")
            .resizable(true)
            .default_size(380.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add_space(8.0);
                    self.controls(ui, client_id, prefs, just_copied, &mut commands);
                });
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
            if hovering {
                widgets::banner(ui.visuals().selection.bg_fill).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.heading("Drop the CSV file to open it");
                });
                ui.add_space(8.0);
            }
            commands.extend(self.results(ui, just_copied));
        });
        commands
    }

    fn controls(
        &mut self,
        ui: &mut Ui,
        client_id: &str,
        prefs: &Preferences,
        just_copied: Option<CopyItem>,
        commands: &mut Vec<BulkCommand>,
    ) {
        ui.weak("Many customer logins from a CSV file (columns: email, and optionally password, scope, expect, label), paced at the rate limit.");
        ui.add_space(6.0);
        let client = match client_id.trim() {
            "" => "none yet".to_owned(),
            id => id.to_owned(),
        };
        let scope = match prefs.scope_text.trim() {
            "" => "none (market:all)",
            scope => scope,
        };
        ui.label(
            RichText::new(format!(
                "From the Login page: client ID {client}, scope {scope}, base URL {}.",
                prefs.base_url
            ))
            .weak(),
        );
        ui.add_space(8.0);

        let running = self.is_running();
        egui::Grid::new("bulk-settings")
            .num_columns(2)
            .spacing([10.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("CSV file");
                ui.horizontal(|ui| {
                    let edit = ui
                        .add(
                            TextEdit::singleline(&mut self.path)
                                .hint_text("/path/to/customers.csv")
                                .desired_width(FIELD_WIDTH - 60.0),
                        )
                        .labelled_by(label.id);
                    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                    if ui.add_enabled(!running, egui::Button::new("Open")).clicked() || enter {
                        commands.push(BulkCommand::Open);
                    }
                });
                ui.end_row();
                ui.label("");
                ui.weak("…or drop a CSV file onto the window");
                ui.end_row();

                let label = ui.label("Shared password");
                ui.horizontal(|ui| {
                    ui.add(
                        TextEdit::singleline(&mut *self.password)
                            .password(!self.reveal_password)
                            .hint_text("for rows without one")
                            .desired_width(FIELD_WIDTH - 60.0),
                    )
                    .labelled_by(label.id);
                    ui.toggle_value(&mut self.reveal_password, "Show");
                });
                ui.end_row();

                let label = ui.label("Rate");
                ui.horizontal(|ui| {
                    ui.add(TextEdit::singleline(&mut self.rate).desired_width(80.0))
                        .labelled_by(label.id)
                        .on_hover_text("Requests per sliding window at most: 30/min is Commerce Layer's limit; 5/10s, 100/h also work");
                    ui.weak("requests per window");
                });
                ui.end_row();

                let label = ui.label("Concurrency");
                ui.add(egui::DragValue::new(&mut self.concurrency).range(1..=64))
                    .labelled_by(label.id)
                    .on_hover_text("Requests in flight at most");
                ui.end_row();
            });
        let rate = self.rate.trim().parse::<RateLimit>();
        match (&rate, self.opened.as_ref().and_then(|o| o.runnable())) {
            (Err(why), _) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
            }
            (Ok(rate), Some(found)) if !running => {
                ui.weak(eta_words(found.rows, *rate, rate.ideal(found.rows)));
            }
            _ => {}
        }
        if let Some(why) = &self.open_error {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let can_start = !running && self.opened.as_ref().is_some_and(|o| o.runnable().is_some());
            if ui
                .add_enabled(can_start, egui::Button::new(RichText::new("Start").strong()))
                .clicked()
            {
                commands.push(BulkCommand::Start);
            }
            let paused = self.run.as_ref().and_then(|r| r.progress.as_ref()).is_some_and(|p| p.state == RunState::Paused);
            if running && paused {
                if ui.button("Resume").clicked() {
                    commands.push(BulkCommand::Resume);
                }
            } else if ui.add_enabled(running, egui::Button::new("Pause")).on_hover_text("Send nothing new; the requests in flight finish").clicked() {
                commands.push(BulkCommand::Pause);
            }
            if ui
                .add_enabled(running, egui::Button::new("Stop"))
                .on_hover_text("Send nothing new; the requests in flight finish and the other rows are listed as not run")
                .clicked()
            {
                commands.push(BulkCommand::Stop);
            }
            if self.tasks.is_running(Slot::Open) {
                ui.spinner();
                ui.weak("Reading the file…");
            }
        });
        if let Some(why) = &self.start_error {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        if let Some(run) = &self.run {
            ui.add_space(10.0);
            progress(ui, run);
        }
        if self
            .run
            .as_ref()
            .is_some_and(|r| r.is_over() && !r.rows.is_empty())
        {
            ui.add_space(10.0);
            self.export_controls(ui, just_copied, commands);
        }
        if let Some(note) = &self.note {
            ui.add_space(6.0);
            widgets::notes(ui, std::slice::from_ref(note));
        }
    }

    fn export_controls(
        &mut self,
        ui: &mut Ui,
        just_copied: Option<CopyItem>,
        commands: &mut Vec<BulkCommand>,
    ) {
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label("Export to");
            ui.add(
                TextEdit::singleline(&mut self.export_path)
                    .hint_text("/path/to/results.jsonl")
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Export JSON Lines")
                .on_hover_text("One JSON object per row, as `batch --output` writes: never a password or a token")
                .clicked()
            {
                commands.push(BulkCommand::Export(Format::JsonLines));
            }
            if ui
                .button("Export CSV")
                .on_hover_text("The same fields as columns, for a spreadsheet")
                .clicked()
            {
                commands.push(BulkCommand::Export(Format::Csv));
            }
            if widgets::copy_button(ui, "Copy summary", just_copied == Some(CopyItem::BulkSummary)) {
                commands.push(BulkCommand::CopySummary);
            }
        });
    }

    fn results(&mut self, ui: &mut Ui, just_copied: Option<CopyItem>) -> Option<BulkCommand> {
        let Some(run) = &self.run else {
            match &self.opened {
                Some(opened) => super::file::show(ui, opened),
                None => {
                    ui.add_space(40.0);
                    ui.vertical_centered(|ui| {
                        ui.weak("Open a CSV file (or drop one here): its first rows and any problems show here.");
                        ui.weak("Each row's outcome then appears in a grid; click a row for its whole answer.");
                    });
                }
            }
            return None;
        };
        if run.rows.is_empty() {
            ui.weak("The results appear here as the rows end.");
            return None;
        }
        let height = if self.grid.selected.is_some() {
            ui.available_height() * 0.45
        } else {
            ui.available_height()
        };
        let mut command = self.grid.show(ui, &run.rows, height);
        let Some(row) = self.grid.selected.and_then(|i| run.rows.get(i)) else {
            return command;
        };
        ui.separator();
        ui.label(RichText::new(format!("Row {}: {}", row.record.row, row.record.email)).strong());
        match &row.attempt {
            Some(attempt) => {
                // The page keeps no row's password, so a copied curl command never holds one.
                self.include_password_in_curl = false;
                let (asked, repaint) = answer::show(
                    ui,
                    attempt,
                    AnswerContext {
                        now: (self.clock)(),
                        busy: None,
                        // Diagnose runs on the login page, where the row's answer then is.
                        can_diagnose: login::can_diagnose(attempt, None),
                        diagnose: None,
                        just_copied,
                        include_password_in_curl: &mut self.include_password_in_curl,
                        tab: &mut self.tab,
                    },
                );
                if let Some(after) = repaint {
                    ui.ctx().request_repaint_after(after);
                }
                command = command.or(asked.map(BulkCommand::Answer));
            }
            None => {
                widgets::banner(widgets::grey(ui)).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new("Not sent").heading());
                    if let Some(why) = &row.record.explanation {
                        ui.label(why);
                    }
                });
            }
        }
        command
    }
}

/// The bar, the counts and what comes next: the ETA at the rate limit, a 429's wait, paused,
/// stopping, or how the run ended.
fn progress(ui: &mut Ui, run: &Run) {
    let done = run.rows.len() as u64;
    let fraction = if run.total == 0 {
        1.0
    } else {
        done as f32 / run.total as f32
    };
    ui.add(egui::ProgressBar::new(fraction).text(format!("{done} of {} rows", run.total)));
    let tally = run
        .progress
        .as_ref()
        .map(|p| p.tally.clone())
        .unwrap_or_default();
    let ok = tally.count(RowOutcome::Ok);
    let refused = tally.count(RowOutcome::Refused);
    let (other, mismatched) = (tally.other(), tally.mismatched);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("ok {ok}")).color(widgets::green(ui)));
        ui.label(RichText::new(format!("refused {refused}")).color(ui.visuals().error_fg_color));
        ui.label(RichText::new(format!("other {other}")).color(widgets::orange(ui)));
        ui.label(format!("not as expected {mismatched}"));
    });
    if let Some(why) = &run.failed {
        ui.colored_label(ui.visuals().error_fg_color, why);
        return;
    }
    if let Some(summary) = &run.summary {
        let text = match &summary.stopped {
            Some(reason) => format!("Stopped: {}", reason.explanation()),
            None => format!(
                "Done: {} rows, {} as expected.",
                summary.tally.done(),
                summary.tally.matched
            ),
        };
        ui.label(text);
        return;
    }
    let Some(p) = &run.progress else {
        ui.weak("Starting…");
        return;
    };
    let remaining = p.total.saturating_sub(p.tally.done());
    let text = match (&p.state, p.held_for, p.eta) {
        (RunState::Paused, _, _) => format!(
            "Paused: {} in flight finishing; nothing new is sent.",
            p.in_flight
        ),
        (RunState::Stopping(_), _, _) => {
            format!("Stopping: waiting for {} in flight.", p.in_flight)
        }
        (RunState::Running, Some(held), _) => {
            format!("The server answered 429: waiting {}.", duration_words(held))
        }
        (RunState::Running, None, Some(eta)) => {
            format!("{} left.", eta_words(remaining, run.rate, eta))
        }
        (RunState::Running, None, None) => "Waiting for the first answers…".to_owned(),
    };
    ui.label(text);
}
