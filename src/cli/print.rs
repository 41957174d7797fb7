//! What every command writes: results on stdout (pipe-safe), problems on stderr.

use std::io::Write;
use std::process::ExitCode;

use super::exit::Exit;

/// Writes what a command prints; a closed pipe (`| head`) is not an error.
pub fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the result: {e}");
        }
    }
}

/// A problem found before anything was sent: says it on stderr, and exit 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    Exit::Usage.into()
}

/// This machine could not set up what the command needs (the async runtime, TLS): exit 3.
pub fn setup_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    Exit::Failed.into()
}
