//! The results grid: one line per row, only the visible lines drawn (smooth with 10,000 rows),
//! filtered to failures and mismatches, sorted by outcome; clicking a line selects its row.

use std::cmp::Reverse;

use egui::{Align, Color32, Layout, RichText, Ui};

use super::{BulkCommand, BulkRow};
use crate::auth::OutcomeKind;
use crate::batch::{RowOutcome, RowRecord};
use crate::gui::widgets::{self, outcome_color};

/// Column titles and widths; the explanation takes what is left (at least its width here).
const COLUMNS: [(&str, f32); 8] = [
    ("Row", 44.0),
    ("Label", 110.0),
    ("Email", 180.0),
    ("Scope", 140.0),
    ("Outcome", 112.0),
    ("HTTP", 40.0),
    ("Matched", 60.0),
    ("Explanation", 260.0),
];

/// What the grid shows and in which order; the order is worked out again only when the rows
/// or the choices change, not every frame.
#[derive(Debug, Default)]
pub struct Grid {
    pub failures_only: bool,
    pub sort_by_outcome: bool,
    /// Index into the run's rows.
    pub selected: Option<usize>,
    /// Indexes into the run's rows, in the order shown.
    order: Vec<usize>,
    /// What `order` was worked out for: rows seen, filter, sort.
    made_for: Option<(usize, bool, bool)>,
}

/// A row the filter keeps: it did not end ok, or not as it expected.
fn is_failure_or_mismatch(record: &RowRecord) -> bool {
    record.outcome != RowOutcome::Ok || !record.matched
}

impl Grid {
    /// Forgets the order and the selection (a new run).
    pub fn reset(&mut self) {
        *self = Self {
            failures_only: self.failures_only,
            sort_by_outcome: self.sort_by_outcome,
            ..Self::default()
        };
    }

    fn arrange(&mut self, rows: &[BulkRow]) {
        let wanted = (rows.len(), self.failures_only, self.sort_by_outcome);
        if self.made_for == Some(wanted) {
            return;
        }
        self.made_for = Some(wanted);
        self.order = (0..rows.len())
            .filter(|&i| {
                !self.failures_only
                    || rows
                        .get(i)
                        .is_some_and(|r| is_failure_or_mismatch(&r.record))
            })
            .collect();
        if self.sort_by_outcome {
            // Mismatches first, then by outcome; a stable sort keeps input order within each.
            self.order.sort_by_key(|&i| {
                rows.get(i).map(|r| {
                    (
                        r.record.matched,
                        Reverse(r.record.outcome == RowOutcome::Ok),
                        r.record.outcome,
                    )
                })
            });
        }
    }

    /// How many rows the grid shows now.
    pub fn shown(&mut self, rows: &[BulkRow]) -> usize {
        self.arrange(rows);
        self.order.len()
    }

    /// Draws the choices and the grid at most `height` high.
    pub fn show(&mut self, ui: &mut Ui, rows: &[BulkRow], height: f32) -> Option<BulkCommand> {
        let mut command = None;
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.failures_only, "Failures and mismatches only");
            ui.checkbox(&mut self.sort_by_outcome, "Sort by outcome")
                .on_hover_text(
                    "Rows that did not match first, then by outcome; otherwise in file order",
                );
            let shown = self.shown(rows);
            if shown != rows.len() {
                ui.weak(format!("{shown} of {} rows shown", rows.len()));
            }
        });
        self.arrange(rows);
        let line_height = ui.spacing().interact_size.y + 4.0;
        egui::ScrollArea::horizontal()
            .id_salt("bulk-grid-h")
            .max_height(height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                header(ui, line_height);
                egui::ScrollArea::vertical()
                    .id_salt("bulk-grid-v")
                    .max_height(height - line_height)
                    .auto_shrink([false, true])
                    .show_rows(ui, line_height, self.order.len(), |ui, visible| {
                        for &index in self.order.get(visible).unwrap_or_default() {
                            let Some(row) = rows.get(index) else {
                                continue;
                            };
                            let selected = self.selected == Some(index);
                            if line(ui, &row.record, selected, line_height) {
                                command = Some(BulkCommand::Select(index));
                            }
                        }
                    });
            });
        command
    }
}

fn cell(ui: &mut Ui, width: f32, height: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            ui.set_height(height);
            add(ui);
        },
    );
}

fn header(ui: &mut Ui, height: f32) {
    ui.horizontal(|ui| {
        for (title, width) in COLUMNS {
            cell(ui, width, height, |ui| {
                ui.label(RichText::new(title).strong());
            });
        }
    });
}

fn text_cell(ui: &mut Ui, width: f32, height: f32, text: &str) {
    cell(ui, width, height, |ui| {
        ui.add(egui::Label::new(text).truncate());
    });
}

/// One line; whether it was clicked. The email is the line's handle (a selectable label).
fn line(ui: &mut Ui, record: &RowRecord, selected: bool, height: f32) -> bool {
    let mut clicked = false;
    let width = |i: usize| COLUMNS.get(i).map_or(80.0, |(_, w)| *w);
    ui.horizontal(|ui| {
        text_cell(ui, width(0), height, &record.row.to_string());
        text_cell(ui, width(1), height, record.label.as_deref().unwrap_or(""));
        cell(ui, width(2), height, |ui| {
            clicked = ui
                .add(egui::Button::selectable(selected, &record.email).truncate())
                .on_hover_text("Show this row's whole answer")
                .clicked();
        });
        text_cell(ui, width(3), height, record.scope.as_deref().unwrap_or(""));
        cell(ui, width(4), height, |ui| {
            let color = badge_color(ui, record.outcome);
            widgets::pill(ui, record.outcome.as_str(), color, None);
        });
        let status = record
            .http_status
            .map(|s| s.to_string())
            .unwrap_or_default();
        text_cell(ui, width(5), height, &status);
        cell(ui, width(6), height, |ui| {
            let (text, color) = if record.matched {
                ("yes", widgets::green(ui))
            } else {
                ("NO", ui.visuals().error_fg_color)
            };
            ui.label(RichText::new(text).strong().color(color))
                .on_hover_text(format!("expected {}", record.expect));
        });
        let explanation = match (&record.error_code, &record.explanation) {
            (Some(code), Some(why)) => format!("{code}: {why}"),
            (_, Some(why)) => why.clone(),
            (Some(code), None) => code.clone(),
            (None, None) => record
                .owner_id
                .as_deref()
                .map(|o| format!("owner {o}"))
                .unwrap_or_default(),
        };
        text_cell(ui, width(7), height, &explanation);
    });
    clicked
}

/// The single login's colours; rows that never ran are grey.
fn badge_color(ui: &Ui, outcome: RowOutcome) -> Color32 {
    let kind = match outcome {
        RowOutcome::Ok => OutcomeKind::Ok,
        RowOutcome::Refused => OutcomeKind::Refused,
        RowOutcome::RateLimited => OutcomeKind::RateLimited,
        RowOutcome::ServerError => OutcomeKind::ServerError,
        RowOutcome::TransportError => OutcomeKind::TransportError,
        RowOutcome::InvalidResponse => OutcomeKind::InvalidResponse,
        RowOutcome::Redirected => OutcomeKind::Redirected,
        RowOutcome::NotRun => return widgets::grey(ui),
    };
    outcome_color(ui, kind)
}
