//! The window's shared look: colours, badges (mode, signature, validity, LIVE), banner frames,
//! the revocation notes and copy buttons. The words come from `facts`, worded once for every
//! face.

use egui::{Color32, RichText, Ui};

use crate::auth::jwt::Mode;
use crate::auth::{OutcomeKind, Signature, Validity};
use crate::facts::SignatureFacts;
use crate::gui::theme::{palette, text_on};

// The theme's colours (`theme`): each reads at WCAG AA on its own theme's panels.
pub fn green(ui: &Ui) -> Color32 {
    palette(ui.visuals()).green
}
pub fn amber(ui: &Ui) -> Color32 {
    palette(ui.visuals()).amber
}
pub fn orange(ui: &Ui) -> Color32 {
    palette(ui.visuals()).orange
}
/// Everything that says "live" or "invalid".
pub fn red(ui: &Ui) -> Color32 {
    palette(ui.visuals()).red
}
pub fn grey(ui: &Ui) -> Color32 {
    palette(ui.visuals()).grey
}

/// A button filled with the theme's red, its words in the colour that reads on it (Delete,
/// Replace it).
pub fn red_button(ui: &Ui, text: &str) -> egui::Button<'static> {
    let fill = red(ui);
    egui::Button::new(RichText::new(text).color(text_on(fill))).fill(fill)
}

/// The colour of an outcome, for its banner and headline.
pub fn outcome_color(ui: &Ui, kind: OutcomeKind) -> Color32 {
    match kind {
        OutcomeKind::Ok => green(ui),
        OutcomeKind::Refused => ui.visuals().error_fg_color,
        OutcomeKind::RateLimited => ui.visuals().warn_fg_color,
        OutcomeKind::ServerError
        | OutcomeKind::TransportError
        | OutcomeKind::InvalidResponse
        | OutcomeKind::Redirected => orange(ui),
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
            ui.label(RichText::new(text).strong().color(text_on(fill)));
        })
        .response;
    if let Some(why) = why {
        response.on_hover_text(why);
    }
}

pub fn mode_badge(ui: &mut Ui, mode: Option<Mode>) {
    let (text, color) = match mode {
        Some(Mode::Test) => ("TEST", amber(ui)),
        Some(Mode::Live) => ("LIVE", red(ui)),
        None => ("unknown", grey(ui)),
    };
    pill(ui, text, color, None);
}

/// The LIVE tag of a profile whose last token was a live one.
pub fn live_badge(ui: &mut Ui) {
    pill(
        ui,
        "LIVE",
        red(ui),
        Some("The last token issued with this profile was a live one"),
    );
}

/// The signature check as a badge: green verified, red invalid, orange when it could not be
/// checked (no key, no keys, another algorithm), grey when there is nothing to check. Nothing
/// before a check ran. Hovering it gives the check in full sentences.
pub fn signature_badge(ui: &mut Ui, check: Option<&SignatureFacts>) {
    let Some(check) = check else {
        return;
    };
    let color = match check.result {
        Signature::Verified => green(ui),
        Signature::Invalid => red(ui),
        Signature::KeyNotFound | Signature::KeysUnreachable | Signature::UnsupportedAlgorithm => {
            orange(ui)
        }
        Signature::NotAJwt => grey(ui),
    };
    pill(ui, check.label, color, Some(&check.sentences.join("\n")));
}

/// A flag when the token is not valid now by this machine's clock.
pub fn validity_badge(ui: &mut Ui, validity: Option<Validity>) {
    match validity {
        Some(Validity::Expired) => pill(ui, "Expired", red(ui), Some(Validity::Expired.describe())),
        Some(Validity::NotYetValid) => pill(
            ui,
            "Not yet valid",
            orange(ui),
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
            green(ui)
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
        ui.label(RichText::new("Copied").color(green(ui)));
    }
    clicked
}
