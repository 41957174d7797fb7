//! The window's shared look: colours, badges (mode, signature, validity, LIVE), banner frames,
//! the revocation notes, copy buttons, and the sentences every view words the same way.

use egui::{Color32, RichText, Ui};

use crate::attempt::Attempt;
use crate::auth::jwt::Mode;
use crate::auth::{OutcomeKind, Problem, Signature, SignatureCheck, Validity};

pub const GREEN: Color32 = Color32::from_rgb(0x2e, 0x9d, 0x4a);
pub const AMBER: Color32 = Color32::from_rgb(0xc9, 0x8a, 0x00);
pub const ORANGE: Color32 = Color32::from_rgb(0xd0, 0x7a, 0x1c);
/// Everything that says "live" or "invalid".
pub const RED: Color32 = Color32::from_rgb(0xd0, 0x30, 0x30);
pub const GREY: Color32 = Color32::from_rgb(0x80, 0x80, 0x80);

/// The colour of an outcome, for its banner and headline.
pub fn outcome_color(ui: &Ui, kind: OutcomeKind) -> Color32 {
    match kind {
        OutcomeKind::Ok => GREEN,
        OutcomeKind::Refused => ui.visuals().error_fg_color,
        OutcomeKind::RateLimited => ui.visuals().warn_fg_color,
        OutcomeKind::ServerError
        | OutcomeKind::TransportError
        | OutcomeKind::InvalidResponse
        | OutcomeKind::Redirected => ORANGE,
    }
}

/// A framed banner in `color`: a tinted fill and a border.
pub fn banner(color: Color32) -> egui::Frame {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(10.0)
}

/// A small filled label; hover it for `why`.
pub fn pill(ui: &mut Ui, text: &str, fill: Color32, why: Option<&str>) {
    let response = egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(text).strong().color(Color32::WHITE));
        })
        .response;
    if let Some(why) = why {
        response.on_hover_text(why);
    }
}

pub fn mode_badge(ui: &mut Ui, mode: Option<Mode>) {
    let (text, color) = match mode {
        Some(Mode::Test) => ("TEST", AMBER),
        Some(Mode::Live) => ("LIVE", RED),
        None => ("unknown", ui.visuals().weak_text_color()),
    };
    pill(ui, text, color, None);
}

/// The LIVE tag of a profile whose last token was a live one.
pub fn live_badge(ui: &mut Ui) {
    pill(
        ui,
        "LIVE",
        RED,
        Some("The last token issued with this profile was a live one"),
    );
}

/// The signature check as a badge: green verified, red invalid, orange when it could not be
/// checked (no key, no keys, another algorithm), grey when there is nothing to check. Nothing
/// before a check ran.
pub fn signature_badge(ui: &mut Ui, check: Option<&SignatureCheck>) {
    let Some(check) = check else {
        return;
    };
    let (text, color) = match check.result {
        Signature::Verified => ("Signature verified", GREEN),
        Signature::Invalid => ("Signature invalid", RED),
        Signature::KeyNotFound => ("Signing key not found", ORANGE),
        Signature::KeysUnreachable => ("Keys unreachable", ORANGE),
        Signature::UnsupportedAlgorithm => ("Unsupported algorithm", ORANGE),
        Signature::NotAJwt => ("Not a JWT", GREY),
    };
    pill(ui, text, color, Some(&signature_explained(check)));
}

/// The check in full sentences, for the badge's hover text.
fn signature_explained(check: &SignatureCheck) -> String {
    let mut lines = vec![sentence(&check.explanation)];
    if let Some(kid) = &check.kid {
        lines.push(format!("Key id (kid): {kid}"));
    }
    if let Some(url) = &check.keys_url {
        lines.push(format!("Keys from: {url}"));
    }
    if let Some(detail) = &check.detail {
        lines.push(sentence(detail));
    }
    if check.result != Signature::Verified && check.result != Signature::Invalid {
        lines.push("The token is shown anyway: the check could not say yes or no.".to_owned());
    }
    lines.join("\n")
}

/// A flag when the token is not valid now by this machine's clock.
pub fn validity_badge(ui: &mut Ui, validity: Option<Validity>) {
    match validity {
        Some(Validity::Expired) => pill(ui, "Expired", RED, Some(Validity::Expired.describe())),
        Some(Validity::NotYetValid) => pill(
            ui,
            "Not yet valid",
            ORANGE,
            Some(Validity::NotYetValid.describe()),
        ),
        Some(Validity::Valid) | None => {}
    }
}

/// A line about something done to the tokens (a revocation, or a refusal to revoke), shown
/// above the answer without replacing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub ok: bool,
    pub text: String,
}

/// The notes, newest last.
pub fn notes(ui: &mut Ui, notes: &[Note]) {
    for note in notes {
        let color = if note.ok {
            GREEN
        } else {
            ui.visuals().error_fg_color
        };
        egui::Frame::new()
            .fill(color.gamma_multiply(0.10))
            .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
            .corner_radius(4.0)
            .inner_margin(egui::Margin::symmetric(8, 4))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(&note.text).color(color));
            });
        ui.add_space(4.0);
    }
    if !notes.is_empty() {
        ui.add_space(2.0);
    }
}

/// A copy button, with "Copied" beside it while `copied` confirms it; returns whether it was
/// clicked.
pub fn copy_button(ui: &mut Ui, label: &str, copied: bool) -> bool {
    let clicked = ui.button(label).clicked();
    if copied {
        ui.label(RichText::new("Copied").color(GREEN));
    }
    clicked
}

/// "HTTP 400 · 12.3 ms", or that no HTTP answer came.
pub fn status_line(attempt: &Attempt) -> String {
    let status = attempt
        .http_status
        .map_or_else(|| "no HTTP answer".to_owned(), |s| format!("HTTP {s}"));
    format!("{status} · {:.1} ms", attempt.elapsed_ms())
}

/// The server's own words for a problem, each said once.
pub fn server_said(problem: &Problem) -> String {
    let mut said = vec![problem.code.as_str()];
    said.extend(problem.server_words());
    format!("Server said: {}", said.join(" — "))
}

pub fn skew_line(skew: i64) -> String {
    let (by, way) = if skew > 0 {
        (skew, "ahead of")
    } else {
        (-skew, "behind")
    };
    format!("The server's clock is {by} s {way} this machine's: expiry times may look wrong.")
}

/// A text as a sentence on its own: capitalized, with its full stop (errors and explanations
/// are written to follow a colon).
pub fn sentence(text: impl std::fmt::Display) -> String {
    let text = text.to_string();
    let mut chars = text.chars();
    let mut sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return text,
    };
    if !sentence.ends_with(['.', '?', '!']) {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::ProfileError;

    #[test]
    fn a_sentence_is_capitalized_and_ends_once() {
        assert_eq!(
            sentence(Signature::KeysUnreachable.describe()),
            "The issuer's public keys could not be fetched (offline?)."
        );
        assert_eq!(
            sentence("no answer. Check the network."),
            "No answer. Check the network."
        );
        assert_eq!(sentence("really?"), "Really?");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn errors_read_as_sentences() {
        let error = ProfileError::NotFound("acme".to_owned());
        let shown = sentence(&error);
        assert!(
            shown.starts_with("There is no profile named `acme`"),
            "{shown}"
        );
        assert!(shown.ends_with("list`."), "{shown}");
    }
}
