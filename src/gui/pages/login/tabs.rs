//! The answer's tabs: the decoded JWT, the raw response and the response headers. Everything in
//! them came from the server, so this is where hostile answers (huge bodies, control
//! characters, deep JSON) are made safe to draw.

use egui::{RichText, Ui};

use crate::attempt::Attempt;

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

pub fn jwt(ui: &mut Ui, attempt: &Attempt) {
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

pub fn raw(ui: &mut Ui, attempt: &Attempt) {
    if attempt.body.is_empty() {
        ui.weak("The answer had no body.");
    } else {
        code_block(ui, &pretty(&attempt.body));
    }
}

pub fn headers(ui: &mut Ui, attempt: &Attempt) {
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
