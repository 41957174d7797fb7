//! Report files: written where the person chose, readable by them only (a report names a
//! customer), by the CLI's `--report-file` and the window's "Save report…" alike.

pub use crate::owner_only::IfExists;
use std::path::Path;

/// Writes `text` to `path`, readable and writable by its owner only, also when it replaces a
/// regular file that others could read.
pub fn write_owner_only(path: &Path, text: &str, if_exists: IfExists) -> std::io::Result<()> {
    crate::owner_only::write(path, text, if_exists)
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
