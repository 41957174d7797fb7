//! cl-login-tester: test Commerce Layer customer logins.
//!
//! One core with thin faces (`cli`, `gui`) and a local demo server (`demo`) that the tests and
//! `--demo` share:
//! - `auth`: the protocol, no I/O (requests, answers, tokens, explanations);
//! - `attempt`: one request and what came back, and the requests that follow from it;
//! - `auth_host`: talking to the auth host (HTTP transport, signing keys);
//! - `batch`: bulk checks of many logins from a CSV, paced by `pacing` at the rate limit;
//! - `diagnosis`: the few requests that name the input at fault after a failed login;
//! - `profiles`: client IDs kept in the OS keyring;
//! - `report`: redacted support reports (Markdown, JSON) and the history kept of them;
//! - `facts`: one face-neutral account of an attempt, worded once, that every face renders;
//! - `clock`: time as people read it.

pub mod attempt;
pub mod auth;
pub mod auth_host;
pub mod batch;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod diagnosis;
pub mod facts;
pub mod gui;
pub mod pacing;
pub mod profiles;
pub mod report;

pub use attempt::Attempt;
