//! The Commerce Layer auth protocol, with no I/O: requests, answers, tokens, explanations.

pub mod error;
pub mod explain;
pub mod grant;
pub mod jwt;
pub mod outcome;
pub mod scope;
pub mod token;

pub use grant::{Encoding, Grant, InputError, RequestDraft, RequestSummary, TokenRequest};
pub use jwt::{Jwt, Mode, Signature};
pub use outcome::{Outcome, OutcomeKind, Problem};
pub use token::Issued;
