//! The matrix page's views: the set-up on the left (rows, columns, rate, Run / Stop) and the
//! grid on the right, each cell coloured by its outcome with the explanation on hover; a click
//! shows the cell's answer below the grid.

use egui::{Color32, RichText, Ui};

use super::{MatrixCommand, MatrixPage};
use crate::attempt::Attempt;
use crate::auth::OutcomeKind;
use crate::facts::{shown, AttemptFacts};
use crate::gui::pages::login::{CopyItem, Form};
use crate::gui::preferences::Preferences;
use crate::gui::widgets::{self, green, grey};
use crate::matrix::{Cell, Column, Matrix, Reach};

pub(super) fn setup(
    ui: &mut Ui,
    page: &mut MatrixPage,
    form: &Form,
    prefs: &Preferences,
    running: bool,
) -> Vec<MatrixCommand> {
    let mut commands = Vec::new();
    ui.heading("Scope matrix");
    ui.weak("Which markets, stock locations and stores this client and customer reach.");
    ui.add_space(8.0);
    let client = if form.client_id.trim().is_empty() {
        "no client ID yet: fill it in on the Login page".to_owned()
    } else {
        format!(
            "client {} at {}",
            shown(form.client_id.trim()),
            shown(&prefs.base_url)
        )
    };
    ui.label(client);
    ui.add_space(6.0);
    let label = ui.label("Scopes, one row per line");
    ui.add(
        egui::TextEdit::multiline(&mut page.scopes_text)
            .hint_text("market:code:europe\nstock_location:code:eu-warehouse\n# comments are fine")
            .desired_rows(8)
            .desired_width(f32::INFINITY)
            .code_editor(),
    )
    .labelled_by(label.id);
    let saved = !prefs.scope_text.trim().is_empty();
    if ui
        .add_enabled(saved, egui::Button::new("Add the form's scopes"))
        .on_hover_text("One row for each scope in the Login page's scope field (a profile fills it with the scopes it saved)")
        .clicked()
    {
        commands.push(MatrixCommand::AddFormScopes);
    }
    ui.add_space(8.0);
    let customer = if form.email.trim().is_empty() {
        "Customer (set the email on the Login page)".to_owned()
    } else {
        format!("Customer {}", shown(form.email.trim()))
    };
    ui.checkbox(&mut page.customer, customer);
    ui.checkbox(&mut page.guest, "Guest (client_credentials, no secret)");
    ui.horizontal(|ui| {
        let label = ui.label("Rate");
        ui.add(egui::TextEdit::singleline(&mut page.rate_text).desired_width(80.0))
            .labelled_by(label.id)
            .on_hover_text("Requests per sliding window at most, e.g. 30/min (Commerce Layer's limit) or 5/10s");
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.add_enabled(!running, egui::Button::new("Run")).clicked() {
            commands.push(MatrixCommand::Run);
        }
        if ui.add_enabled(running, egui::Button::new("Stop")).clicked() {
            commands.push(MatrixCommand::Stop);
        }
    });
    commands
}

/// The colour a cell is drawn in: green a token, red refused, grey anything else.
fn cell_color(ui: &Ui, cell: &Cell) -> Color32 {
    match cell.attempt().map(Attempt::kind) {
        Some(OutcomeKind::Ok) => green(ui),
        Some(OutcomeKind::Refused) => ui.visuals().error_fg_color,
        _ => grey(ui),
    }
}

/// A cell in a word or two; the error code and the explanation are in its hover.
fn short_word(cell: &Cell) -> String {
    match cell.attempt().map(Attempt::kind) {
        Some(OutcomeKind::Refused) => "refused".to_owned(),
        _ => cell.word(),
    }
}

fn cell_hover(cell: &Cell) -> String {
    match cell {
        Cell::Absent => "Not asked for".to_owned(),
        Cell::NotRun(why) => why.clone(),
        Cell::Answered(attempt) => {
            let facts = AttemptFacts::of(attempt, std::time::SystemTime::now());
            match facts.problem {
                Some(problem) => {
                    format!("{}\n\n{}", problem.server_said(), problem.explanation)
                }
                None => facts.headline,
            }
        }
    }
}

fn reach_color(ui: &Ui, reach: Reach) -> Color32 {
    match reach {
        Reach::Reachable | Reach::CustomersOnly => green(ui),
        Reach::Unknown | Reach::Pending => grey(ui),
        _ => ui.visuals().error_fg_color,
    }
}

