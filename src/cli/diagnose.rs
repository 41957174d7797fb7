//! `diagnose`: a login, and after a failure the few requests that separate the causes (at most
//! three more), with a verdict naming the input at fault and what to do.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::Args;
use serde_json::json;

use super::args::TokenArgs;
use super::exit::Exit;
use super::output::Lines;
use super::print::{emit, usage_error};
use super::secret::{read_secret, SecretSource};
use super::token::{auth_host, prepare};
use crate::auth::{Grant, OutcomeKind};
use crate::diagnosis::{diagnose, Cause, Diagnosis, Step};
use crate::facts::AttemptFacts;

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// The customer's email (sent as `username`).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Read the password from the first line of stdin. Otherwise CL_PASSWORD, else a hidden prompt.
    #[arg(long)]
    pub password_stdin: bool,

    #[command(flatten)]
    pub token: TokenArgs,
}

pub fn run(rt: &tokio::runtime::Runtime, args: &DiagnoseArgs) -> ExitCode {
    if args.token.show_token || args.token.report.report.is_some() {
        return usage_error(
            "diagnose prints no tokens and has no --report: use --json for machines",
        );
    }
    let prepared = match prepare(&args.token, || {
        let source = SecretSource {
            what: "password",
            stdin_hint: "pipe it with --password-stdin",
            env: "CL_PASSWORD",
            prompt: format!("Password for {}: ", args.email),
        };
        Ok(Grant::Password {
            username: args.email.clone(),
            password: read_secret(args.password_stdin, &source)?,
        })
    }) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let host = match auth_host() {
        Ok(host) => host,
        Err(code) => return code,
    };
    let request = &prepared.checked.request;
    let password = match &request.grant {
        Grant::Password { password, .. } => Some(password.clone()),
        _ => None,
    };
    let timeout: Duration = request.timeout;
    let diagnosis = rt.block_on(async {
        let login = host.token(request).await;
        diagnose(&host, login, password, timeout, |_, _| {}).await
    });
    prepared.remember_mode(&diagnosis.login);
    drop(prepared);
    let now = SystemTime::now();
    if args.token.json {
        emit(&format!("{}\n", to_json(&diagnosis, now)));
    } else {
        emit(&text(&diagnosis, now));
    }
    exit(&diagnosis).into()
}

/// 0 the login works; 1 an input is at fault; 3 no usable answer; 4 rate limited.
fn exit(diagnosis: &Diagnosis) -> Exit {
    match diagnosis.cause {
        Cause::RateLimited => Exit::RateLimited,
        _ => Exit::of_outcome(diagnosis.login.kind()),
    }
}

fn step_line(step: &Step<'_>, now: SystemTime) -> String {
    let facts = AttemptFacts::of(step.attempt, now);
    let mut line = format!("{}: {}", step.title(), facts.outcome.as_str());
    match (&facts.problem, facts.outcome) {
        (Some(problem), _) => {
            line.push_str(&format!(", {}: {}", facts.status, problem.server_said()))
        }
        (None, OutcomeKind::Ok) => line.push_str(&format!(", {}", facts.status)),
        (None, _) => {}
    }
    line
}

fn text(diagnosis: &Diagnosis, now: SystemTime) -> String {
    let mut out = Lines::default();
    out.line("verdict", &diagnosis.headline);
    out.line("why", &diagnosis.advice);
    if let Some(message) = &diagnosis.customer_message {
        out.line("tell", &format!("\"{message}\""));
    }
    let steps: Vec<String> = diagnosis
        .steps()
        .iter()
        .enumerate()
        .map(|(i, step)| format!("{}. {}", i + 1, step_line(step, now)))
        .collect();
    out.line("requests", &steps.join("\n"));
    out.into_text()
}

fn to_json(diagnosis: &Diagnosis, now: SystemTime) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = diagnosis
        .steps()
        .iter()
        .map(|Step { label, attempt }| {
            let facts = AttemptFacts::of(attempt, now);
            let problem = attempt.outcome.error.as_ref();
            json!({
                "request": label,
                "grant_type": attempt.request.grant_type,
                "scope": attempt.request.scope,
                "outcome": facts.outcome.as_str(),
                "http_status": facts.http_status,
                "error_code": problem.map(|p| p.code.clone()),
                "server_words": problem.map(|p| p.server_words()),
                "explanation": problem.map(|p| p.explanation.clone()),
            })
        })
        .collect();
    json!({
        "verdict": {
            "cause": diagnosis.cause,
            "input_at_fault": diagnosis.at_fault,
            "headline": diagnosis.headline,
            "advice": diagnosis.advice,
            "customer_message": diagnosis.customer_message,
        },
        "requests": steps,
    })
}
