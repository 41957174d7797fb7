//! cl-login-tester: test Commerce Layer customer logins.
//!
//! One core with thin faces (`cli`, `gui`) and a local demo server (`demo`) that the tests and
//! `--demo` share:
//! - `auth`: the protocol, no I/O (requests, answers, tokens, explanations);
//! - `attempt`: one request and what came back, and the requests that follow from it;
//! - `auth_host`: talking to the auth host (HTTP transport, signing keys);
//! - `batch`: bulk checks of many logins from a CSV, paced by `pacing` at the rate limit;
//! - `diagnosis`: the few requests that name the input at fault after a failed login;
//! - `matrix`: which markets and stock locations a login reaches, customer and guest side by side;
//! - `profiles`: client IDs kept in the OS keyring;
//! - `report`: redacted support reports (Markdown, JSON) and the history kept of them;
//! - `facts`: one face-neutral account of an attempt, worded once, that every face renders;
//! - `clock`: time as people read it;
//! - `data_folder`: where preferences and the history are kept;
//! - `wiping_allocator`: freed memory wiped, so a dropped secret is gone.

pub mod attempt;
pub mod auth;
pub mod auth_host;
pub mod batch;
pub mod cli;
pub mod clock;
pub mod data_folder;
pub mod demo;
pub mod diagnosis;
pub mod facts;
pub mod gui;
pub mod matrix;
pub mod owner_only;
pub mod pacing;
pub mod profiles;
pub mod report;
pub mod wiping_allocator;

pub use attempt::Attempt;
