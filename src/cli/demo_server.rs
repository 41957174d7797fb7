//! `demo-server`: the local fake auth host, until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::print::usage_error;
use crate::demo::{self, DemoConfig, RateLimit};

#[derive(Debug, Args)]
pub struct DemoServerArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Answer 429 above this many token requests per period, e.g. 30/min or 5/10s.
    #[arg(long, value_name = "N/PERIOD")]
    pub rate_limit: Option<RateLimit>,
}

pub async fn run(args: DemoServerArgs) -> ExitCode {
    let server = match demo::start(DemoConfig {
        port: args.port,
        rate_limit: args.rate_limit,
    })
    .await
    {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    println!("{}", server.credentials_text());
    if let Some(limit) = args.rate_limit {
        println!(
            "rate limit   {} token requests per {:?} (429 with Retry-After above it)",
            limit.max, limit.period
        );
    }
    println!("Press Ctrl-C to stop.");
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    ExitCode::SUCCESS
}
