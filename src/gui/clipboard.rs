//! The system clipboard behind a small trait, so tests can read what a copy button put there,
//! and what the window put on it: the copy to confirm, and a token to clear when its time is up.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use egui::Context;

/// How long "Copied" shows next to a copy button.
const CONFIRMATION: Duration = Duration::from_millis(1500);
/// How long a copied token stays on the clipboard (when the setting is on).
const SENSITIVE_LIFETIME: Duration = Duration::from_secs(30);

pub trait Clipboard {
    /// Puts `text` on the clipboard. `sensitive` asks clipboard managers not to keep it in their
    /// history (tokens, the curl command with a password).
    fn set(&mut self, text: &str, sensitive: bool) -> Result<(), String>;
    /// What the clipboard holds now, if it is text.
    fn get(&mut self) -> Option<String>;
    fn clear(&mut self);
}

/// The OS clipboard via arboard, opened on first use (start-up stays fast) and kept alive for
/// the app's life (on X11 the copied text disappears with its owner).
#[derive(Default)]
pub struct SystemClipboard {
    inner: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    fn open(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.inner.is_none() {
            self.inner = Some(
                arboard::Clipboard::new()
                    .map_err(|e| format!("the clipboard is not available: {e}"))?,
            );
        }
        self.inner
            .as_mut()
            .ok_or_else(|| "the clipboard is not available".to_owned())
    }
}

impl Clipboard for SystemClipboard {
    fn set(&mut self, text: &str, sensitive: bool) -> Result<(), String> {
        let clipboard = self.open()?;
        let set = clipboard.set();
        #[cfg(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        ))]
        let set = if sensitive {
            arboard::SetExtLinux::exclude_from_history(set)
        } else {
            set
        };
        #[cfg(target_os = "windows")]
        let set = if sensitive {
            arboard::SetExtWindows::exclude_from_history(set)
        } else {
            set
        };
        #[cfg(target_os = "macos")]
        let set = if sensitive {
            arboard::SetExtApple::exclude_from_history(set)
        } else {
            set
        };
        let _ = sensitive;
        set.text(text.to_owned())
            .map_err(|e| format!("could not copy: {e}"))
    }

    fn get(&mut self) -> Option<String> {
        self.open().ok()?.get_text().ok()
    }

    fn clear(&mut self) {
        if let Ok(clipboard) = self.open() {
            let _ = clipboard.clear();
        }
    }
}

/// A clipboard in memory, shared with the test that made it.
#[derive(Clone, Default)]
pub struct MemoryClipboard {
    pub content: Arc<Mutex<Option<(String, bool)>>>,
}

impl MemoryClipboard {
    /// The text and whether it was marked sensitive.
    pub fn content(&self) -> Option<(String, bool)> {
        self.content
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Clipboard for MemoryClipboard {
    fn set(&mut self, text: &str, sensitive: bool) -> Result<(), String> {
        *self.content.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((text.to_owned(), sensitive));
        Ok(())
    }

    fn get(&mut self) -> Option<String> {
        self.content().map(|(text, _)| text)
    }

    fn clear(&mut self) {
        *self.content.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// What the window put on the clipboard: the copy confirmed next to its button (`I` names the
/// buttons), a failure to copy, and a sensitive text to clear once its time is up.
pub struct Copies<I> {
    clipboard: Box<dyn Clipboard>,
    last: Option<(I, Instant)>,
    error: Option<String>,
    /// A sensitive text we put on the clipboard, to clear when it is still there at the deadline.
    to_clear: Option<(Instant, String)>,
}

impl<I: Copy + PartialEq> Copies<I> {
    pub fn new(clipboard: Box<dyn Clipboard>) -> Self {
        Self {
            clipboard,
            last: None,
            error: None,
            to_clear: None,
        }
    }

    /// Puts `text` on the clipboard for the button `item`. A `sensitive` text is hidden from
    /// clipboard managers' history and, with `clear_later`, cleared after 30 s.
    pub fn copy(
        &mut self,
        ctx: &Context,
        item: I,
        text: String,
        sensitive: bool,
        clear_later: bool,
    ) {
        match self.clipboard.set(&text, sensitive) {
            Ok(()) => {
                self.error = None;
                self.last = Some((item, Instant::now()));
                ctx.request_repaint_after(CONFIRMATION);
                if sensitive && clear_later {
                    self.to_clear = Some((Instant::now() + SENSITIVE_LIFETIME, text));
                    ctx.request_repaint_after(SENSITIVE_LIFETIME);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// The button whose copy happened a moment ago, to confirm next to it.
    pub fn just_copied(&self) -> Option<I> {
        self.last
            .filter(|(_, at)| at.elapsed() < CONFIRMATION)
            .map(|(item, _)| item)
    }

    /// Why the last copy failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Clears a copied token once its time is up, unless the user copied something else since.
    pub fn expire(&mut self, ctx: &Context) {
        let Some((deadline, _)) = &self.to_clear else {
            return;
        };
        let now = Instant::now();
        if now < *deadline {
            ctx.request_repaint_after(*deadline - now);
            return;
        }
        self.clear_now();
    }

    /// Clears a copied token still on the clipboard now: it must not outlive the window.
    pub fn clear_now(&mut self) {
        if let Some((_, ours)) = self.to_clear.take() {
            if self.clipboard.get().as_deref() == Some(ours.as_str()) {
                self.clipboard.clear();
            }
        }
    }
}
