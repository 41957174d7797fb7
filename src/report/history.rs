//! The attempts kept between sessions, when the user turns that on: redacted reports only (no
//! password, no token, the client ID and the email masked), the newest [`MAX_ENTRIES`], one
//! JSON object per line in the app's data folder, readable by the owner only.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Masking, Report};
use crate::attempt::Attempt;

/// How many attempts are kept; older ones are dropped as new ones come.
pub const MAX_ENTRIES: usize = 200;

/// The file's name in the app's data folder.
pub const FILE_NAME: &str = "history.jsonl";

/// What a kept attempt may show: always masked, whatever the report settings.
const KEPT: Masking = Masking {
    reveal_client_id: false,
    mask_email: true,
};

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no data folder for this user (HOME is not set)")]
    NoFolder,
    #[error("could not read the history at {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("could not write the history at {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What was read: the entries, oldest first, and how many lines could not be read.
#[derive(Debug, Default)]
pub struct Kept {
    pub entries: Vec<Report>,
    pub unreadable: usize,
}

/// The history file.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
}

impl History {
    /// The history in the app's data folder (the one eframe keeps the window's preferences in).
    pub fn in_data_folder() -> Result<Self, HistoryError> {
        let folder = crate::data_folder::data_folder().ok_or(HistoryError::NoFolder)?;
        Ok(Self::at(folder.join(FILE_NAME)))
    }

    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_error(&self, source: std::io::Error) -> HistoryError {
        HistoryError::Read {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn write_error(&self, source: std::io::Error) -> HistoryError {
        HistoryError::Write {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// The kept attempts, oldest first; a missing file is an empty history.
    pub fn load(&self) -> Result<Kept, HistoryError> {
        let file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kept::default()),
            Err(e) => return Err(self.read_error(e)),
        };
        let mut kept = Kept::default();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| self.read_error(e))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Report>(&line) {
                Ok(report) => kept.entries.push(report),
                Err(_) => kept.unreadable += 1,
            }
        }
        Ok(kept)
    }

    /// Adds an attempt, as a redacted report, dropping the oldest past [`MAX_ENTRIES`].
    pub fn append(&self, attempt: &Attempt, now: SystemTime) -> Result<(), HistoryError> {
        let mut entries = self.load()?.entries;
        entries.push(Report::of_attempt(attempt, KEPT, now));
        let excess = entries.len().saturating_sub(MAX_ENTRIES);
        entries.drain(..excess);
        self.write_all(&entries)
    }

    /// Forgets every kept attempt.
    pub fn clear(&self) -> Result<(), HistoryError> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.write_error(e)),
        }
    }

    /// Writes a new file beside the old one and renames it over, so a crash leaves one whole
    /// history; owner-only from the first byte.
    fn write_all(&self, entries: &[Report]) -> Result<(), HistoryError> {
        if let Some(folder) = self.path.parent() {
            fs::create_dir_all(folder).map_err(|e| self.write_error(e))?;
        }
        let fresh = self.path.with_extension("jsonl.new");
        let mut file = owner_only(&fresh).map_err(|e| self.write_error(e))?;
        let mut text = String::new();
        for entry in entries {
            if let Ok(line) = serde_json::to_string(entry) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| self.write_error(e))?;
        fs::rename(&fresh, &self.path).map_err(|e| self.write_error(e))
    }
}

/// A new file only its owner can read (the fresh copy renamed over the history).
fn owner_only(path: &Path) -> std::io::Result<fs::File> {
    crate::owner_only::create(path, crate::owner_only::IfExists::Replace)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::attempt::canned;
    use crate::auth::Grant;

    fn attempt(email: &str) -> Attempt {
        let grant = Grant::Password {
            username: email.to_owned(),
            password: "secret-password".to_owned().into(),
        };
        let request = canned::request(
            "https://auth.commercelayer.io",
            "a-long-client-id-of-a-sales-channel",
            grant,
            None,
        );
        let body = r#"{"access_token":"secret-token","refresh_token":"secret-refresh"}"#;
        canned::answered(
            request,
            SystemTime::now(),
            Duration::from_millis(3),
            200,
            body,
        )
    }

    #[test]
    fn kept_attempts_are_masked_capped_and_owner_only() {
        let folder = tempfile::tempdir().expect("dir");
        let history = History::at(folder.path().join("history.jsonl"));
        for i in 0..MAX_ENTRIES + 3 {
            history
                .append(&attempt(&format!("user{i}@example.com")), SystemTime::now())
                .expect("kept");
        }
        let kept = history.load().expect("read");
        assert_eq!(kept.entries.len(), MAX_ENTRIES);
        assert_eq!(
            kept.entries
                .first()
                .and_then(|r| r.attempt.email.as_deref()),
            Some("u***@example.com"),
            "the oldest went"
        );
        let text = fs::read_to_string(history.path()).expect("file");
        for secret in [
            "secret-token",
            "secret-refresh",
            "secret-password",
            "a-long-client-id-of-a-sales-channel",
            "user3@",
        ] {
            assert!(!text.contains(secret), "{secret} kept");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(history.path())
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        history.clear().expect("cleared");
        assert!(history.load().expect("read").entries.is_empty());
    }

    #[test]
    fn a_damaged_line_does_not_hide_the_others() {
        let folder = tempfile::tempdir().expect("dir");
        let history = History::at(folder.path().join("history.jsonl"));
        history
            .append(&attempt("a@b.c"), SystemTime::now())
            .expect("kept");
        let mut text = fs::read_to_string(history.path()).expect("file");
        text.push_str("{not json\n");
        fs::write(history.path(), text).expect("write");
        let kept = history.load().expect("read");
        assert_eq!((kept.entries.len(), kept.unreadable), (1, 1));
    }
}
