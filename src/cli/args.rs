//! The flags several commands share: where the auth host is, and what a token request asks.

use std::path::PathBuf;

use clap::Args;

use crate::auth::request::DEFAULT_TIMEOUT;
use crate::auth::url::DEFAULT_BASE_URL;
use crate::profiles::ProfileName;
use crate::report::{Format, Masking};

/// Where the auth host is and how long to wait for it.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// The auth host, or the full token URL. Plain http only to localhost. [default: the
    /// profile's, else https://auth.commercelayer.io]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Seconds for the whole request (connecting takes at most 10 of them).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    pub timeout: u64,
}

impl ServerArgs {
    /// The base URL given, else the default host.
    pub fn base_url(&self) -> &str {
        self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)
    }
}

/// Which sales channel a command speaks for: a saved profile, a client ID, or both.
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// Take the client ID, base URL and scopes from this saved profile; flags given here win.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<ProfileName>,

    /// The sales channel's client ID. Required unless --profile is given.
    #[arg(long, value_name = "ID", required_unless_present = "profile")]
    pub client_id: Option<String>,
}

/// The flags every token request shares (login, refresh, guest).
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub client: ClientArgs,

    /// Scope, e.g. market:code:europe or stock_location:id:abc. Repeat for several (joined with a
    /// space). Given here, they replace the profile's scopes.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Send the body as application/x-www-form-urlencoded instead of JSON (RFC 6749 servers).
    #[arg(long)]
    pub form: bool,

    /// Send the scope even if it does not look like a scope (to test how the server reacts).
    #[arg(long)]
    pub no_scope_check: bool,

    /// Print one JSON object (documented in the README) instead of text. It includes the tokens.
    #[arg(long)]
    pub json: bool,

    /// Also print the access and refresh tokens in the text output.
    #[arg(long)]
    pub show_token: bool,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// A support report instead of (or beside) the usual output: no password, no token.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print a support report (Markdown for a ticket, or JSON) instead of the usual output;
    /// the exit code stays the command's.
    #[arg(long, value_name = "FORMAT", conflicts_with_all = ["json", "show_token"])]
    pub report: Option<Format>,

    /// Also write the report to FILE (readable by you only), in --report's format, else by
    /// the file's extension (.json, else Markdown).
    #[arg(long, value_name = "FILE")]
    pub report_file: Option<PathBuf>,

    /// Show the customer's email as j***@example.com in the report.
    #[arg(long)]
    pub mask_email: bool,

    /// Show the whole client ID in the report (else its first 6 and last 4 characters).
    #[arg(long)]
    pub reveal_client_id: bool,
}

impl ReportArgs {
    pub fn masking(&self) -> Masking {
        Masking {
            reveal_client_id: self.reveal_client_id,
            mask_email: self.mask_email,
        }
    }

    /// The format of the report file: --report's, else by the file's extension.
    pub fn file_format(&self) -> Format {
        self.report.unwrap_or_else(|| {
            self.report_file
                .as_deref()
                .map_or(Format::Md, Format::of_path)
        })
    }
}
