//! The flow login, refresh, guest and diagnose share: the profile, the secret, the checked
//! request, one printed answer (or report), and the token's mode recorded in the profile it
//! came from.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use super::args::TokenArgs;
use super::exit::Exit;
use super::print::{emit, setup_error, usage_error};
use super::target::Target;
use super::{output, profiles};
use crate::attempt::{Attempt, Tokens};
use crate::auth::request::Checked;
use crate::auth::url::token_url;
use crate::auth::{Encoding, Grant, RequestDraft};
use crate::auth_host::{AuthHost, Transport};
use crate::profiles::{KeyringProfiles, Profile, ProfileStore};
use crate::report::file::{write_owner_only, IfExists};
use crate::report::Report;

/// A token request ready to send: checked with every face's rules, with the profile it came
/// from (if any) to record the token's mode in.
pub struct Prepared {
    store: Option<KeyringProfiles>,
    profile: Option<Profile>,
    target: Target,
    pub checked: Checked,
}

/// The profile (the keyring is touched only with `--profile`, so plain logins stay as fast as
/// curl), the URL checked before anyone types a secret for it, then the secret `grant` reads,
/// then the request checked; every problem is said and becomes the exit code.
pub fn prepare(
    args: &TokenArgs,
    grant: impl FnOnce() -> Result<Grant, String>,
) -> Result<Prepared, ExitCode> {
    let store = args
        .client
        .profile
        .as_ref()
        .map(|_| KeyringProfiles::platform());
    let profile = match (&args.client.profile, &store) {
        (Some(name), Some(store)) => Some(store.get(name).map_err(|e| profiles::failure(&e))?),
        _ => None,
    };
    let target = Target::of_args(args, profile.as_ref());
    token_url(&target.base_url).map_err(usage_error)?;
    let grant = grant().map_err(usage_error)?;
    let draft = RequestDraft {
        base_url: &target.base_url,
        client_id: &target.client_id,
        grant,
        scopes: &target.scopes,
        check_scopes: !args.no_scope_check,
        encoding: if args.form {
            Encoding::Form
        } else {
            Encoding::Json
        },
        timeout: Duration::from_secs(args.server.timeout),
    };
    let checked = draft.check().map_err(usage_error)?;
    for warning in &checked.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(Prepared {
        store,
        profile,
        target,
        checked,
    })
}

impl Prepared {
    /// Records the token's mode (test or live) in the profile it came from, when the client ID
    /// was the profile's.
    pub fn remember_mode(&self, attempt: &Attempt) {
        let mode = attempt.outcome.token.as_ref().and_then(|t| t.mode());
        if let (Some(store), Some(profile), Some(mode), true) = (
            &self.store,
            &self.profile,
            mode,
            self.target.mode_belongs_to_profile,
        ) {
            if let Err(e) = store.record_mode(&profile.name, mode) {
                eprintln!(
                    "warning: the token's mode ({}) was not saved in profile `{}`: {e}",
                    mode.as_str(),
                    profile.name
                );
            }
        }
    }
}

/// Runs a token command whose grant (and its secret) `grant` reads once the target is known.
pub fn run(
    rt: &tokio::runtime::Runtime,
    args: &TokenArgs,
    grant: impl FnOnce() -> Result<Grant, String>,
) -> ExitCode {
    let prepared = match prepare(args, grant) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let host = match auth_host() {
        Ok(host) => host,
        Err(code) => return code,
    };
    let attempt = rt.block_on(host.token(&prepared.checked.request));
    prepared.remember_mode(&attempt);
    // The request holds the secret: gone before anything is printed.
    drop(prepared);
    answer(&attempt, args)
}

/// The auth host over a fresh transport; a TLS set-up failure is this machine's problem (exit 3).
pub fn auth_host() -> Result<AuthHost, ExitCode> {
    Transport::new().map(AuthHost::new).map_err(setup_error)
}

/// Prints an attempt as text or `--json`, and returns its exit code.
pub fn print_attempt(attempt: &Attempt, json: bool, show_token: bool) -> ExitCode {
    if json {
        emit(&format!("{}\n", attempt.to_json(Tokens::Shown)));
    } else {
        let tokens = if show_token {
            Tokens::Shown
        } else {
            Tokens::Redacted
        };
        emit(&output::summary(attempt, tokens, SystemTime::now()));
    }
    Exit::of_outcome(attempt.kind()).into()
}

/// A token command's answer: the usual output or the report, and the report file.
pub fn answer(attempt: &Attempt, args: &TokenArgs) -> ExitCode {
    let wanted = &args.report;
    let report = (wanted.report.is_some() || wanted.report_file.is_some())
        .then(|| Report::of_attempt(attempt, wanted.masking(), SystemTime::now()));
    if let (Some(report), Some(path)) = (&report, &wanted.report_file) {
        let text = report.render(wanted.file_format());
        if let Err(e) = write_owner_only(path, &text, IfExists::Replace) {
            return usage_error(format!(
                "could not write the report to {}: {e}",
                path.display()
            ));
        }
    }
    match (&report, wanted.report) {
        (Some(report), Some(format)) => {
            emit(&report.render(format));
            Exit::of_outcome(attempt.kind()).into()
        }
        _ => print_attempt(attempt, args.json, args.show_token),
    }
}
