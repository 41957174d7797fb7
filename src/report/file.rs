//! Report files: written where the person chose, readable by them only (a report names a
//! customer), by the CLI's `--report-file` and the window's "Save report…" alike.

use std::io::Write;
use std::path::Path;

/// What to do when the file is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    Replace,
    /// Leave it alone and fail with `ErrorKind::AlreadyExists`: the window asks first.
    Keep,
}

/// Writes `text` to `path`, readable and writable by its owner only, also when it replaces a
/// regular file that others could read.
pub fn write_owner_only(path: &Path, text: &str, if_exists: IfExists) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
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
    let mut file = options.open(path)?;
    // The mode above applies to new files only. Only a regular file is tightened: a report
    // sent to /dev/stdout must not change the terminal's permissions.
    #[cfg(unix)]
    if file.metadata()?.is_file() {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_file_is_the_owners_only_and_kept_unless_replaced() {
        let folder = tempfile::tempdir().expect("dir");
        let path = folder.path().join("report.md");
        std::fs::write(&path, "someone else's notes").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }
        let refused = write_owner_only(&path, "report", IfExists::Keep).expect_err("kept");
        assert_eq!(refused.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "someone else's notes"
        );
        write_owner_only(&path, "report", IfExists::Replace).expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "report");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o600,
                "a replaced file becomes the owner's only"
            );
        }
    }
}
