//! `batch`: many customer logins from a CSV, paced at the rate limit, one JSON line per row.
//! The run itself is `crate::batch`; this face reads the flags, the file and the password,
//! writes each row as it ends and draws the progress and the summary.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use zeroize::Zeroizing;

use super::args::{ClientArgs, ServerArgs};
use super::exit::Exit;
use super::print::{emit, usage_error};
use super::secret::{read_secret, SecretSource};
use super::target::Target;
use super::{profiles, with_runtime};
use crate::auth::request::check_timeout;
use crate::auth::scope::parse_scopes;
use crate::auth::url::token_url;
use crate::auth::Encoding;
use crate::auth_host::Transport;
use crate::batch::progress::{duration_words, one_line, summary_text, MISMATCHES_SHOWN};
use crate::batch::results::{fold_partial, partial_path};
use crate::batch::{
    survey, Controls, Finished, Previous, Progress, ResultsFile, RowOutcome, RowRecord, Rows,
    RunState, Runner, Settings, Sink, StopReason, Work,
};
use crate::pacing::{Pacer, RateLimit};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The CSV file, `-` for stdin. A header row names the columns (any case, any order):
    /// email (required), password, scope, expect, label.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub client: ClientArgs,

    /// Scope for rows without a scope of their own, e.g. market:code:europe. Repeat for several.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Read the password for rows without one from the first line of stdin. Otherwise
    /// CL_PASSWORD, else a hidden prompt; asked only when some row has no password.
    #[arg(long)]
    pub password_stdin: bool,

    /// Requests per sliding window at most, e.g. 30/min (Commerce Layer's limit) or 5/10s.
    #[arg(long, value_name = "N/PERIOD", default_value = "30/min")]
    pub rate: RateLimit,

    /// Requests in flight at most.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Write one JSON line per row to this file (owner-only). An existing file is never
    /// overwritten: add --resume to finish the run it holds.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Keep the rows of --output that have a final answer, run the others (not run, rate
    /// limited, network or server failures) and rewrite the file with each row once.
    #[arg(long, requires = "output")]
    pub resume: bool,

    /// Stop after this many network or server (5xx) failures in a row; 0 never stops.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub stop_after: u32,

    /// Revoke each issued token (refresh and access) right after its row, through the same pacing.
    #[arg(long)]
    pub revoke: bool,

    /// Send the body as application/x-www-form-urlencoded instead of JSON (RFC 6749 servers).
    #[arg(long)]
    pub form: bool,

    /// Print each row's JSON line on stdout as it ends (never a password or a token).
    #[arg(long)]
    pub json: bool,
}

impl BatchArgs {
    fn file_name(&self) -> String {
        if self.reads_stdin() {
            "stdin".to_owned()
        } else {
            self.file.display().to_string()
        }
    }

    fn reads_stdin(&self) -> bool {
        self.file.as_os_str() == "-"
    }
}

/// The CSV: a file is read again for each pass; stdin, which cannot be, is kept in memory (in
/// a buffer wiped when dropped, since it may hold passwords).
enum Input {
    File(PathBuf),
    Stdin(Zeroizing<Vec<u8>>),
}

impl Input {
    fn open(&self) -> Result<Box<dyn Read + '_>, String> {
        match self {
            Input::File(path) => std::fs::File::open(path)
                .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn Read>)
                .map_err(|e| format!("could not open {}: {e}", path.display())),
            Input::Stdin(bytes) => Ok(Box::new(&bytes[..])),
        }
    }
}

