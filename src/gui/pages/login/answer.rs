//! The answer: an outcome banner in plain words, the token's life (refresh, revoke, compare with
//! a guest token), its facts with the signature and validity badges and copy buttons, and tabs
//! for the decoded JWT, the raw response and the headers.

use std::time::{Duration, SystemTime};

use egui::{RichText, Ui};

use super::LoginCommand;
use crate::attempt::Attempt;
use crate::attempt::TokenKind;
use crate::auth::curl::curl_command;
use crate::auth::scope::scope_set;
use crate::auth::{Issued, OutcomeKind};
use crate::clock::{countdown, countdown_changes_in, utc};
use crate::gui::widgets::{
    self, mode_badge, outcome_color, server_said, signature_badge, skew_line, status_line,
    validity_badge,
};

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
        CopyItem::WholeResponse => pretty(&attempt.body),
        CopyItem::Curl => curl_command(&attempt.request, password.filter(|p| !p.is_empty())),
        CopyItem::BulkSummary => return None,
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
    banner(ui, attempt);
    actions(ui, attempt, cx.busy, &mut command);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        for (tab, name) in [
            (Tab::Summary, "Summary"),
            (Tab::Jwt, "Decoded JWT"),
            (Tab::Raw, "Raw response"),
            (Tab::Headers, "Headers"),
        ] {
            ui.selectable_value(cx.tab, tab, name);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| match *cx.tab {
            Tab::Summary => {
                if let Some(token) = &attempt.outcome.token {
                    repaint = token_facts(ui, attempt, token, cx.now, cx.just_copied, &mut command);
                }
                copy_bar(
                    ui,
                    attempt,
                    cx.just_copied,
                    cx.include_password_in_curl,
                    &mut command,
                );
                request_facts(ui, attempt);
            }
            Tab::Jwt => jwt_tab(ui, attempt),
            Tab::Raw => raw_tab(ui, attempt),
            Tab::Headers => headers_tab(ui, attempt),
        });
    (command, repaint)
}

fn banner(ui: &mut Ui, attempt: &Attempt) {
    let kind = attempt.kind();
    let color = outcome_color(ui, kind);
    widgets::banner(color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let headline = match (&attempt.request.username, kind) {
                (Some(user), OutcomeKind::Ok) => format!("{} for {user}", attempt.headline()),
                _ => attempt.headline().to_owned(),
            };
            ui.label(RichText::new(headline).heading().color(color));
            ui.label(RichText::new(status_line(attempt)).weak());
        });
        if let Some(problem) = &attempt.outcome.error {
            ui.label(&problem.explanation);
            ui.label(RichText::new(server_said(problem)).weak());
            if let Some(excerpt) = &problem.excerpt {
                ui.label(RichText::new(excerpt).monospace().weak());
            }
        }
        if let Some(rotated) = rotation_line(attempt) {
            ui.label(rotated);
        }
        if let Some(skew) = attempt.clock_skew_s() {
            ui.label(RichText::new(skew_line(skew)).color(ui.visuals().warn_fg_color));
        }
    });
}

/// After a refresh that issued a token: whether the refresh token rotated.
fn rotation_line(attempt: &Attempt) -> Option<&'static str> {
    let token = attempt.outcome.token.as_ref()?;
    Some(
        match (attempt.refresh_rotated?, token.refresh_token.is_some()) {
            (true, _) => {
                "Refresh token rotated: a new one came back, and the one sent no longer works."
            }
            (false, true) => "Refresh token not rotated: the same one came back and stays usable.",
            (false, false) => {
                "No refresh token in this answer: log in again when this token expires."
            }
        },
    )
}

