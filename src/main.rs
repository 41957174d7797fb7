use std::process::ExitCode;

use clap::Parser;

use cl_login_tester::cli::{self, Cli};

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    forced_panic_for_tests();
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => cli::open_window(args.demo),
    }
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