pub fn run(args: &BatchArgs) -> ExitCode {
    let profile = match profiles::named(args.client.profile.as_ref()) {
        Ok(profile) => profile,
        Err(code) => return code,
    };
    let target = Target::merge(&args.client, &args.server, &args.scopes, profile.as_ref());
    if let Err(e) = token_url(&target.base_url) {
        return usage_error(e);
    }
    if target.client_id.trim().is_empty() {
        return usage_error("the client ID is empty");
    }
    let timeout = Duration::from_secs(args.server.timeout);
    if let Err(e) = check_timeout(timeout) {
        return usage_error(e);
    }
    if let Err(e) = parse_scopes(&target.scopes) {
        return usage_error(e);
    }
    if args.reads_stdin() && args.password_stdin {
        return usage_error(
            "the CSV and the password cannot both come from stdin: give the CSV as a file, or the password in CL_PASSWORD",
        );
    }
    if let Some(output) = &args.output {
        if !args.resume && (output.exists() || partial_path(output).exists()) {
            return usage_error(format!(
                "{} already exists: add --resume to finish the run it holds, or choose another file",
                output.display()
            ));
        }
    }
    let input = if args.reads_stdin() {
        let mut bytes = Zeroizing::new(Vec::new());
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
            return usage_error(format!("could not read the CSV from stdin: {e}"));
        }
        Input::Stdin(bytes)
    } else {
        Input::File(args.file.clone())
    };
    let name = args.file_name();

    let found = match input.open().map(survey) {
        Err(message) => return usage_error(message),
        Ok(Err(problems)) => {
            for problem in &problems.shown {
                eprintln!("error: {name}: {problem}");
            }
            let more = problems.total.saturating_sub(problems.shown.len() as u64);
            if more > 0 {
                eprintln!("error: {name}: and {more} more problems");
            }
            eprintln!("nothing was sent: fix the file and run again");
            return Exit::Usage.into();
        }
        Ok(Ok(found)) => found,
    };
    if found.rows == 0 {
        return usage_error(format!("{name} has no rows below its header"));
    }
    if !found.ignored_columns.is_empty() {
        eprintln!(
            "warning: {name}: ignoring the columns {} (this tool reads email, password, scope, expect, label)",
            found.ignored_columns.join(", ")
        );
    }
    for warning in &found.warnings {
        eprintln!("warning: {name}: {warning}");
    }
    let password = if found.without_password > 0 {
        let source = SecretSource {
            what: "password",
            stdin_hint: "pipe it with --password-stdin",
            env: "CL_PASSWORD",
            prompt: format!(
                "Password for the {} rows without one: ",
                found.without_password
            ),
        };
        match read_secret(args.password_stdin, &source) {
            Ok(password) => Some(password),
            Err(message) => {
                return usage_error(format!(
                    "{} rows of {name} have no password of their own and {message}",
                    found.without_password
                ))
            }
        }
    } else {
        None
    };
    if args.output.is_none() && !args.json {
        eprintln!("note: without --output or --json only the summary is shown");
    }
    let transport = match Transport::new() {
        Ok(t) => t,
        Err(e) => return usage_error(e),
    };
    let settings = Settings {
        base_url: target.base_url.clone(),
        client_id: target.client_id.trim().to_owned(),
        scopes: target.scopes.clone(),
        encoding: if args.form {
            Encoding::Form
        } else {
            Encoding::Json
        },
        timeout,
        concurrency: usize::from(args.concurrency),
        stop_after: args.stop_after,
        revoke: args.revoke,
    };
    let runner = Runner::new(transport, Pacer::new(args.rate), settings, password);

    let resumed = match &args.output {
        Some(output) if args.resume => match plan_resume(&runner, &input, &name, output) {
            Ok(kept) => Some(kept),
            Err(message) => return usage_error(message),
        },
        _ => None,
    };
    match resumed {
        Some(Some(kept)) => eprintln!(
            "resuming: {kept} of {} rows already have a final answer; running the other {}",
            found.rows,
            found.rows.saturating_sub(kept)
        ),
        Some(None) => eprintln!("resuming: no results yet, so every row runs"),
        None => {}
    }
    let file = match &args.output {
        Some(output) if args.resume => ResultsFile::replacing(output),
        Some(output) => ResultsFile::create(output),
        None => {
            return with_runtime(|rt| {
                rt.block_on(execute(args, &runner, &input, &name, found.rows, None))
            })
        }
    };
    match file {
        Ok(file) => with_runtime(|rt| {
            rt.block_on(execute(
                args,
                &runner,
                &input,
                &name,
                found.rows,
                Some(file),
            ))
        }),
        Err(e) => usage_error(e),
    }
}

