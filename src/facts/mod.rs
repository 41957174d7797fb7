//! One face-neutral account of what happened, worded once: the CLI text, the window, the
//! Markdown and JSON reports all render these facts and re-derive nothing from an
//! [`Attempt`](crate::attempt::Attempt). Every text that came from a server is already
//! [`shown`] (control and bidi characters escaped), so no face can print it raw.

mod attempt;
pub mod named_ids;
pub mod shown;

pub use attempt::{AttemptFacts, JwtFacts, ProblemFacts, SignatureFacts, TokenFacts};
pub use shown::{shown, shown_block};

/// `ids` joined with ", ", or what an empty list means.
fn id_list(ids: &[String], none: &str) -> String {
    if ids.is_empty() {
        none.to_owned()
    } else {
        ids.iter()
            .map(|id| shown(id).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The server's clock against this machine's, in one sentence.
pub fn skew_sentence(skew_s: i64) -> String {
    let (by, way) = if skew_s > 0 {
        (skew_s, "ahead of")
    } else {
        (-skew_s, "behind")
    };
    format!("The server's clock is {by} s {way} this machine's: expiry times may look wrong.")
}

/// A text as a sentence on its own: capitalized, with its full stop (errors and explanations
/// are written to follow a colon).
pub fn sentence(text: impl std::fmt::Display) -> String {
    let text = text.to_string();
    let mut chars = text.chars();
    let mut sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return text,
    };
    if !sentence.ends_with(['.', '?', '!']) {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Signature;

    #[test]
    fn a_sentence_is_capitalized_and_ends_once() {
        assert_eq!(
            sentence(Signature::KeysUnreachable.describe()),
            "The issuer's public keys could not be fetched (offline?)."
        );
        assert_eq!(
            sentence("no answer. Check the network."),
            "No answer. Check the network."
        );
        assert_eq!(sentence("really?"), "Really?");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn the_skew_says_which_way() {
        assert!(skew_sentence(42).contains("42 s ahead of"));
        assert!(skew_sentence(-90).contains("90 s behind"));
    }
}
