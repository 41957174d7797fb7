//! cl-login-tester: test Commerce Layer customer logins.
//!
//! One core (`auth`, `client`, `attempt`, `keys`, `lifecycle`) with thin faces (`cli`, `gui`) and
//! a local demo server (`demo`) that the tests and `--demo` share.

pub mod attempt;
pub mod auth;
pub mod cli;
pub mod client;
pub mod clock;
pub mod demo;
pub mod gui;
pub mod keys;
pub mod lifecycle;

pub use attempt::Attempt;
