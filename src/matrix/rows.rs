//! The matrix's rows: scopes from repeated `--scope` and from a file with one row per line
//! (`#` comments and blank lines allowed; several scopes on one line are one row), each checked
//! with the usual scope rules before anything is sent.

use crate::auth::scope::{join_scopes, parse_scopes, split_scopes};

/// A row that is not a scope: where it came from and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {reason}")]
pub struct ScopeRowError {
    /// "--scope `market:x`", "scopes.txt line 4".
    pub place: String,
    pub reason: String,
}

/// The rows: `flags` first, then the lines of `file` (named `file_name` in messages).
pub fn parse_scope_rows(
    flags: &[String],
    file: Option<(&str, &str)>,
) -> Result<Vec<String>, ScopeRowError> {
    let mut rows = Vec::new();
    for flag in flags {
        rows.push(checked(flag, || format!("--scope `{}`", flag.trim()))?);
    }
    if let Some((file_name, text)) = file {
        for (index, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            rows.push(checked(content, || {
                format!("{file_name} line {}", index + 1)
            })?);
        }
    }
    if rows.is_empty() {
        return Err(ScopeRowError {
            place: "the matrix".to_owned(),
            reason: "no scope to check: give --scope (repeat it) or --scopes-from FILE".to_owned(),
        });
    }
    Ok(rows)
}

fn checked(text: &str, place: impl FnOnce() -> String) -> Result<String, ScopeRowError> {
    let parts: Vec<&str> = split_scopes(text).collect();
    let scopes = parse_scopes(&parts).map_err(|e| ScopeRowError {
        place: place(),
        reason: e.to_string(),
    })?;
    Ok(join_scopes(&scopes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_file_lines_become_rows_with_comments_and_blanks_skipped() {
        let file = "# EU markets\nmarket:code:europe\n\nmarket:code:b2b stock_location:code:eu-warehouse # together\n";
        let rows = parse_scope_rows(&["market:code:usa".to_owned()], Some(("scopes.txt", file)))
            .expect("rows");
        assert_eq!(
            rows,
            [
                "market:code:usa",
                "market:code:europe",
                "market:code:b2b stock_location:code:eu-warehouse"
            ]
        );
    }

    #[test]
    fn a_bad_scope_is_named_with_its_line() {
        let err = parse_scope_rows(&[], Some(("scopes.txt", "market:code:eu\nmarket:nope\n")))
            .expect_err("bad");
        assert_eq!(err.place, "scopes.txt line 2");
        let err = parse_scope_rows(&["store:".to_owned()], None).expect_err("bad");
        assert!(err.place.starts_with("--scope"), "{err}");
    }

    #[test]
    fn no_scope_at_all_is_an_error() {
        assert!(parse_scope_rows(&[], Some(("f", "# nothing\n"))).is_err());
    }
}