/// Refresh, revoke and compare, for the answer shown; greyed out while an operation runs.
fn actions(ui: &mut Ui, attempt: &Attempt, busy: Option<&str>, command: &mut Option<LoginCommand>) {
    let token = attempt.outcome.token.as_ref();
    let has_refresh = token.is_some_and(|t| t.refresh_token.is_some());
    let a_login = attempt.request.grant_type.as_deref() == Some("password");
    if token.is_none() && !a_login {
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
            if a_login && token.is_some() {
                ui.separator();
            }
            if a_login
                && ui
                    .button("Compare with guest token")
                    .on_hover_text("Ask for a guest token (client_credentials) with the same client ID and scope, and show both answers side by side: it tells wrong credentials from a wrong client ID or scope")
                    .clicked()
            {
                *command = Some(LoginCommand::CompareWithGuest);
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

fn id_list(ids: Vec<String>, none: &str) -> String {
    if ids.is_empty() {
        none.to_owned()
    } else {
        ids.join(", ")
    }
}

/// The token's facts; returns when the countdown next changes.
fn token_facts(
    ui: &mut Ui,
    attempt: &Attempt,
    token: &Issued,
    now: SystemTime,
    just_copied: Option<CopyItem>,
    command: &mut Option<LoginCommand>,
) -> Option<Duration> {
    let jwt = token.jwt.as_ref().ok();
    let mut repaint = None;
    egui::Grid::new("token-facts")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label("Mode");
            ui.horizontal(|ui| {
                mode_badge(ui, token.mode());
                signature_badge(ui, attempt.signature.as_ref());
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
            ui.horizontal(|ui| {
                let granted = token.granted_scope().unwrap_or("(none)");
                let asked = attempt.request.scope.as_deref();
                let differs = asked.is_some_and(|asked| scope_set(asked) != scope_set(granted));
                if differs {
                    ui.label(
                        RichText::new(granted)
                            .monospace()
                            .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text("The server granted a different scope than was asked");
                    ui.label(
                        RichText::new(format!("asked: {}", asked.unwrap_or_default()))
                            .color(ui.visuals().warn_fg_color),
                    );
                } else {
                    ui.label(RichText::new(granted).monospace());
                }
                copy_button(ui, CopyItem::GrantedScope, "Copy", just_copied, command);
            });
            ui.end_row();

            if let Some(jwt) = jwt {
                ui.label("Markets");
                ui.label(
                    RichText::new(id_list(jwt.market_ids(), "all (no market in the token)"))
                        .monospace(),
                );
                ui.end_row();
                ui.label("Stock locations");
                ui.label(
                    RichText::new(id_list(jwt.stock_location_ids(), "none in the token"))
                        .monospace(),
                );
                ui.end_row();
                ui.label("Organization");
                ui.label(jwt.organization_slug().unwrap_or("unknown"));
                ui.end_row();
                ui.label("Application");
                ui.label(jwt.application_kind().unwrap_or("unknown"));
                ui.end_row();
            } else {
                ui.label("Token");
                ui.weak("opaque (not a JWT): nothing to decode");
                ui.end_row();
            }

            if let Some(issued) = token.issued_at {
                ui.label("Issued");
                ui.label(utc(issued));
                ui.end_row();
            }
            ui.label("Expires");
            match (token.expires_at, token.seconds_left(now)) {
                (Some(at), Some(left)) => {
                    ui.horizontal(|ui| {
                        ui.label(utc(at));
                        let text = countdown(left);
                        if left < 0 {
                            ui.label(
                                RichText::new(text)
                                    .strong()
                                    .color(ui.visuals().error_fg_color),
                            );
                        } else {
                            ui.label(RichText::new(text).strong());
                        }
                        validity_badge(ui, attempt.validity(now));
                    });
                    repaint = Some(countdown_changes_in(left));
                }
                _ => {
                    ui.horizontal(|ui| {
                        ui.weak("unknown");
                        validity_badge(ui, attempt.validity(now));
                    });
                }
            }
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
fn request_facts(ui: &mut Ui, attempt: &Attempt) {
    let request = &attempt.request;
    ui.add_space(10.0);
    ui.label(RichText::new("Request").strong());
    egui::Grid::new("request-facts")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            let rows = [
                ("Sent", utc(attempt.started_at)),
                ("URL", request.url.clone()),
                (
                    "Grant",
                    request
                        .grant_type
                        .clone()
                        .unwrap_or_else(|| "revoke".to_owned()),
                ),
                ("Client ID", request.client_id.clone()),
                (
                    "Customer",
                    request
                        .username
                        .clone()
                        .unwrap_or_else(|| "none".to_owned()),
                ),
                (
                    "Scope asked",
                    request
                        .scope
                        .clone()
                        .unwrap_or_else(|| "none (market:all)".to_owned()),
                ),
                ("Body", request.encoding.content_type().to_owned()),
            ];
            for (name, value) in rows {
                ui.weak(name);
                ui.label(RichText::new(value).monospace());
                ui.end_row();
            }
        });
}

/// JSON pretty-printed, or the text as it came.
pub fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

fn code_block(ui: &mut Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).monospace()).selectable(true));
}

fn jwt_tab(ui: &mut Ui, attempt: &Attempt) {
    match attempt.outcome.token.as_ref().map(|t| &t.jwt) {
        Some(Ok(jwt)) => {
            ui.label(RichText::new("Header").strong());
            code_block(
                ui,
                &serde_json::to_string_pretty(&jwt.header).unwrap_or_default(),
            );
            ui.add_space(6.0);
            ui.label(RichText::new("Claims").strong());
            code_block(
                ui,
                &serde_json::to_string_pretty(&jwt.claims).unwrap_or_default(),
            );
        }
        Some(Err(why)) => {
            ui.label(why.to_string());
        }
        None => {
            ui.weak("No token in this answer.");
        }
    }
}

fn raw_tab(ui: &mut Ui, attempt: &Attempt) {
    if attempt.body.is_empty() {
        ui.weak("The answer had no body.");
    } else {
        code_block(ui, &pretty(&attempt.body));
    }
}

fn headers_tab(ui: &mut Ui, attempt: &Attempt) {
    if attempt.headers.is_empty() {
        ui.weak("No HTTP answer, so no headers.");
        return;
    }
    egui::Grid::new("headers")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (name, value) in &attempt.headers {
                ui.label(RichText::new(name).monospace());
                ui.add(egui::Label::new(RichText::new(value).monospace()).selectable(true));
                ui.end_row();
            }
        });
}
