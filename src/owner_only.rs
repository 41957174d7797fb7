//! Files only their owner can read: every file this tool writes (support reports, the kept
//! history, bulk-check results, a saved answer) names a customer, so none is readable by others.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// What to do when the file is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    Replace,
    /// Leave it alone and fail with `ErrorKind::AlreadyExists` (the window asks first; a
    /// bulk check never overwrites results).
    Keep,
}

/// Opens `path` for writing, readable and writable by its owner only, also when it replaces a
/// regular file that others could read.
pub fn create(path: &Path, if_exists: IfExists) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    match if_exists {
        IfExists::Replace => options.create(true).truncate(true),
        IfExists::Keep => options.create_new(true),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // The mode above applies to new files only. Only a regular file is tightened: a report
    // sent to /dev/stdout must not change the terminal's permissions.
    #[cfg(unix)]
    if file.metadata()?.is_file() {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Writes `text` to `path` through [`create`].
pub fn write(path: &Path, text: &str, if_exists: IfExists) -> io::Result<()> {
    create(path, if_exists)?.write_all(text.as_bytes())
}
