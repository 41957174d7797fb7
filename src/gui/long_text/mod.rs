//! Server text of any length, shown without freezing the window: what came from the server is
//! escaped (control and bidi characters, see [`crate::facts::shown`]) and cut into lines of at
//! most [`WIDTH`] characters once; the view shows the first lines, says how much there is, and
//! offers "Show all" (a scrolling view that lays out only the lines in sight) and "Save to
//! file…". A label of a megabyte costs its layout every frame and its whole text in the
//! accessibility tree; this costs a page.

pub mod pretty;

use std::ops::Range;
use std::path::{Path, PathBuf};

use egui::{Id, RichText, Ui};

use crate::facts::shown_block;

/// The longest line drawn: longer lines are cut into pieces this long, so a megabyte on one line
/// becomes rows that a scrolling view can skip.
pub const WIDTH: usize = 100;
/// At most this much is shown before "Show all"…
pub const PREVIEW_CHARS: usize = 2_000;
/// …in at most this many lines.
pub const PREVIEW_LINES: usize = 40;

/// A text prepared for showing: escaped, cut into lines, with its preview.
pub struct LongText {
    /// The text as shown: escaped, with the server's own line breaks.
    text: String,
    /// The lines shown, as byte ranges of `text`: the server's lines, cut at [`WIDTH`].
    lines: Vec<Range<usize>>,
    /// The size of what came from the server, in bytes.
    bytes: usize,
    /// The start of the text: at most [`PREVIEW_CHARS`] characters in [`PREVIEW_LINES`] lines,
    /// shown wrapped at the panel's width.
    preview: String,
    preview_chars: usize,
}

impl LongText {
    /// `text` prepared for showing; `bytes` is the size of what it shows, as received.
    pub fn new(text: &str, bytes: usize) -> Self {
        let text = shown_block(text).into_owned();
        let lines = cut_lines(&text);
        let (preview, preview_chars) = preview(&text);
        Self {
            text,
            lines,
            bytes,
            preview,
            preview_chars,
        }
    }

    /// Whether the preview is all there is.
    pub fn is_complete(&self) -> bool {
        self.preview.len() == self.text.len()
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    fn line(&self, index: usize) -> &str {
        self.lines
            .get(index)
            .and_then(|range| self.text.get(range.clone()))
            .unwrap_or_default()
    }

    /// What a screen reader hears instead of the text: `Raw response: 1,048,576 bytes in 10,486
    /// lines, the first 2,000 characters shown.`
    pub fn summary(&self, title: &str) -> String {
        format!(
            "{}, the first {} characters shown.",
            self.size(title),
            grouped(self.preview_chars)
        )
    }

    /// `Raw response: 1,048,576 bytes in 10,486 lines`.
    fn size(&self, title: &str) -> String {
        format!(
            "{title}: {} bytes in {} lines",
            grouped(self.bytes),
            grouped(self.lines.len())
        )
    }
}

/// The start of `text` within both limits, and how many characters it has.
fn preview(text: &str) -> (String, usize) {
    let mut end = 0;
    let mut chars = 0;
    for (count, line) in text.split_inclusive('\n').enumerate() {
        if count == PREVIEW_LINES {
            break;
        }
        let room = PREVIEW_CHARS - chars;
        let (taken, at) = line
            .char_indices()
            .nth(room)
            .map_or((line.chars().count(), line.len()), |(at, _)| (room, at));
        end += at;
        chars += taken;
        if at < line.len() {
            break;
        }
    }
    let preview = text.get(..end).unwrap_or_default();
    (
        preview.strip_suffix('\n').unwrap_or(preview).to_owned(),
        chars,
    )
}

/// Byte ranges of the lines of `text`, each cut into pieces of at most [`WIDTH`] characters.
fn cut_lines(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let mut piece_start = start;
        for (count, (at, _)) in line.char_indices().enumerate() {
            if count > 0 && count % WIDTH == 0 {
                lines.push(piece_start..start + at);
                piece_start = start + at;
            }
        }
        lines.push(piece_start..start + line.len());
        start += line.len() + 1;
    }
    lines
}

/// `1048576` as `1,048,576`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the view remembers between frames, in egui's memory under the view's id.
#[derive(Clone, Default)]
struct ViewState {
    showing_all: bool,
    save: Option<SaveForm>,
}

