//! The answer: a banner with the headline by cause and the server's own words, the token's
//! life (refresh, revoke, compare with a guest token), its facts with the signature and
//! validity badges and copy buttons, and tabs for the decoded JWT, the raw response and the
//! headers. Everything outside the tabs is drawn from `facts::AttemptFacts`, worded once for
//! every face and with server text already escaped.

use std::time::{Duration, SystemTime};

use egui::text::LayoutJob;
use egui::{RichText, Ui};

use super::diagnose::{self, Diagnose};
use super::{tabs, LoginCommand};
use crate::attempt::Attempt;
use crate::attempt::TokenKind;
use crate::auth::curl::curl_command;
use crate::clock::countdown_changes_in;
use crate::diagnosis::Diagnosis;
use crate::facts::{AttemptFacts, ProblemFacts, TokenFacts};
use crate::gui::widgets::{self, mode_badge, outcome_color, signature_badge, validity_badge};

/// What a copy button puts on the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    AccessToken,
    BearerHeader,
    RefreshToken,
    OwnerId,
    GrantedScope,
    WholeResponse,
    Curl,
    /// Diagnose's ready message for the customer.
    CustomerMessage,
    /// The JWT tab: its decoded header and claims (no signature: not a token).
    DecodedJwt,
    /// The headers tab, one `name: value` a line.
    Headers,
    /// The scope matrix page's grid, as a Markdown table and as CSV (no token in either).
    MatrixMarkdown,
    MatrixCsv,
    /// The support report under the answer (gui::reports): nothing secret in it.
    Report,
    /// The bulk check page's summary (counts and the rows that did not match).
    BulkSummary,
}

impl CopyItem {
    /// Tokens and anything holding one are marked sensitive for clipboard managers.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            CopyItem::AccessToken
                | CopyItem::BearerHeader
                | CopyItem::RefreshToken
                | CopyItem::WholeResponse
                | CopyItem::Curl
        )
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    /// Diagnose's requests, once it ran.
    Diagnosis,
    #[default]
    Summary,
    Jwt,
    Raw,
    Headers,
}

/// What the answer panel needs besides the attempt.
pub struct AnswerContext<'a> {
    pub now: SystemTime,
    /// What the running operation is doing, when one runs: the actions wait for it.
    pub busy: Option<&'a str>,
    /// Whether Diagnose has something to send for this answer.
    pub can_diagnose: bool,
    pub diagnose: Option<&'a Diagnose>,
    /// The item copied a moment ago, to confirm it next to its button.
    pub just_copied: Option<CopyItem>,
    pub include_password_in_curl: &'a mut bool,
    pub tab: &'a mut Tab,
}

/// What a copy button of the answer view puts on the clipboard for `attempt`; `password` goes
/// into the curl command only when given and not empty. `None` when the answer has no such
/// thing (and for the items that are not about an answer).
pub fn copy_text(attempt: &Attempt, item: CopyItem, password: Option<&str>) -> Option<String> {
    let token = attempt.outcome.token.as_ref();
    Some(match item {
        CopyItem::AccessToken => token?.access_token.clone(),
        CopyItem::BearerHeader => token?.bearer_header(),
        CopyItem::RefreshToken => token?.refresh_token.clone()?,
        CopyItem::OwnerId => token?.owner_id.clone()?,
        CopyItem::GrantedScope => token?.granted_scope()?.to_owned(),
        CopyItem::WholeResponse => tabs::pretty(&attempt.body),
        CopyItem::DecodedJwt | CopyItem::Headers => tabs::copy_text(item, attempt)?,
        CopyItem::Curl => curl_command(&attempt.request, password.filter(|p| !p.is_empty())),
        // Not of one answer: Diagnose's message (the login page), the matrix's grid, the
        // report (its view knows the masking chosen), the bulk check's summary.
        CopyItem::CustomerMessage
        | CopyItem::MatrixMarkdown
        | CopyItem::MatrixCsv
        | CopyItem::Report
        | CopyItem::BulkSummary => return None,
    })
}

