// On Windows the binary is a GUI-subsystem program, so starting it from the Start menu opens no
// console window; attach_parent_console lets the CLI print in the terminal it was run from.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

use cl_login_tester::cli::{self, Cli};

fn main() -> ExitCode {
    #[cfg(windows)]
    attach_parent_console();
    std::panic::set_hook(Box::new(report_panic));
    forced_panic_for_tests();
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => cli::open_window(args.demo),
    }
}

/// A GUI-subsystem process starts without a console. When its parent has one (cmd, PowerShell,
/// Windows Terminal), attaching to it gives the standard handles a place to go, so `--help`,
/// the CLI's output and the window's start-up errors appear there. Handles the parent already
/// redirected (pipes, files) are kept. From the Start menu there is no parent console and
/// nothing happens.
#[cfg(windows)]
#[allow(unsafe_code)] // one FFI call; see the SAFETY note
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: AttachConsole takes a process id by value and reads or writes no memory of ours.
    // Its only effect is on this process's console, which nothing has used yet (this runs first
    // in main), and it fails harmlessly, returning 0, when the parent has no console.
    let _attached = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
}

/// Says that the tool hit a bug and where, never what the panic carried: a payload is any text
/// a bug formatted, and could hold a password or a token.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let place = info.location().map_or_else(
        || "an unknown place".to_owned(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    eprintln!(
        "error: cl-login-tester hit a bug at {place} and stopped. Its message is not shown, since \
         it could hold a password or a token; please report the place above."
    );
}

/// `CL_TEST_PANIC=TEXT` makes the tool panic at start with TEXT as the message, so a test can
/// show that [`report_panic`] prints no secret a panic carries (tests/secret_sweep.rs). Nothing
/// else reads it.
fn forced_panic_for_tests() {
    if let Some(text) = std::env::var_os("CL_TEST_PANIC") {
        #[allow(clippy::panic)]
        {
            panic!("forced by CL_TEST_PANIC: {}", text.to_string_lossy());
        }
    }
}