#[derive(Clone)]
struct SaveForm {
    path: String,
    /// What the last Save did, in a sentence, and whether it worked.
    outcome: Option<(bool, String)>,
}

/// What is saved and how: the file name offered, and the text (computed only when saving).
pub struct Saving<'a> {
    pub file_name: &'a str,
    /// Said in the save form: what the file holds, e.g. that tokens are redacted.
    pub note: &'a str,
    pub contents: &'a dyn Fn() -> String,
}

/// Draws `text`: all of it when short, else the summary, "Show all", "Save to file…" and the
/// preview.
pub fn show(ui: &mut Ui, id_salt: &str, title: &str, text: &LongText, saving: &Saving<'_>) {
    if text.is_complete() {
        ui.add(egui::Label::new(RichText::new(&text.preview).monospace()).selectable(true));
        return;
    }
    let show_all = format!("Show all {} lines", grouped(text.line_count()));
    controls(
        ui,
        id_salt,
        title,
        &text.summary(title),
        &show_all,
        text,
        saving,
    );
    ui.add_space(4.0);
    ui.add(egui::Label::new(RichText::new(&text.preview).monospace()).selectable(true));
}

/// `summary`, then the `show_all` button (a view of every line, titled `title`) and "Save to
/// file…", for a text whose start the caller shows its own way.
pub fn controls(
    ui: &mut Ui,
    id_salt: &str,
    title: &str,
    summary: &str,
    show_all: &str,
    text: &LongText,
    saving: &Saving<'_>,
) {
    let id = Id::unique(("long-text", id_salt));
    let mut state: ViewState = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    ui.label(RichText::new(summary).weak());
    ui.horizontal(|ui| {
        if ui.button(show_all).clicked() {
            state.showing_all = true;
        }
        save_button(ui, &mut state, saving);
    });
    if state.showing_all {
        all_lines(ui, id, title, text, &mut state, saving);
    }
    if state.save.is_some() {
        save_form(ui, id, title, &mut state, saving);
    }
    ui.data_mut(|d| d.insert_temp(id, state));
}

/// Opens the save form, in place of the view of every line: one modal at a time.
fn save_button(ui: &mut Ui, state: &mut ViewState, saving: &Saving<'_>) {
    if ui.button("Save to file…").clicked() {
        state.showing_all = false;
        state.save = Some(SaveForm {
            path: default_path(saving.file_name).display().to_string(),
            outcome: None,
        });
    }
}

/// Every line, in a modal view that lays out only the rows in sight.
fn all_lines(
    ui: &mut Ui,
    id: Id,
    title: &str,
    text: &LongText,
    state: &mut ViewState,
    saving: &Saving<'_>,
) {
    let screen = ui.ctx().content_rect();
    let modal = egui::Modal::new(id.with("all")).show(ui.ctx(), |ui| {
        ui.set_width((screen.width() - 80.0).max(200.0));
        ui.heading(title);
        ui.label(RichText::new(format!("{}.", text.size(title))).weak());
        ui.separator();
        let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
        // A fixed height: the modal is centred, and one that grew would move its buttons.
        let height = (screen.height() - 200.0).max(100.0);
        egui::ScrollArea::both()
            .id_salt(id.with("rows"))
            .auto_shrink([false, false])
            .min_scrolled_height(height)
            .max_height(height)
            .show_rows(ui, row_height, text.line_count(), |ui, rows| {
                for row in rows {
                    ui.add(
                        egui::Label::new(RichText::new(text.line(row)).monospace())
                            .extend()
                            .selectable(true),
                    );
                }
            });
        ui.separator();
        ui.horizontal(|ui| {
            save_button(ui, state, saving);
            ui.button("Close").clicked()
        })
        .inner
    });
    if modal.inner || modal.should_close() {
        state.showing_all = false;
    }
}

