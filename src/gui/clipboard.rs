//! The system clipboard behind a small trait, so tests can read what a copy button put there.

use std::sync::{Arc, Mutex, PoisonError};

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
