//! Generated customers for bulk checks: `qa001@example.com` .. `qa500@example.com`, with known
//! passwords, so a new user can try a list of hundreds (examples/bulk-200.csv) on the demo.
//!
//! Most share [`QA_PASSWORD`]. Those whose number ends in 0 have [`QA_OTHER_PASSWORD`], so a
//! shared password is refused for them; those whose number ends in 7 are disabled and every
//! login of theirs is refused.

use std::sync::LazyLock;

use super::catalog::Customer;

pub const QA_COUNT: u32 = 500;
pub const QA_PASSWORD: &str = "qa-password";
pub const QA_OTHER_PASSWORD: &str = "qa-other-password";

/// `qa007@example.com`.
pub fn qa_email(number: u32) -> String {
    format!("qa{number:03}@example.com")
}

/// The password that logs customer `number` in.
pub fn qa_password(number: u32) -> &'static str {
    if number % 10 == 0 {
        QA_OTHER_PASSWORD
    } else {
        QA_PASSWORD
    }
}

/// Whether customer `number` is disabled: refused whatever the password.
pub fn qa_disabled(number: u32) -> bool {
    number % 10 == 7
}

struct Text {
    email: String,
    id: String,
}

static TEXT: LazyLock<Vec<Text>> = LazyLock::new(|| {
    (1..=QA_COUNT)
        .map(|n| Text {
            email: qa_email(n),
            id: format!("qAcUsT{n:04}"),
        })
        .collect()
});

static CUSTOMERS: LazyLock<Vec<Customer>> = LazyLock::new(|| {
    TEXT.iter()
        .zip(1..)
        .map(|(text, n)| Customer {
            email: &text.email,
            password: Some(qa_password(n)),
            id: &text.id,
            b2b: false,
            disabled: qa_disabled(n),
        })
        .collect()
});

/// The generated customer with this email (any case), if it is one.
pub fn customer(email: &str) -> Option<&'static Customer> {
    let email = email.trim().to_ascii_lowercase();
    let digits = email.strip_prefix("qa")?.strip_suffix("@example.com")?;
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: usize = digits.parse().ok()?;
    CUSTOMERS.get(number.checked_sub(1)?)
}

pub fn customer_by_id(id: &str) -> Option<&'static Customer> {
    let number: usize = id.strip_prefix("qAcUsT")?.parse().ok()?;
    CUSTOMERS
        .get(number.checked_sub(1)?)
        .filter(|customer| customer.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_hundred_customers_with_known_passwords() {
        let first = customer("QA001@example.com").expect("qa001");
        assert_eq!(first.password, Some(QA_PASSWORD));
        assert!(!first.disabled);
        assert_eq!(customer_by_id(first.id).map(|c| c.email), Some(first.email));
        let tenth = customer(&qa_email(10)).expect("qa010");
        assert_eq!(tenth.password, Some(QA_OTHER_PASSWORD));
        assert!(customer(&qa_email(7)).expect("qa007").disabled);
        assert!(customer(&qa_email(500)).is_some());
        for unknown in ["qa000@example.com", "qa501@example.com", "qa01@example.com"] {
            assert!(customer(unknown).is_none(), "{unknown}");
        }
    }
}
