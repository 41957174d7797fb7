//! A customer login and a guest token asked with the same client ID and scope, read together.

use crate::attempt::Attempt;
use crate::auth::{compare, Verdict};

/// A customer login and a guest token asked with the same client ID and scope, side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub customer: Attempt,
    pub guest: Attempt,
    pub verdict: Verdict,
}

impl Comparison {
    /// Reads two answers together: a login already shown, and the guest token asked for after
    /// it with [`guest_request`] (the login is not sent again).
    pub fn new(customer: Attempt, guest: Attempt) -> Self {
        let verdict = compare(&customer.outcome, &guest.outcome);
        Self {
            customer,
            guest,
            verdict,
        }
    }
}