/// Before a resumed run sends anything: folds a killed resume's partial file in, checks the
/// old results belong to this CSV, and counts the rows kept (`None`: there are no results yet).
fn plan_resume(
    runner: &Runner,
    input: &Input,
    name: &str,
    output: &Path,
) -> Result<Option<u64>, String> {
    fold_partial(output).map_err(|e| e.to_string())?;
    if !output.exists() {
        return Ok(None);
    }
    let mut kept = 0;
    for work in source(runner, input, name, output)? {
        if matches!(work?, Work::Keep(_)) {
            kept += 1;
        }
    }
    Ok(Some(kept))
}

/// The rows in input order, each to run or (resuming) kept from the previous results.
fn source<'a>(
    runner: &'a Runner,
    input: &'a Input,
    name: &'a str,
    previous: &Path,
) -> Result<impl Iterator<Item = Result<Work, String>> + 'a, String> {
    let rows = Rows::open(input.open()?).map_err(|p| format!("{name}: {p}"))?;
    let mut previous = Previous::open(previous).map_err(|e| e.to_string())?;
    Ok(rows.map(move |row| {
        let row = row.map_err(|p| format!("{name}: {p}"))?;
        let Some(previous) = previous.as_mut() else {
            return Ok(Work::Run(row));
        };
        match previous.take(&row).map_err(|e| e.to_string())? {
            Some(record) if record.answers(runner.scope_for(&row).as_deref()) => {
                Ok(Work::Keep(record.kept_for(&row)))
            }
            _ => Ok(Work::Run(row)),
        }
    }))
}

async fn execute(
    args: &BatchArgs,
    runner: &Runner,
    input: &Input,
    name: &str,
    total: u64,
    file: Option<ResultsFile>,
) -> ExitCode {
    let rows: Box<dyn Iterator<Item = Result<Work, String>> + '_> =
        match (&args.output, args.resume) {
            (Some(output), true) => match source(runner, input, name, output) {
                Ok(rows) => Box::new(rows),
                Err(message) => return usage_error(message),
            },
            _ => match input
                .open()
                .and_then(|r| Rows::open(r).map_err(|p| format!("{name}: {p}")))
            {
                Ok(rows) => Box::new(
                    rows.map(move |row| row.map(Work::Run).map_err(|p| format!("{name}: {p}"))),
                ),
                Err(message) => return usage_error(message),
            },
        };
    let (controls, listener) = Controls::new();
    let interrupt = tokio::spawn(stop_on_ctrl_c(controls.clone()));
    let output_path = file.as_ref().map(|f| f.path().to_owned());
    let mut sink = CliSink {
        file,
        json: args.json,
        stdout_open: true,
        line: (!args.json && std::io::stderr().is_terminal()).then(ProgressLine::default),
        mismatches: Vec::new(),
    };
    let summary = runner.run(rows, total, listener, &mut sink).await;
    interrupt.abort();
    if let Some(line) = &mut sink.line {
        line.clear();
    }
    let mut code = Exit::of_batch(&summary);
    if let Some(file) = sink.file.take() {
        if let Err(e) = file.finish() {
            eprintln!("error: {e}");
            code = Exit::Failed;
        }
    }
    if let Some(reason) = &summary.stopped {
        eprintln!("stopped: {}", stop_words(reason));
    }
    let not_run = summary.tally.count(RowOutcome::NotRun) + summary.tally.unanswered;
    if not_run > 0 {
        let how = match &output_path {
            Some(path) => format!(
                "run the same command with --resume (and --output {}) to finish them",
                path.display()
            ),
            None => "run again with --output FILE, then --resume, to keep what is done".to_owned(),
        };
        eprintln!("{not_run} rows have no final answer: {how}");
    }
    if args.json {
        eprintln!("{}", one_line(&summary));
    } else {
        emit(&summary_text(
            &summary,
            &sink.mismatches,
            output_path.as_deref(),
        ));
    }
    code.into()
}

