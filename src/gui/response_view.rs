//! The answer: an outcome banner in plain words, the token's facts with copy buttons, and tabs
//! for the decoded JWT, the raw response and the headers.

use std::time::{Duration, SystemTime};

use egui::{Color32, RichText, Ui};

use crate::attempt::Attempt;
use crate::auth::jwt::Mode;
use crate::auth::scope::scope_set;
use crate::auth::{Issued, OutcomeKind};
use crate::clock::{countdown, countdown_changes_in, utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    AccessToken,
    BearerHeader,
    RefreshToken,
    OwnerId,
    GrantedScope,
    WholeResponse,
    Curl,
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

pub enum AnswerCommand {
    Copy(CopyItem),
}

/// What the answer panel needs besides the attempt.
pub struct AnswerContext<'a> {
    pub now: SystemTime,
    /// The item copied a moment ago, to confirm it next to its button.
    pub just_copied: Option<CopyItem>,
    pub include_password_in_curl: &'a mut bool,
    pub tab: &'a mut Tab,
}

/// Draws the answer; returns a command and when the panel next needs a repaint (countdown).
pub fn show(
    ui: &mut Ui,
    attempt: &Attempt,
    cx: AnswerContext<'_>,
) -> (Option<AnswerCommand>, Option<Duration>) {
    let mut command = None;
    let mut repaint = None;
    banner(ui, attempt);
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

fn outcome_color(ui: &Ui, kind: OutcomeKind) -> Color32 {
    match kind {
        OutcomeKind::Ok => Color32::from_rgb(0x2e, 0x9d, 0x4a),
        OutcomeKind::Refused => ui.visuals().error_fg_color,
        OutcomeKind::RateLimited => ui.visuals().warn_fg_color,
        OutcomeKind::ServerError
        | OutcomeKind::TransportError
        | OutcomeKind::InvalidResponse
        | OutcomeKind::Redirected => Color32::from_rgb(0xd0, 0x7a, 0x1c),
    }
}

fn banner(ui: &mut Ui, attempt: &Attempt) {
    let kind = attempt.kind();
    let color = outcome_color(ui, kind);
    egui::Frame::new()
        .fill(color.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let headline = match (&attempt.request.username, kind) {
                    (Some(user), OutcomeKind::Ok) => format!("{} for {user}", kind.headline()),
                    _ => kind.headline().to_owned(),
                };
                ui.label(RichText::new(headline).heading().color(color));
                let status = attempt.http_status.map_or_else(|| "no HTTP answer".to_owned(), |s| format!("HTTP {s}"));
                ui.label(RichText::new(format!("{status} · {:.1} ms", attempt.elapsed_ms())).weak());
            });
            if let Some(problem) = &attempt.outcome.error {
                ui.label(&problem.explanation);
                let server_words: Vec<&str> = [Some(problem.code.as_str()), problem.title.as_deref(), problem.detail.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>();
                let mut unique: Vec<&str> = Vec::new();
                for word in server_words {
                    if !unique.contains(&word) {
                        unique.push(word);
                    }
                }
                ui.label(RichText::new(format!("Server said: {}", unique.join(" — "))).weak());
                if let Some(excerpt) = &problem.excerpt {
                    ui.label(RichText::new(excerpt).monospace().weak());
                }
            }
            if let Some(skew) = attempt.clock_skew_s() {
                ui.label(
                    RichText::new(format!("The server's clock differs from this machine's by {skew} s: expiry times may look wrong."))
                        .color(ui.visuals().warn_fg_color),
                );
            }
        });
}

fn copy_button(
    ui: &mut Ui,
    item: CopyItem,
    label: &str,
    just_copied: Option<CopyItem>,
    command: &mut Option<AnswerCommand>,
) {
    if ui.button(label).clicked() {
        *command = Some(AnswerCommand::Copy(item));
    }
    if just_copied == Some(item) {
        ui.label(RichText::new("Copied").color(Color32::from_rgb(0x2e, 0x9d, 0x4a)));
    }
}

fn mode_badge(ui: &mut Ui, mode: Option<Mode>) {
    let (text, color) = match mode {
        Some(Mode::Test) => ("TEST", Color32::from_rgb(0xc9, 0x8a, 0x00)),
        Some(Mode::Live) => ("LIVE", Color32::from_rgb(0xd0, 0x30, 0x30)),
        None => ("unknown", ui.visuals().weak_text_color()),
    };
    egui::Frame::new()
        .fill(color)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(text).strong().color(Color32::WHITE));
        });
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
    command: &mut Option<AnswerCommand>,
) -> Option<Duration> {
    let jwt = token.jwt.as_ref().ok();
    let mut repaint = None;
    egui::Grid::new("token-facts")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label("Mode");
            mode_badge(ui, token.mode());
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
                    });
                    repaint = Some(countdown_changes_in(left));
                }
                _ => {
                    ui.weak("unknown");
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
    command: &mut Option<AnswerCommand>,
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
