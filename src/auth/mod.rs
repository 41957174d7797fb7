//! The Commerce Layer auth protocol, with no I/O: where requests go (`url`), what they ask
//! (`request`, `revoke`) and the bytes sent (`wire`), what comes back (`error_body`, `token`,
//! `jwt`) and how it is classified (`outcome`) and explained (`explain`, `compare`).

pub mod compare;
pub mod curl;
pub mod error_body;
pub mod excerpt;
pub mod explain;
pub mod jwt;
pub mod outcome;
pub mod request;
pub mod revoke;
pub mod scope;
pub mod token;
pub mod url;
mod wire;

pub use compare::{compare, Finding, Verdict};
pub use jwt::{Jwt, Mode, Signature, SignatureCheck};
pub use outcome::{Outcome, OutcomeKind, Problem};
pub use request::{
    Encoding, Endpoint, Grant, InputError, RequestDraft, RequestSummary, Required, TokenRequest,
};
pub use revoke::{RevokeDraft, RevokeRequest};
pub use token::{Issued, Validity};
