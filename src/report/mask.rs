//! Masking for reports: enough of a client ID or an email to recognize it, not to use it.

/// The first 6 and last 4 characters of a client ID (`dEmOaP…QhJa`); a short one keeps only its
/// first 2, so a mask never shows most of it.
pub fn mask_client_id(client_id: &str) -> String {
    let chars: Vec<char> = client_id.chars().collect();
    if chars.len() > 12 {
        let head: String = chars.iter().take(6).collect();
        let tail: String = chars.iter().skip(chars.len() - 4).collect();
        format!("{head}…{tail}")
    } else {
        let head: String = chars.iter().take(2).collect();
        format!("{head}…")
    }
}

/// `j***@example.com`: the first character of the name and the whole domain (which tells the
/// merchant's customer groups apart without naming the customer).
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((name, domain)) => {
            let first: String = name.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => {
            let first: String = email.chars().take(1).collect();
            format!("{first}***")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_keeps_six_and_four() {
        assert_eq!(mask_client_id("demo-test-sales-channel"), "demo-t…nnel");
        assert_eq!(mask_client_id("short-id"), "sh…");
        assert_eq!(mask_client_id(""), "…");
    }

    #[test]
    fn an_email_keeps_its_first_letter_and_domain() {
        assert_eq!(mask_email("jane@example.com"), "j***@example.com");
        assert_eq!(mask_email("zoë+qa@example.com"), "z***@example.com");
        assert_eq!(mask_email("no-at-sign"), "n***");
    }
}