/// Draws the answer; returns a command and when the panel next needs a repaint (countdown).
pub fn show(
    ui: &mut Ui,
    attempt: &Attempt,
    cx: AnswerContext<'_>,
) -> (Option<LoginCommand>, Option<Duration>) {
    let mut command = None;
    let mut repaint = None;
    let facts = AttemptFacts::of(attempt, cx.now);
    let verdict = cx.diagnose.and_then(Diagnose::verdict);
    banner(ui, &facts, verdict, cx.just_copied, &mut command);
    actions(ui, attempt, cx.busy, cx.can_diagnose, &mut command);
    ui.add_space(8.0);
    let tabs = tabs(&facts, cx.diagnose.is_some());
    if !tabs.iter().any(|(tab, _)| tab == cx.tab) {
        *cx.tab = Tab::Summary;
    }
    ui.horizontal_wrapped(|ui| {
        for (tab, name) in tabs {
            ui.selectable_value(cx.tab, tab, name);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| match *cx.tab {
            Tab::Summary => {
                if let Some(token) = &facts.token {
                    repaint = token_facts(ui, token, cx.just_copied, &mut command);
                }
                copy_bar(
                    ui,
                    attempt,
                    cx.just_copied,
                    cx.include_password_in_curl,
                    &mut command,
                );
                request_facts(ui, &facts);
            }
            Tab::Diagnosis => {
                if let Some(state) = cx.diagnose {
                    diagnose::requests(ui, attempt, state, cx.now);
                }
            }
            Tab::Jwt => command = tabs::jwt(ui, attempt, cx.just_copied),
            Tab::Raw => command = tabs::raw(ui, attempt, cx.just_copied),
            Tab::Headers => command = tabs::headers(ui, attempt, cx.just_copied),
        });
    (command, repaint)
}

/// The tabs worth showing: the diagnosis once there is one, and only the tabs that have
/// something to show (no token, no JWT; no HTTP answer, no raw answer and no headers).
fn tabs(facts: &AttemptFacts, diagnosed: bool) -> Vec<(Tab, &'static str)> {
    let answered = facts.http_status.is_some();
    [
        (Tab::Diagnosis, "Diagnosis", diagnosed),
        (Tab::Summary, "Summary", true),
        (Tab::Jwt, "Decoded JWT", facts.token.is_some()),
        (Tab::Raw, "Raw response", answered),
        (Tab::Headers, "Headers", answered),
    ]
    .into_iter()
    .filter(|(_, _, shown)| *shown)
    .map(|(tab, name, _)| (tab, name))
    .collect()
}

/// The headline and what the answer says; once Diagnose decided, its verdict, advice and the
/// ready message for the customer.
fn banner(
    ui: &mut Ui,
    facts: &AttemptFacts,
    verdict: Option<&Diagnosis>,
    just_copied: Option<CopyItem>,
    command: &mut Option<LoginCommand>,
) {
    let color = outcome_color(ui, facts.outcome);
    widgets::banner(color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let headline = verdict.map_or(facts.headline.as_str(), |v| v.headline.as_str());
            ui.label(RichText::new(headline).heading().color(color));
            ui.label(RichText::new(&facts.status).weak());
        });
        if let Some(problem) = &facts.problem {
            // The server's own words are the most useful sentence: right under the headline.
            ui.label(labelled_words(ui, problem));
            ui.label(verdict.map_or(problem.explanation.as_str(), |v| v.advice.as_str()));
            if let Some(excerpt) = &problem.excerpt {
                ui.label(RichText::new(excerpt).monospace().weak());
            }
        }
        if let Some(message) = verdict.and_then(|v| v.customer_message.as_deref()) {
            let copied = just_copied == Some(CopyItem::CustomerMessage);
            if diagnose::customer_message(ui, message, copied) {
                *command = Some(LoginCommand::Copy(CopyItem::CustomerMessage));
            }
        }
        if let Some(rotated) = facts.rotation {
            ui.label(rotated);
        }
        if let Some(skew) = &facts.clock_skew {
            ui.label(RichText::new(skew).color(ui.visuals().warn_fg_color));
        }
    });
}