pub(super) fn show(
    ui: &mut Ui,
    matrix: &Matrix,
    selected: Option<(usize, Column)>,
    running: bool,
    just_copied: Option<CopyItem>,
) -> Vec<MatrixCommand> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        let done = matrix.cells().filter(|c| c.attempt().is_some()).count();
        let total = matrix.cells().count();
        if running {
            ui.label(format!("Running: {done} of {total} cells answered"));
        } else {
            ui.label(format!("{done} of {total} cells answered"));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for (item, label) in [
                (CopyItem::MatrixCsv, "Copy as CSV"),
                (CopyItem::MatrixMarkdown, "Copy as Markdown"),
            ] {
                if widgets::copy_button(ui, label, just_copied == Some(item)) {
                    commands.push(MatrixCommand::Copy(item));
                }
            }
        });
    });
    if let Some(reason) = &matrix.stopped {
        ui.colored_label(ui.visuals().warn_fg_color, reason.explanation());
    }
    ui.add_space(6.0);
    egui::ScrollArea::both()
        .id_salt("matrix-grid")
        .max_height(ui.available_height() * 0.6)
        .show(ui, |ui| {
            egui::Grid::new("matrix")
                .striped(true)
                .num_columns(4)
                .spacing([14.0, 6.0])
                .show(ui, |ui| {
                    for title in ["Scope", "Customer", "Guest", "Verdict"] {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for (index, row) in matrix.rows.iter().enumerate() {
                        let granted = row.granted().map_or_else(
                            || "No token issued".to_owned(),
                            |g| format!("Granted: {}", shown(&g)),
                        );
                        ui.monospace(shown(&row.scope)).on_hover_text(granted);
                        for column in [Column::Customer, Column::Guest] {
                            let cell = row.cell(column);
                            let text =
                                RichText::new(shown(&short_word(cell))).color(cell_color(ui, cell));
                            let chosen = selected == Some((index, column));
                            let response = ui
                                .selectable_label(chosen, text)
                                .on_hover_text(cell_hover(cell));
                            if response.clicked() && cell.attempt().is_some() {
                                commands.push(MatrixCommand::Select(index, column));
                            }
                        }
                        let (reach, verdict) = row.verdict();
                        // Long verdicts wrap in what is left of the page's width.
                        ui.vertical(|ui| {
                            ui.set_max_width(ui.available_width().max(220.0));
                            ui.add(
                                egui::Label::new(
                                    RichText::new(verdict).color(reach_color(ui, reach)),
                                )
                                .wrap(),
                            );
                        });
                        ui.end_row();
                    }
                });
        });
    if let Some((row, column)) = selected {
        let chosen = matrix.rows.get(row).map(|r| (r, r.cell(column)));
        if let Some((row, Cell::Answered(attempt))) = chosen {
            ui.separator();
            commands.extend(answer(ui, &row.scope, column, attempt));
        }
    }
    commands
}

/// The chosen cell's answer in short, and the way to its whole answer on the login page.
fn answer(ui: &mut Ui, scope: &str, column: Column, attempt: &Attempt) -> Option<MatrixCommand> {
    let facts = AttemptFacts::of(attempt, std::time::SystemTime::now());
    let who = match column {
        Column::Customer => "customer",
        Column::Guest => "guest",
    };
    ui.label(RichText::new(format!("{} · {who}", shown(scope))).strong());
    ui.colored_label(widgets::outcome_color(ui, facts.outcome), &facts.headline);
    ui.weak(&facts.status);
    if let Some(problem) = &facts.problem {
        ui.label(&problem.explanation);
        ui.label(format!("Server said: {}", problem.server_said()));
    }
    if let Some(token) = attempt.outcome.token.as_ref() {
        if let Some(scope) = token.granted_scope() {
            ui.label(format!("Granted scope: {}", shown(scope)));
        }
    }
    ui.button("Open in the Login page")
        .on_hover_text("Shows this answer whole (token, JWT, headers) on the Login page")
        .clicked()
        .then_some(MatrixCommand::OpenSelected)
}

/// *Save CSV*: a path (no file-dialog crate: the binary stays small) and what the last save said.
pub(super) fn save_row(
    ui: &mut Ui,
    path: &mut String,
    saved: Option<&(bool, String)>,
) -> Option<MatrixCommand> {
    let mut command = None;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("CSV file");
        ui.add(
            egui::TextEdit::singleline(path)
                .hint_text("/home/me/matrix.csv")
                .desired_width(320.0),
        )
        .labelled_by(label.id);
        if ui.button("Save CSV").clicked() {
            command = Some(MatrixCommand::SaveCsv);
        }
    });
    if let Some((ok, words)) = saved {
        let color = if *ok {
            green(ui)
        } else {
            ui.visuals().error_fg_color
        };
        ui.colored_label(color, words);
    }
    command
}
