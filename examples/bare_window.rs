//! A bare eframe window built with the same features and renderer as the app: the yardstick
//! for the window's start-up time and memory in scripts/bench.sh.

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
