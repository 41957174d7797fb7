//! The guest comparison: the customer login and a guest token asked with the same client ID and
//! scope, side by side, under what the pair of answers says about where the fault is.

use std::time::SystemTime;

use egui::{Color32, RichText, Ui};

use super::LoginCommand;
use crate::attempt::Attempt;
use crate::attempt::Comparison;
use crate::auth::{Finding, Verdict};
use crate::clock::countdown;
use crate::gui::widgets::{
    self, mode_badge, outcome_color, server_said, signature_badge, skew_line, status_line,
    validity_badge, GREEN,
};

const VERDICT_BLUE: Color32 = Color32::from_rgb(0x2f, 0x6f, 0xc6);

pub fn show(ui: &mut Ui, comparison: &Comparison, now: SystemTime) -> Option<LoginCommand> {
    let mut command = None;
    ui.horizontal(|ui| {
        if ui
            .button("Back to the answer")
            .on_hover_text("Show the customer login alone again, with its tabs and copy buttons")
            .clicked()
        {
            command = Some(LoginCommand::BackToAnswer);
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Customer login and guest token, side by side").strong());
    });
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            verdict(ui, &comparison.verdict);
            ui.add_space(10.0);
            ui.spacing_mut().item_spacing.x = 16.0;
            ui.columns_const(|[customer, guest]| {
                side(customer, "Customer login", &comparison.customer, now);
                side(
                    guest,
                    "Guest token (client_credentials)",
                    &comparison.guest,
                    now,
                );
            });
        });
    command
}

/// What the pair points at, in a few words; the explanation says the rest.
fn finding_title(finding: Finding) -> &'static str {
    match finding {
        Finding::BothIssued => "Everything works",
        Finding::CustomerRefused => "The customer login is at fault",
        Finding::BothRefused => "The client ID or the scope is at fault",
        Finding::GuestRefused => "Only customers get in",
        Finding::Inconclusive => "Nothing to compare yet",
    }
}

fn verdict(ui: &mut Ui, verdict: &Verdict) {
    let color = match verdict.finding {
        Finding::BothIssued => GREEN,
        _ => VERDICT_BLUE,
    };
    widgets::banner(color)
        .fill(color.gamma_multiply(0.10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(finding_title(verdict.finding))
                    .heading()
                    .color(color),
            );
            ui.label(&verdict.explanation);
        });
}

/// One answer, compact: the banner, then who and what the token is for, then what was asked.
fn side(ui: &mut Ui, title: &str, attempt: &Attempt, now: SystemTime) {
    // Columns justify their contents, which would spread the words of wrapped text apart.
    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.spacing_mut().item_spacing.x = 8.0;
        side_contents(ui, title, attempt, now);
    });
}

fn side_contents(ui: &mut Ui, title: &str, attempt: &Attempt, now: SystemTime) {
    ui.label(RichText::new(title).strong());
    ui.add_space(4.0);
    let color = outcome_color(ui, attempt.kind());
    widgets::banner(color).inner_margin(8.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(attempt.headline()).size(16.0).color(color));
        ui.weak(status_line(attempt));
        if let Some(problem) = &attempt.outcome.error {
            ui.label(&problem.explanation);
            ui.label(RichText::new(server_said(problem)).weak());
        }
        if let Some(skew) = attempt.clock_skew_s() {
            ui.label(RichText::new(skew_line(skew)).color(ui.visuals().warn_fg_color));
        }
    });
    ui.add_space(6.0);
    egui::Grid::new(("compare-side", title))
        .num_columns(2)
        .spacing([10.0, 5.0])
        .show(ui, |ui| {
            if let Some(token) = &attempt.outcome.token {
                ui.weak("Owner");
                match &token.owner_id {
                    Some(id) => ui.label(RichText::new(id).monospace()),
                    None => ui.weak("none (guest)"),
                };
                ui.end_row();
                ui.weak("Token");
                ui.horizontal_wrapped(|ui| {
                    mode_badge(ui, token.mode());
                    signature_badge(ui, attempt.signature.as_ref());
                    validity_badge(ui, attempt.validity(now));
                });
                ui.end_row();
                ui.weak("Scope");
                ui.label(RichText::new(token.granted_scope().unwrap_or("(none)")).monospace());
                ui.end_row();
                if let Some(left) = token.seconds_left(now) {
                    ui.weak("Expires");
                    ui.label(countdown(left));
                    ui.end_row();
                }
            }
            let request = &attempt.request;
            if let Some(customer) = &request.username {
                ui.weak("Customer");
                ui.label(RichText::new(customer).monospace());
                ui.end_row();
            }
            ui.weak("Grant");
            ui.label(RichText::new(request.grant_type.as_deref().unwrap_or("?")).monospace());
            ui.end_row();
            ui.weak("Client ID");
            ui.label(RichText::new(&request.client_id).monospace());
            ui.end_row();
            ui.weak("Scope asked");
            ui.label(
                RichText::new(request.scope.as_deref().unwrap_or("none (market:all)")).monospace(),
            );
            ui.end_row();
        });
}
