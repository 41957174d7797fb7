//! The answer's tabs: the decoded JWT, the raw response and the response headers. Everything in
//! them came from the server, so this is where hostile answers are made safe to draw: every
//! text is escaped (control and bidi characters), long texts are cut to a preview with "Show
//! all" and "Save to file…" ([`long_text`]), and only a bounded number of headers is laid out.
//!
//! Preparing a text (pretty-printing, escaping, cutting lines) is done once per answer, not per
//! frame: the results live in egui's frame cache, keyed by the answer, and are dropped in the
//! first frame that does not show them (another tab, or another answer), so a megabyte answer
//! costs its memory only while it is on screen.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use egui::cache::{ComputerMut, FrameCache};
use egui::{RichText, Ui};
use serde_json::Value;

use super::{CopyItem, LoginCommand};
use crate::attempt::Attempt;
use crate::auth::excerpt::redact_tokens;
use crate::auth::Jwt;
use crate::clock::utc;
use crate::facts::shown;
use crate::gui::long_text::{self, pretty::pretty_json, LongText, Saving};
use crate::gui::widgets;

/// Headers laid out in the tab; the rest are in "Show all".
const HEADER_ROWS: usize = 20;
/// The characters of a header name or value shown in the tab.
const HEADER_NAME_CHARS: usize = 80;
const HEADER_VALUE_CHARS: usize = 400;

/// JSON pretty-printed, or the text as it came.
pub fn pretty(text: &str) -> String {
    pretty_json(text).unwrap_or_else(|| text.to_owned())
}

/// The text a tab's copy button copies.
pub fn copy_text(item: CopyItem, attempt: &Attempt) -> Option<String> {
    match item {
        CopyItem::DecodedJwt => {
            let jwt = attempt.outcome.token.as_ref()?.jwt.as_ref().ok()?;
            let both = serde_json::json!({"header": jwt.header, "claims": jwt.claims});
            serde_json::to_string_pretty(&both).ok()
        }
        CopyItem::Headers => Some(header_lines(attempt)),
        _ => None,
    }
}

pub fn jwt(ui: &mut Ui, attempt: &Attempt, just_copied: Option<CopyItem>) -> Option<LoginCommand> {
    let mut command = None;
    match attempt.outcome.token.as_ref().map(|t| &t.jwt) {
        Some(Ok(jwt)) => {
            times(ui, jwt);
            ui.add_space(6.0);
            copy_button(
                ui,
                CopyItem::DecodedJwt,
                "Copy header and claims",
                just_copied,
                &mut command,
            );
            let contents = || {
                copy_text(CopyItem::DecodedJwt, attempt)
                    .map(|text| redact_tokens(&text))
                    .unwrap_or_default()
            };
            let saving = Saving {
                file_name: "jwt.json",
                note: "The token's decoded header and claims, not the token itself. Only you can read the file.",
                contents: &contents,
            };
            ui.add_space(6.0);
            ui.label(RichText::new("Header").strong());
            let header = prepared(ui, attempt, Part::JwtHeader);
            long_text::show(ui, "jwt-header", "JWT header", &header, &saving);
            ui.add_space(6.0);
            ui.label(RichText::new("Claims").strong());
            let claims = prepared(ui, attempt, Part::JwtClaims);
            long_text::show(ui, "jwt-claims", "JWT claims", &claims, &saving);
        }
        Some(Err(why)) => {
            ui.label(shown(&why.to_string()));
        }
        None => {
            ui.weak("No token in this answer.");
        }
    }
    command
}

const TIME_CLAIMS: [(&str, &str); 3] = [
    ("iat", "Issued (iat)"),
    ("nbf", "Not before (nbf)"),
    ("exp", "Expires (exp)"),
];

/// `iat`, `nbf` and `exp` as dates, next to the seconds the token holds.
fn times(ui: &mut Ui, jwt: &Jwt) {
    let present: Vec<_> = TIME_CLAIMS
        .iter()
        .filter_map(|(claim, name)| Some((*name, jwt.claims.get(*claim)?)))
        .collect();
    if present.is_empty() {
        return;
    }
    egui::Grid::new("jwt-times")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (name, value) in present {
                ui.weak(name);
                ui.horizontal(|ui| match as_date(value) {
                    Some(date) => {
                        ui.label(date);
                        ui.weak(format!("({value})"));
                    }
                    None => {
                        ui.label(
                            RichText::new(format!(
                                "{} (not a time in seconds)",
                                shown(&cut(&value.to_string(), HEADER_VALUE_CHARS))
                            ))
                            .color(ui.visuals().warn_fg_color),
                        );
                    }
                });
                ui.end_row();
            }
        });
}

/// Seconds since 1970 as a UTC date; `None` for anything else.
fn as_date(value: &Value) -> Option<String> {
    let seconds = u64::try_from(value.as_i64()?).ok()?;
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .map(utc)
}

pub fn raw(ui: &mut Ui, attempt: &Attempt, just_copied: Option<CopyItem>) -> Option<LoginCommand> {
    let mut command = None;
    if attempt.body.is_empty() {
        ui.weak("The answer had no body.");
        return None;
    }
    copy_button(
        ui,
        CopyItem::WholeResponse,
        "Copy the response",
        just_copied,
        &mut command,
    );
    ui.add_space(6.0);
    let text = prepared(ui, attempt, Part::Raw);
    let contents = || redact_tokens(&pretty(&attempt.body));
    long_text::show(
        ui,
        "raw",
        "Raw response",
        &text,
        &Saving {
            file_name: "raw-response.txt",
            note: "Tokens in the answer are saved as [redacted]. Only you can read the file.",
            contents: &contents,
        },
    );
    command
}

