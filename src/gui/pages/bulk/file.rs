//! The CSV the page opened: the core's check of every row and the first rows to preview, read
//! off the UI thread; and how both are drawn before a run.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::batch::{survey, Problems, Rows, Survey};

/// How many rows the preview shows.
const PREVIEW_ROWS: usize = 8;

/// A row as the preview shows it: never its password, only whether it has one.
#[derive(Debug, Clone)]
pub struct PreviewRow {
    pub number: u64,
    pub email: String,
    pub label: Option<String>,
    pub scope: Option<String>,
    pub expect: String,
    pub own_password: bool,
}

/// A file read and checked.
#[derive(Debug, Clone)]
pub struct Opened {
    pub path: PathBuf,
    /// What the core's check found: the rows to run, or why the file cannot run.
    pub check: Result<Survey, Problems>,
    pub preview: Vec<PreviewRow>,
}

impl Opened {
    /// The check, when the file can run.
    pub fn runnable(&self) -> Option<&Survey> {
        self.check.as_ref().ok().filter(|s| s.rows > 0)
    }
}

fn open_file(path: &Path) -> Result<BufReader<File>, String> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| format!("Could not open {}: {e}", path.display()))
}

/// Reads `path` twice, as the CLI does: the whole check, then the first rows. Blocking: call it
/// off the UI thread.
pub fn open(path: PathBuf) -> Result<Opened, String> {
    if path.is_dir() {
        return Err(format!(
            "{} is a folder: give the path of a CSV file",
            path.display()
        ));
    }
    let check = survey(open_file(&path)?);
    let preview = match Rows::open(open_file(&path)?) {
        Ok(rows) => rows
            .take(PREVIEW_ROWS)
            .filter_map(Result::ok)
            .map(|row| PreviewRow {
                number: row.number,
                own_password: row.password.is_some(),
                email: row.email,
                label: row.label,
                scope: row.scope,
                expect: row.expect.to_string(),
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(Opened {
        path,
        check,
        preview,
    })
}

/// The check's verdict and the first rows.
pub fn show(ui: &mut Ui, opened: &Opened) {
    let name = opened.path.display();
    match &opened.check {
        Err(problems) => {
            ui.label(
                RichText::new(format!(
                    "{name} cannot run: fix these problems and open it again. Nothing was sent."
                ))
                .strong()
                .color(ui.visuals().error_fg_color),
            );
            for problem in &problems.shown {
                ui.colored_label(ui.visuals().error_fg_color, problem.to_string());
            }
            let more = problems.total.saturating_sub(problems.shown.len() as u64);
            if more > 0 {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("and {more} more problems"),
                );
            }
        }
        Ok(found) if found.rows == 0 => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{name} has no rows below its header."),
            );
        }
        Ok(found) => {
            let shared = match found.without_password {
                0 => "every row has its own password".to_owned(),
                n if n == found.rows => {
                    "no row has a password: all use the one given here".to_owned()
                }
                n => format!("{n} rows use the password given here"),
            };
            ui.label(RichText::new(format!("{name}: {} rows; {shared}.", found.rows)).strong());
            if !found.ignored_columns.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "Ignoring the columns {} (this tool reads email, password, scope, expect, label).",
                        found.ignored_columns.join(", ")
                    ),
                );
            }
            for warning in &found.warnings {
                ui.colored_label(ui.visuals().warn_fg_color, warning);
            }
        }
    }
    if opened.preview.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.weak("The first rows:");
    egui::Grid::new("bulk-preview")
        .striped(true)
        .num_columns(6)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for title in ["Row", "Email", "Label", "Scope", "Expect", "Password"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for row in &opened.preview {
                ui.label(row.number.to_string());
                ui.label(&row.email);
                ui.label(row.label.as_deref().unwrap_or(""));
                ui.label(row.scope.as_deref().unwrap_or("(the form's)"));
                ui.label(&row.expect);
                ui.label(if row.own_password {
                    "its own"
                } else {
                    "shared"
                });
                ui.end_row();
            }
        });
}