/// Where to save and the Save button; the file is written when pressed.
fn save_form(ui: &mut Ui, id: Id, title: &str, state: &mut ViewState, saving: &Saving<'_>) {
    let Some(form) = &mut state.save else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(id.with("save")).show(ui.ctx(), |ui| {
        ui.set_width(520.0);
        ui.heading(format!("Save the {}", title.to_lowercase()));
        ui.label(saving.note);
        let label = ui.label("File");
        ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                form.outcome = Some(save(Path::new(form.path.trim()), &(saving.contents)()));
            }
            close = ui.button("Close").clicked();
        });
        if let Some((ok, sentence)) = &form.outcome {
            let color = if *ok {
                crate::gui::widgets::green(ui)
            } else {
                ui.visuals().error_fg_color
            };
            ui.colored_label(color, sentence);
        }
    });
    if close || modal.should_close() {
        state.save = None;
    }
}

/// The file offered: in the home folder, named after what it holds.
fn default_path(file_name: &str) -> PathBuf {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map_or_else(
            || PathBuf::from(file_name),
            |home| PathBuf::from(home).join(file_name),
        )
}

/// Writes a new file only its owner can read (an answer names a customer); never replaces one.
fn save(path: &Path, contents: &str) -> (bool, String) {
    if path.as_os_str().is_empty() {
        return (false, "Type where to save the file.".to_owned());
    }
    let written = crate::owner_only::write(path, contents, crate::owner_only::IfExists::Keep);
    match written {
        Ok(()) => (
            true,
            format!(
                "Saved {} bytes to {}.",
                grouped(contents.len()),
                path.display()
            ),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => (
            false,
            format!(
                "{} already exists: choose another name (nothing is replaced).",
                path.display()
            ),
        ),
        Err(e) => (false, format!("Could not save to {}: {e}.", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_short_ones_kept() {
        let text = format!("{}\nshort\n\n{}", "a".repeat(250), "é".repeat(100));
        let long = LongText::new(&text, text.len());
        let lines: Vec<&str> = (0..long.line_count()).map(|i| long.line(i)).collect();
        assert_eq!(
            lines,
            vec![
                "a".repeat(100).as_str(),
                &"a".repeat(100),
                &"a".repeat(50),
                "short",
                "",
                &"é".repeat(100),
            ]
        );
    }

    #[test]
    fn the_preview_is_bounded_and_says_what_is_left_out() {
        let text = "x".repeat(1 << 20);
        let long = LongText::new(&text, text.len());
        assert!(!long.is_complete());
        assert_eq!(long.line_count(), (1 << 20) / WIDTH + 1);
        assert_eq!(long.preview, "x".repeat(2_000));
        assert_eq!(
            long.summary("Raw response"),
            "Raw response: 1,048,576 bytes in 10,486 lines, the first 2,000 characters shown."
        );
        let many = "line\n".repeat(100);
        let long = LongText::new(&many, many.len());
        assert_eq!(long.preview, "line\n".repeat(PREVIEW_LINES).trim_end());
        let text = format!("ab\n{}", "é".repeat(3000));
        let long = LongText::new(&text, text.len());
        assert_eq!(long.preview, format!("ab\n{}", "é".repeat(1997)));
    }

    #[test]
    fn a_short_text_is_shown_whole() {
        let long = LongText::new("{\n  \"a\": 1\n}", 12);
        assert!(long.is_complete());
        assert_eq!(long.preview, "{\n  \"a\": 1\n}");
    }

    #[test]
    fn server_controls_are_escaped_in_every_line() {
        let text = format!("a\u{1b}[2J\0\u{202e}b\r\n{}", "\u{7}".repeat(300));
        let long = LongText::new(&text, text.len());
        assert_eq!(long.line(0), "a\\u{1b}[2J\\0\\u{202e}b\\r");
        for i in 0..long.line_count() {
            assert!(!long.line(i).chars().any(char::is_control), "{i}");
        }
        assert!(!long.preview.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_048_576), "1,048,576");
    }

    #[test]
    fn saving_never_replaces_a_file_and_keeps_it_private() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("raw.txt");
        let (ok, said) = save(&path, "body");
        assert!(ok, "{said}");
        assert!(said.contains("Saved 4 bytes"), "{said}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "body");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (ok, said) = save(&path, "other");
        assert!(!ok);
        assert!(said.contains("already exists"), "{said}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "body");
        let (ok, said) = save(Path::new(""), "x");
        assert!(!ok && said.contains("Type where"), "{said}");
    }
}