pub fn headers(
    ui: &mut Ui,
    attempt: &Attempt,
    just_copied: Option<CopyItem>,
) -> Option<LoginCommand> {
    let mut command = None;
    if attempt.headers.is_empty() {
        ui.weak("No HTTP answer, so no headers.");
        return None;
    }
    copy_button(
        ui,
        CopyItem::Headers,
        "Copy the headers",
        just_copied,
        &mut command,
    );
    ui.add_space(6.0);
    let longer = |text: &str, max: usize| text.chars().nth(max).is_some();
    let cut_any = attempt.headers.len() > HEADER_ROWS
        || attempt
            .headers
            .iter()
            .take(HEADER_ROWS)
            .any(|(n, v)| longer(n, HEADER_NAME_CHARS) || longer(v, HEADER_VALUE_CHARS));
    if cut_any {
        let all = prepared(ui, attempt, Part::Headers);
        let contents = || redact_tokens(&header_lines(attempt));
        let summary = format!(
            "Headers: {}, the first {} shown; long names and values are cut to {} characters.",
            long_text::grouped(attempt.headers.len()),
            attempt.headers.len().min(HEADER_ROWS),
            HEADER_VALUE_CHARS
        );
        let show_all = format!(
            "Show all {} headers",
            long_text::grouped(attempt.headers.len())
        );
        long_text::controls(
            ui,
            "headers",
            "Headers",
            &summary,
            &show_all,
            &all,
            &Saving {
                file_name: "headers.txt",
                note: "Tokens in the headers are saved as [redacted]. Only you can read the file.",
                contents: &contents,
            },
        );
        ui.add_space(6.0);
    }
    let value_width = (ui.available_width() - 200.0).max(200.0);
    egui::Grid::new("headers")
        .num_columns(2)
        .striped(true)
        .max_col_width(value_width)
        .show(ui, |ui| {
            for (name, value) in attempt.headers.iter().take(HEADER_ROWS) {
                ui.label(RichText::new(shown_cut(name, HEADER_NAME_CHARS)).monospace());
                ui.add(
                    egui::Label::new(
                        RichText::new(shown_cut(value, HEADER_VALUE_CHARS)).monospace(),
                    )
                    .wrap()
                    .selectable(true),
                );
                ui.end_row();
            }
        });
    command
}

/// Every header as `name: value`, one a line, escaped so a value cannot start a line of its own.
fn header_lines(attempt: &Attempt) -> String {
    let mut out = String::new();
    for (name, value) in &attempt.headers {
        out.push_str(&shown(name));
        out.push_str(": ");
        out.push_str(&shown(value));
        out.push('\n');
    }
    out
}

/// The first `max` characters of `text`, escaped, with "…" when some were left out.
fn shown_cut(text: &str, max: usize) -> String {
    let head = cut(text, max);
    let mut out = shown(&head).into_owned();
    if head.len() < text.len() {
        out.push('…');
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn copy_button(
    ui: &mut Ui,
    item: CopyItem,
    label: &str,
    just_copied: Option<CopyItem>,
    command: &mut Option<LoginCommand>,
) {
    ui.horizontal(|ui| {
        if widgets::copy_button(ui, label, just_copied == Some(item)) {
            *command = Some(LoginCommand::Copy(item));
        }
    });
}

// ---- What is prepared once per answer ----

/// The texts a tab prepares from an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Raw,
    Headers,
    JwtHeader,
    JwtClaims,
}

/// An answer and one of its texts: the key of the frame cache.
#[derive(Clone, Copy)]
struct Source<'a> {
    attempt: &'a Attempt,
    part: Part,
}

/// Which answer this is, without reading a megabyte every frame: where its body and headers
/// live, their sizes, and when it was sent. Two answers alive at once never share the first.
impl Hash for Source<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let a = self.attempt;
        (a.body.as_ptr() as usize, a.body.len()).hash(state);
        (a.headers.as_ptr() as usize, a.headers.len()).hash(state);
        (a.started_at, a.elapsed, a.http_status).hash(state);
        self.part.hash(state);
    }
}

#[derive(Default)]
struct Prepare;

impl<'a> ComputerMut<Source<'a>, Arc<LongText>> for Prepare {
    fn compute(&mut self, source: Source<'a>) -> Arc<LongText> {
        let attempt = source.attempt;
        let jwt = || attempt.outcome.token.as_ref()?.jwt.as_ref().ok();
        let json = |value: &Value| serde_json::to_string_pretty(value).unwrap_or_default();
        Arc::new(match source.part {
            Part::Raw => LongText::new(&pretty(&attempt.body), attempt.body.len()),
            Part::Headers => {
                let lines = header_lines(attempt);
                let bytes = attempt.headers.iter().map(|(n, v)| n.len() + v.len() + 2);
                LongText::new(lines.trim_end(), bytes.sum())
            }
            Part::JwtHeader => {
                let text = jwt().map(|j| json(&j.header)).unwrap_or_default();
                LongText::new(&text, text.len())
            }
            Part::JwtClaims => {
                let text = jwt().map(|j| json(&j.claims)).unwrap_or_default();
                LongText::new(&text, text.len())
            }
        })
    }
}

type Prepared = FrameCache<Arc<LongText>, Prepare>;

fn prepared(ui: &Ui, attempt: &Attempt, part: Part) -> Arc<LongText> {
    ui.memory_mut(|m| Arc::clone(m.caches.cache::<Prepared>().get(Source { attempt, part })))
}
