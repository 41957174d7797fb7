//! cl-login-tester: test Commerce Layer customer logins.
//!
//! One core (`auth`, `client`, `attempt`, `keys`, `lifecycle`) with thin faces (`cli`, `gui`) and
//! a local demo server (`demo`) that the tests and `--demo` share. Profiles (`profiles`) keep
//! client IDs in the OS keyring.

pub mod attempt;
pub mod auth;
pub mod batch;
pub mod cli;
pub mod client;
pub mod clock;
pub mod demo;
pub mod gui;
pub mod keys;
pub mod lifecycle;
pub mod pacing;
pub mod profiles;

pub use attempt::Attempt;
