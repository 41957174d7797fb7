//! What a hostile answer costs the window (scripts/bench.sh, README "Speed"): the real app under
//! egui_kittest, with AccessKit on (kittest reads the tree the way a screen reader does), each
//! frame driven by a pointer move and tessellated as the renderer would.
//!
//! `cargo bench --profile dev --bench answer_frames -- SHAPE` shows the normal answer on the tab where SHAPE's hostile part appears,
//! then SHAPE (with `SHAPE+all`, in the "Show all" view), then the normal answer again, and
//! prints one line:
//! `SHAPE TAB normal_ms hostile_ms rss_normal_kib rss_hostile_kib rss_after_kib`.
//! Frame costs are CPU time of the UI thread (from /proc/thread-self/schedstat, so other
//! processes on a busy machine do not count), the median of batches; memory is the process's
//! resident set (VmRSS).
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../tests/support/mod.rs"]
mod support;

use egui_kittest::kittest::Queryable;
use support::answers::Shape;
use support::window::Window;

/// Batches of each answer; their medians are reported.
const BATCHES: usize = 9;
/// A batch runs at least this much CPU time, so the clock's granularity does not matter.
const BATCH_NS: u64 = 300_000_000;

fn main() {
    // `cargo bench` adds `--bench` to the arguments.
    let name = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .unwrap_or_else(|| "one-line".to_owned());
    // `SHAPE+all`: with "Show all" open on it.
    let (shape_name, open_all) = match name.strip_suffix("+all") {
        Some(shape) => (shape, true),
        None => (name.as_str(), false),
    };
    let shape =
        Shape::from_name(shape_name).unwrap_or_else(|| panic!("no answer shape named {name}"));
    let mut w = Window::picture().build();

    let tab = shape.tab();
    show(&mut w, Shape::Normal, tab);
    frames(&mut w, 20);
    let rss_normal = rss_kib();

    // Batches of the normal and the hostile answer take turns, so a machine that gets busier
    // or quieter during the run weighs on both alike.
    let mut normal = Vec::new();
    let mut hostile = Vec::new();
    let mut rss_hostile = 0;
    for _ in 0..BATCHES {
        show(&mut w, Shape::Normal, tab);
        normal.push(batch_ms(&mut w));
        show(&mut w, shape, tab);
        if open_all {
            w.harness
                .query_by_label_contains("Show all")
                .expect("a Show all button")
                .click();
            frames(&mut w, 5);
        }
        hostile.push(batch_ms(&mut w));
        rss_hostile = rss_hostile.max(rss_kib());
    }
    let (normal_ms, hostile_ms) = (median(normal), median(hostile));

    show(&mut w, Shape::Normal, tab);
    frames(&mut w, 20);
    let rss_after = rss_kib();

    println!(
        "{name} {} {normal_ms:.2} {hostile_ms:.2} {rss_normal} {rss_hostile} {rss_after}",
        shape.tab().replace(' ', "_"),
    );
}

/// Shows `shape`'s answer on the tab `tab`: a new answer opens on its Summary, so the tab is
/// clicked again each time, as a person would.
fn show(w: &mut Window, shape: Shape, tab: &str) {
    w.harness.state_mut().show_attempt(shape.attempt());
    frames(w, 2);
    w.harness.get_by_label(tab).click();
    frames(w, 5);
}

/// Runs `n` frames, each after a pointer move over the answer, tessellated like a real frame.
fn frames(w: &mut Window, n: usize) {
    for _ in 0..n {
        frame(w);
    }
}

fn frame(w: &mut Window) {
    static STEP: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let i = STEP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (x, y) = (520.0 + (i * 37 % 560) as f32, 180.0 + (i * 53 % 500) as f32);
    w.harness.hover_at(egui::pos2(x, y));
    w.harness.step();
    let output = w.harness.output();
    let primitives = w
        .harness
        .ctx
        .tessellate(output.shapes.clone(), output.pixels_per_point);
    std::hint::black_box(primitives);
}

/// CPU milliseconds per frame over a batch of at least [`BATCH_NS`].
fn batch_ms(w: &mut Window) -> f64 {
    let start = cpu_ns();
    let mut n = 0u32;
    while cpu_ns() - start < BATCH_NS {
        frame(w);
        n += 1;
    }
    (cpu_ns() - start) as f64 / f64::from(n) / 1e6
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// CPU time this thread has run, in nanoseconds.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("/proc/thread-self/schedstat (Linux)")
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .expect("schedstat's first field")
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("/proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}
