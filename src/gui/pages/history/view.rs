//! The History page drawn: the list of this session's attempts and of the kept ones, the kept
//! report beside the list when one is chosen, and the confirmation before clearing.

use egui::{Button, Id, Modal, RichText, Ui};

use super::{HistoryCommand, HistoryPage, KeptList, Row};
use crate::auth::OutcomeKind;
use crate::clock::utc;
use crate::gui::preferences::Preferences;
use crate::gui::reports::{self, ReportCommand, ReportsState, Subject};
use crate::gui::widgets::{self, outcome_color, pill};
use crate::report::history::MAX_ENTRIES as MAX_KEPT;
use crate::report::{mask_client_id, Report};

const RUN_AGAIN_KEPT: &str = "A kept attempt holds the client ID and the email masked, so it cannot be sent again: choose the profile or type the client ID, then Get token.";

impl HistoryPage {
    /// Draws the page; what its views ask for is added to `commands`. `copied` says a report
    /// was copied a moment ago.
    pub fn show<C>(
        &mut self,
        ui: &mut Ui,
        reports: &mut ReportsState,
        copied: bool,
        prefs: &Preferences,
        commands: &mut Vec<C>,
    ) where
        C: From<HistoryCommand> + From<ReportCommand>,
    {
        let now = (self.clock)();
        let chosen = match (&self.kept, self.selected_kept) {
            (KeptList::Read { entries, .. }, Some(index)) => entries.get(index),
            _ => None,
        };
        if let Some(report) = chosen {
            egui::Panel::right("kept-report")
                .resizable(true)
                .default_size(480.0)
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    ui.heading(format!("Kept attempt of {}", kept_time(report)));
                    ui.weak(RUN_AGAIN_KEPT);
                    ui.add_space(6.0);
                    let copied_here = copied && self.copied_row.is_none();
                    let asked =
                        reports::view::panel(ui, reports, Subject::Kept(report), copied_here, now);
                    if matches!(asked, Some(ReportCommand::Copy(_))) {
                        self.copied_row = None;
                    }
                    commands.extend(asked.map(C::from));
                });
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.header(ui, prefs);
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.session_list(ui, reports, copied, now, commands);
                    ui.add_space(14.0);
                    self.kept_list(ui, copied, commands);
                });
        });
        self.confirm_clear(ui, commands);
    }

    fn header(&mut self, ui: &mut Ui, prefs: &Preferences) {
        ui.horizontal(|ui| {
            ui.heading("History");
            let nothing = self.session.is_empty() && self.kept_entries().is_empty();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let clear = ui
                    .add_enabled(!nothing && !self.is_busy(), Button::new("Clear history…"))
                    .on_hover_text("Forget this session's attempts and the kept ones")
                    .on_disabled_hover_text(if nothing {
                        "Nothing to clear"
                    } else {
                        "Waiting for the history file to be written"
                    });
                if clear.clicked() {
                    self.confirm_clear = true;
                }
            });
        });
        let kept_where = self.path.as_deref();
        let line = match (prefs.keep_history, kept_where) {
            (true, Some(path)) => format!(
                "Every attempt is also kept between sessions in {path}, redacted: no password or token, the client ID and the email masked; the newest {MAX_KEPT}."
            ),
            (true, None) => "Keep history is on, but there is no data folder to keep it in: this session only.".to_owned(),
            (false, _) => "This session only. Tick Keep history in Settings to keep attempts between sessions (redacted, never a password or token).".to_owned(),
        };
        ui.weak(line);
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
    }

    fn session_list<C>(
        &mut self,
        ui: &mut Ui,
        reports: &ReportsState,
        copied: bool,
        now: std::time::SystemTime,
        commands: &mut Vec<C>,
    ) where
        C: From<HistoryCommand> + From<ReportCommand>,
    {
        ui.label(RichText::new(format!("This session ({})", self.session.len())).strong());
        if self.session.is_empty() {
            ui.weak("No attempt yet: every login, refresh and guest token you ask for is listed here, newest first.");
            return;
        }
        let mut copied_row = self.copied_row;
        egui::Grid::new("history-session")
            .num_columns(7)
            .spacing([14.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                header_row(ui);
                for entry in self.session.iter().rev() {
                    let request = &entry.attempt.request;
                    let show = ui
                        .selectable_label(
                            false,
                            format!("#{}  {}", entry.number, utc(entry.attempt.started_at)),
                        )
                        .on_hover_text("Show this answer again on the Login page (nothing is sent)");
                    if show.clicked() {
                        commands.push(HistoryCommand::Show(entry.number).into());
                    }
                    match &entry.profile {
                        Some(name) => ui.label(RichText::new(name).strong()),
                        None => ui.monospace(mask_client_id(&request.client_id)),
                    };
                    customer(ui, request.username.as_deref(), request.grant_type.as_deref());
                    scope(ui, request.scope.as_deref());
                    let kind = entry.attempt.kind();
                    pill(ui, entry.attempt.headline(), outcome_color(ui, kind), None);
                    http(ui, entry.attempt.http_status);
                    ui.horizontal(|ui| {
                        if ui
                            .button("Run again")
                            .on_hover_text("Fill the login form from this attempt; the password must be typed again")
                            .clicked()
                        {
                            commands.push(HistoryCommand::RunAgain(entry.number).into());
                        }
                        let row = Row::Session(entry.number);
                        if report_button(ui, copied && copied_row == Some(row)) {
                            let report = Subject::Attempt(&entry.attempt).report(reports.masking, now);
                            copied_row = Some(row);
                            commands.push(ReportCommand::Copy(crate::report::markdown(&report)).into());
                        }
                    });
                    ui.end_row();
                }
            });
        self.copied_row = copied_row;
    }

    fn kept_list<C>(&mut self, ui: &mut Ui, copied: bool, commands: &mut Vec<C>)
    where
        C: From<HistoryCommand> + From<ReportCommand>,
    {
        let (entries, unreadable) = match &self.kept {
            KeptList::Unavailable => return,
            KeptList::Reading => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Reading the kept history…");
                });
                return;
            }
            KeptList::Failed(why) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    crate::facts::sentence(format!("The kept history could not be read: {why}")),
                );
                return;
            }
            KeptList::Read {
                entries,
                unreadable,
            } => (entries, *unreadable),
        };
        if entries.is_empty() && unreadable == 0 {
            return;
        }
        ui.label(RichText::new(format!("Kept from earlier sessions ({})", entries.len())).strong());
        ui.weak("Redacted reports: click one to read it.");
        if unreadable > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{unreadable} kept line(s) could not be read and are left out."),
            );
        }
        let mut selected = self.selected_kept;
        let mut copied_row = self.copied_row;
        egui::Grid::new("history-kept")
            .num_columns(7)
            .spacing([14.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                header_row(ui);
                for (index, report) in entries.iter().enumerate().rev() {
                    let a = &report.attempt;
                    let chosen = selected == Some(index);
                    if ui
                        .selectable_label(chosen, kept_time(report))
                        .on_hover_text("Read its report")
                        .clicked()
                    {
                        selected = if chosen { None } else { Some(index) };
                    }
                    ui.monospace(&a.client_id);
                    customer(ui, a.email.as_deref(), a.grant_type.as_deref());
                    scope(ui, a.scope_asked.as_deref());
                    match OutcomeKind::named(&a.outcome) {
                        Some(kind) => pill(ui, kind.headline(), outcome_color(ui, kind), None),
                        None => {
                            ui.label(&a.outcome);
                        }
                    }
                    http(ui, a.http_status);
                    ui.horizontal(|ui| {
                        ui.add_enabled(false, Button::new("Run again"))
                            .on_disabled_hover_text(RUN_AGAIN_KEPT);
                        let row = Row::Kept(index);
                        if report_button(ui, copied && copied_row == Some(row)) {
                            copied_row = Some(row);
                            commands
                                .push(ReportCommand::Copy(crate::report::markdown(report)).into());
                        }
                    });
                    ui.end_row();
                }
            });
        self.selected_kept = selected;
        self.copied_row = copied_row;
    }

    /// "Clear the history?" over the whole window, until answered.
    fn confirm_clear<C: From<HistoryCommand>>(&mut self, ui: &mut Ui, commands: &mut Vec<C>) {
        if !self.confirm_clear {
            return;
        }
        let session = self.session.len();
        let kept = self.kept_entries().len();
        let mut answered = false;
        let modal = Modal::new(Id::unique("confirm-history-clear")).show(ui.ctx(), |ui| {
            ui.set_max_width(420.0);
            ui.heading("Clear the history?");
            ui.add_space(4.0);
            let mut what = format!("This forgets the {session} attempt(s) of this session");
            match (&self.path, kept) {
                (Some(path), 1..) => what.push_str(&format!(" and the {kept} kept in {path}")),
                (Some(path), 0) => what.push_str(&format!(" and deletes {path}")),
                (None, _) => {}
            }
            what.push_str(". It cannot be undone. The answer on the Login page stays.");
            ui.label(what);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let clear = widgets::red_button(ui, "Clear history");
                if ui.add(clear).clicked() {
                    commands.push(HistoryCommand::Clear.into());
                    answered = true;
                }
                if ui.button("Cancel").clicked() {
                    answered = true;
                }
            });
        });
        if answered || modal.should_close() {
            self.confirm_clear = false;
        }
    }
}