/// "Server said: invalid_grant — …" with the words in strong text, the label plain.
pub fn labelled_words(ui: &Ui, problem: &ProblemFacts) -> LayoutJob {
    let mut job = LayoutJob::default();
    let style = ui.style();
    RichText::new(format!("{}: ", problem.words_label)).append_to(
        &mut job,
        style,
        egui::FontSelection::Default,
        egui::Align::Center,
    );
    RichText::new(problem.server_said()).strong().append_to(
        &mut job,
        style,
        egui::FontSelection::Default,
        egui::Align::Center,
    );
    job
}

/// Refresh, revoke and Diagnose, for the answer shown; greyed out while an operation runs.
fn actions(
    ui: &mut Ui,
    attempt: &Attempt,
    busy: Option<&str>,
    can_diagnose: bool,
    command: &mut Option<LoginCommand>,
) {
    let token = attempt.outcome.token.as_ref();
    let has_refresh = token.is_some_and(|t| t.refresh_token.is_some());
    if token.is_none() && !can_diagnose && busy.is_none() {
        return;
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.add_enabled_ui(busy.is_none(), |ui| {
            if has_refresh
                && ui
                    .button("Refresh")
                    .on_hover_text("Send the refresh_token grant with the original scope; the new token replaces this one")
                    .clicked()
            {
                *command = Some(LoginCommand::Refresh);
            }
            if token.is_some()
                && ui
                    .button("Revoke access token")
                    .on_hover_text("Ask the auth server to revoke the access token: it stops working at once")
                    .clicked()
            {
                *command = Some(LoginCommand::Revoke(TokenKind::Access));
            }
            if has_refresh
                && ui
                    .button("Revoke refresh token")
                    .on_hover_text("Ask the auth server to revoke the refresh token: it can no longer be refreshed")
                    .clicked()
            {
                *command = Some(LoginCommand::Revoke(TokenKind::Refresh));
            }
            if can_diagnose
                && ui
                    .button("Diagnose")
                    .on_hover_text("Tell which input is at fault: send at most three more requests, one after another (a guest token with and without the scope; the customer again without the scope only when the scope was refused, never after a wrong password), then name the input and what to do")
                    .clicked()
            {
                *command = Some(LoginCommand::Diagnose);
            }
        });
        if let Some(what) = busy {
            ui.spinner();
            ui.weak(what);
        }
    });
}

/// A copy button for `item`, confirmed while it is the one just copied.
fn copy_button(
    ui: &mut Ui,
    item: CopyItem,
    label: &str,
    just_copied: Option<CopyItem>,
    command: &mut Option<LoginCommand>,
) {
    if widgets::copy_button(ui, label, just_copied == Some(item)) {
        *command = Some(LoginCommand::Copy(item));
    }
}

