//! What happens at the start and at the end of each frame, around the drawing.

use std::time::Duration;

use egui::Context;

use super::LoginApp;

impl LoginApp {
    /// Takes in what the background work brought back since the last frame, and clears a
    /// copied token whose time is up.
    pub(super) fn start_frame(&mut self, ctx: &Context) {
        self.login
            .logic(&self.prefs, &mut self.profiles, &mut self.history);
        self.matrix.logic();
        self.bulk.logic();
        self.profiles.logic();
        self.history.logic();
        self.reports.logic();
        self.copies.expire(ctx);
    }

    /// While an operation runs, its elapsed time ticks; nothing repaints once idle.
    pub(super) fn end_frame(&mut self, ctx: &Context) {
        if self.login.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }
}