/// The first Ctrl-C stops sending and lets the requests in flight finish (each within its
/// timeout); a second stops at once.
pub(super) async fn stop_on_ctrl_c(controls: Controls) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    eprintln!("\rstopping: waiting for the requests in flight (Ctrl-C again to stop at once)");
    controls.stop();
    if tokio::signal::ctrl_c().await.is_ok() {
        controls.stop_now();
    }
}

fn stop_words(reason: &StopReason) -> String {
    match reason {
        StopReason::Interrupted => "interrupted (Ctrl-C)".to_owned(),
        other => other.explanation(),
    }
}

/// Rows are written as they end and dropped: memory stays flat however long the file.
struct CliSink {
    file: Option<ResultsFile>,
    json: bool,
    /// Cleared when stdout is closed (`| head`): the file still gets every row.
    stdout_open: bool,
    line: Option<ProgressLine>,
    mismatches: Vec<RowRecord>,
}

impl Sink for CliSink {
    fn row(&mut self, row: Finished) -> Result<(), String> {
        let Finished { record, .. } = row;
        if let Some(file) = &mut self.file {
            file.write(&record).map_err(|e| e.to_string())?;
        }
        if self.json && self.stdout_open {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(record.to_line().as_bytes())
                .and_then(|()| stdout.flush())
            {
                self.stdout_open = false;
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: could not write to stdout: {e}");
                }
            }
        }
        if !record.matched && self.mismatches.len() < MISMATCHES_SHOWN {
            self.mismatches.push(record);
        }
        Ok(())
    }

    fn progress(&mut self, progress: &Progress) {
        if let Some(line) = &mut self.line {
            line.draw(progress);
        }
    }
}

/// One line on a terminal's stderr, redrawn at most ten times a second.
#[derive(Default)]
struct ProgressLine {
    drawn: Option<Instant>,
}

impl ProgressLine {
    fn draw(&mut self, p: &Progress) {
        let now = Instant::now();
        let last = p.tally.done() == p.total;
        if self
            .drawn
            .is_some_and(|at| now.duration_since(at) < Duration::from_millis(100))
            && !last
        {
            return;
        }
        self.drawn = Some(now);
        let ok = p.tally.count(RowOutcome::Ok);
        let refused = p.tally.count(RowOutcome::Refused);
        let other = p.tally.other();
        let mut text = format!(
            "{}/{} rows  ok {ok}  refused {refused}  other {other}",
            p.tally.done(),
            p.total
        );
        let minutes = p.elapsed.as_secs_f64() / 60.0;
        if minutes > 0.0 {
            let _ = write!(text, "  {:.1} req/min", p.requests as f64 / minutes);
        }
        match (&p.state, p.held_for, p.eta) {
            (RunState::Paused, _, _) => text.push_str("  paused"),
            (RunState::Stopping(_), _, _) => {
                let _ = write!(text, "  stopping: {} in flight", p.in_flight);
            }
            (RunState::Running, Some(held), _) => {
                let _ = write!(text, "  429: waiting {}", duration_words(held));
            }
            (RunState::Running, None, Some(eta)) => {
                let _ = write!(text, "  ETA {}", duration_words(eta));
            }
            (RunState::Running, None, None) => {}
        }
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[K{text}");
        let _ = stderr.flush();
    }

    fn clear(&mut self) {
        if self.drawn.is_some() {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[K");
            let _ = stderr.flush();
        }
    }
}
