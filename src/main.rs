use std::process::ExitCode;

use clap::Parser;

use cl_login_tester::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => cli::open_window(args.demo),
    }
}
