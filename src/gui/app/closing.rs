//! A gentle reminder when the window closes while a live customer token it showed is still
//! valid and "Revoke tokens when I'm done" is off: that token acts on a real customer until it
//! expires. Asked once; a second close request closes.

use egui::{Context, Id, Modal, ViewportCommand};

use super::LoginApp;
use crate::gui::widgets;

/// Where closing the window stands.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Closing {
    #[default]
    Open,
    /// The close was held back and the reminder is shown.
    Asking,
    /// The person answered (or asked twice): the next close request closes.
    Allowed,
}

impl LoginApp {
    /// At the start of a frame: holds a close back for the reminder, once.
    pub(super) fn intercept_close(&mut self, ctx: &Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        let now = (self.clock)();
        if self.closing == Closing::Open && self.login.live_token_left(&self.prefs, now) {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.closing = Closing::Asking;
        } else {
            // Asked again while the reminder shows: the person means it.
            self.closing = Closing::Allowed;
        }
    }

    /// The reminder, while it is asked.
    pub(super) fn close_reminder(&mut self, ctx: &Context) {
        if self.closing != Closing::Asking {
            return;
        }
        let mut answer = None;
        let modal = Modal::new(Id::unique("close-reminder")).show(ctx, |ui| {
            ui.set_max_width(400.0);
            ui.heading("A live customer token is still valid");
            ui.add_space(4.0);
            ui.label("It acts on a real customer and their orders until it expires. \"Revoke tokens when I'm done\" is off, so closing leaves it valid.");
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.add(widgets::red_button(ui, "Revoke and close")).clicked() {
                    answer = Some(true);
                }
                if ui.button("Close anyway").clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(revoke) => {
                self.revoke_on_close = revoke;
                self.closing = Closing::Allowed;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            // Escape or a click beside it: the window stays open.
            None if modal.should_close() => self.closing = Closing::Open,
            None => {}
        }
    }
}
