//! A bare eframe window built with the same features and renderer as the app: the yardstick
//! for the window's start-up time and memory (scripts/bench.sh) and for its binary size
//! (scripts/package.sh). Build it on its own (`cargo build -p bare-window`): built in one
//! cargo call with the app, it would share the features the app turns on in common crates.

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("Bare eframe window")
            .with_inner_size([1120.0, 720.0]),
        ..Default::default()
    };
    eframe::run_ui_native("Bare eframe window", options, |ui, _frame| {
        egui::CentralPanel::default_margins().show(ui, |ui| {
            ui.label("A bare eframe window.");
        });
    })
}