/// The token's facts; returns when the countdown next changes.
fn token_facts(
    ui: &mut Ui,
    token: &TokenFacts,
    just_copied: Option<CopyItem>,
    command: &mut Option<LoginCommand>,
) -> Option<Duration> {
    let mut repaint = None;
    egui::Grid::new("token-facts")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label("Mode");
            ui.horizontal(|ui| {
                mode_badge(ui, token.mode);
                signature_badge(ui, token.signature.as_ref());
            });
            ui.end_row();

            ui.label("Owner");
            ui.horizontal(|ui| match &token.owner_id {
                Some(id) => {
                    ui.label(RichText::new(id).monospace());
                    ui.weak(token.owner_type.as_deref().unwrap_or_default());
                    copy_button(ui, CopyItem::OwnerId, "Copy", just_copied, command);
                }
                None => {
                    ui.weak("none (guest token)");
                }
            });
            ui.end_row();

            ui.label("Granted scope");
            ui.horizontal_wrapped(|ui| {
                match &token.asked_scope_differs {
                    Some(asked) => {
                        let warn = ui.visuals().warn_fg_color;
                        ui.label(RichText::new(&token.granted_scope).monospace().color(warn))
                            .on_hover_text("The server granted a different scope than was asked");
                        ui.label(RichText::new(format!("asked: {asked}")).color(warn));
                    }
                    None => {
                        ui.label(RichText::new(&token.granted_scope).monospace());
                    }
                }
                copy_button(ui, CopyItem::GrantedScope, "Copy", just_copied, command);
            });
            ui.end_row();

            if let Some(jwt) = &token.jwt {
                ui.label("Markets");
                ui.label(RichText::new(&jwt.markets).monospace());
                ui.end_row();
                ui.label("Stock locations");
                ui.label(RichText::new(&jwt.stock_locations).monospace());
                ui.end_row();
                ui.label("Organization");
                ui.label(jwt.organization.as_deref().unwrap_or("unknown"));
                ui.end_row();
                ui.label("Application");
                ui.label(jwt.application.as_deref().unwrap_or("unknown"));
                ui.end_row();
            } else {
                ui.label("Token");
                ui.weak("opaque (not a JWT): nothing to decode");
                ui.end_row();
            }

            if let Some(issued) = &token.issued_at {
                ui.label("Issued");
                ui.label(issued);
                ui.end_row();
            }
            ui.label("Expires");
            ui.horizontal_wrapped(|ui| {
                match (&token.expires_at, &token.countdown, token.seconds_left) {
                    (Some(at), Some(countdown), Some(left)) => {
                        ui.label(at);
                        let text = RichText::new(countdown).strong();
                        ui.label(if left < 0 {
                            text.color(ui.visuals().error_fg_color)
                        } else {
                            text
                        });
                        repaint = Some(countdown_changes_in(left));
                    }
                    _ => {
                        ui.weak("unknown");
                    }
                }
                validity_badge(ui, token.validity);
            });
            ui.end_row();
        });
    repaint
}

fn copy_bar(
    ui: &mut Ui,
    attempt: &Attempt,
    just_copied: Option<CopyItem>,
    include_password: &mut bool,
    command: &mut Option<LoginCommand>,
) {
    ui.add_space(10.0);
    ui.label(RichText::new("Copy").strong());
    ui.horizontal_wrapped(|ui| {
        if let Some(token) = &attempt.outcome.token {
            copy_button(
                ui,
                CopyItem::AccessToken,
                "Access token",
                just_copied,
                command,
            );
            copy_button(
                ui,
                CopyItem::BearerHeader,
                "Authorization header",
                just_copied,
                command,
            );
            if token.refresh_token.is_some() {
                copy_button(
                    ui,
                    CopyItem::RefreshToken,
                    "Refresh token",
                    just_copied,
                    command,
                );
            }
        }
        if !attempt.body.is_empty() {
            copy_button(
                ui,
                CopyItem::WholeResponse,
                "Whole response",
                just_copied,
                command,
            );
        }
    });
    ui.horizontal(|ui| {
        copy_button(ui, CopyItem::Curl, "Copy as curl", just_copied, command);
        ui.checkbox(include_password, "include the password").on_hover_text(
            "Off: the command has <PASSWORD> where the password goes, so it can be pasted into a ticket.",
        );
    });
}

/// What was asked, for the ticket: everything but the password.
fn request_facts(ui: &mut Ui, facts: &AttemptFacts) {
    ui.add_space(10.0);
    ui.label(RichText::new("Request").strong());
    egui::Grid::new("request-facts")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (name, value) in &facts.request {
                ui.weak(*name);
                ui.label(RichText::new(value).monospace());
                ui.end_row();
            }
        });
}