fn header_row(ui: &mut Ui) {
    for title in [
        "Sent (UTC)",
        "Profile or client ID",
        "Customer",
        "Scope",
        "Outcome",
        "HTTP",
        "",
    ] {
        ui.weak(title);
    }
    ui.end_row();
}

/// `2026-11-30 04:00:00 UTC`, like the session's rows.
fn kept_time(report: &Report) -> String {
    report
        .attempt
        .sent_at
        .replace('T', " ")
        .replace('Z', " UTC")
}

fn customer(ui: &mut Ui, email: Option<&str>, grant: Option<&str>) {
    match (email, grant) {
        (Some(email), _) => ui.label(email),
        (None, Some("client_credentials")) => ui.weak("guest token"),
        (None, Some("refresh_token")) => ui.weak("refresh"),
        (None, _) => ui.weak("none"),
    };
}

fn scope(ui: &mut Ui, scope: Option<&str>) {
    match scope {
        Some(scope) => ui.monospace(scope),
        None => ui.weak("none (market:all)"),
    };
}

fn http(ui: &mut Ui, status: Option<u16>) {
    match status {
        Some(status) => ui.label(status.to_string()),
        None => ui.weak("no answer").on_hover_text("No HTTP answer arrived"),
    };
}

/// "Report", with "Copied" beside it a moment after; returns whether it was clicked.
fn report_button(ui: &mut Ui, copied: bool) -> bool {
    let clicked = ui
        .button("Report")
        .on_hover_text(
            "Copy this attempt's support report (Markdown), masked as chosen under the answer",
        )
        .clicked();
    if copied {
        ui.label(RichText::new("Copied").color(widgets::green(ui)));
    }
    clicked
}
