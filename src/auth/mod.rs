//! The Commerce Layer auth protocol, with no I/O: requests, answers, tokens, explanations.

pub mod compare;
pub mod error;
pub mod explain;
pub mod grant;
pub mod jwt;
pub mod outcome;
pub mod scope;
pub mod token;

pub use compare::{compare, Finding, Verdict};
pub use grant::{
    Encoding, Endpoint, Grant, InputError, RequestDraft, RequestSummary, RevokeDraft,
    RevokeRequest, TokenRequest,
};
pub use jwt::{Jwt, Mode, Signature, SignatureCheck};
pub use outcome::{Outcome, OutcomeKind, Problem};
pub use token::{Issued, Validity};
