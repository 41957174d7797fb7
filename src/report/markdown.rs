//! The report as Markdown for a ticket: a heading, the plain-words explanation, one short table,
//! and code blocks for what is pasted elsewhere. Plain CommonMark tables render in GitHub, Jira
//! (with its Markdown macro) and Zendesk. Server text is escaped twice: its control characters
//! (see `facts::shown`) and its Markdown (a `|` must not break the table, a `<` not open HTML).

use std::fmt::Write as _;

use super::{AttemptReport, DiagnosisReport, Report};
use crate::facts::shown;

/// `text` safe inside a table cell or a line of Markdown.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in shown(text).chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// An identifier (a code, a scope, an id) as a code span, which needs no escaping; anything
/// else escaped as text.
fn code(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | ' ' | '+' | '@')
        });
    if plain {
        format!("`{text}`")
    } else {
        md(text)
    }
}

/// A fenced code block whose fence no backtick run inside can close.
fn code_block(out: &mut String, language: &str, text: &str) {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}{language}\n{}\n{fence}\n", shown(text));
}

struct Table(Vec<(String, String)>);

impl Table {
    fn row(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }

    fn render(&self, out: &mut String, headers: (&str, &str)) {
        let _ = writeln!(out, "| {} | {} |\n|---|---|", headers.0, headers.1);
        for (name, value) in &self.0 {
            let _ = writeln!(out, "| {name} | {value} |");
        }
        out.push('\n');
    }
}

/// The attempt's rows, every value escaped.
fn attempt_rows(a: &AttemptReport) -> Table {
    let mut t = Table(Vec::new());
    let status = a
        .http_status
        .map_or_else(|| "no HTTP answer".to_owned(), |s| format!("HTTP {s}"));
    t.row(
        "Outcome",
        format!(
            "**{}** ({}), {status}, {:.1} ms",
            md(&a.headline),
            code(&a.outcome),
            a.elapsed_ms
        ),
    );
    t.row("Sent", md(&a.sent_at));
    t.row("Endpoint", format!("POST {}", md(&a.url)));
    let grant = a.grant_type.as_deref().unwrap_or("revoke");
    t.row(
        "Grant",
        format!("{} ({} body)", code(grant), md(&a.encoding)),
    );
    t.row("Client ID", code(&a.client_id));
    if let Some(email) = &a.email {
        t.row("Customer", md(email));
    }
    t.row(
        "Scope asked",
        a.scope_asked
            .as_deref()
            .map_or_else(|| "none (market:all)".to_owned(), code),
    );
    if let Some(granted) = &a.scope_granted {
        let mark = if a.scope_differs {
            " (**differs from what was asked**)"
        } else {
            ""
        };
        t.row("Scope granted", format!("{}{mark}", code(granted)));
    }
    if let Some(e) = &a.error {
        t.row("Error code", code(&e.code));
        if let Some(title) = &e.title {
            t.row("Server title", md(title));
        }
        if let Some(detail) = &e.detail {
            t.row("Server detail", md(detail));
        }
        if let Some(retry) = e.retry_after_s {
            t.row("Retry-After", format!("{retry} s"));
        }
        if let Some(location) = &e.location {
            t.row("Redirect to", md(location));
        }
    }
    if let Some(date) = &a.server_date {
        let skew = a.clock_skew_s.map_or_else(String::new, |s| {
            format!(" (**clock skew {s:+} s** against this machine)")
        });
        t.row("Server Date", format!("{}{skew}", md(date)));
    }
    if let Some(s) = &a.signature {
        let mut value = format!("{}: {}", code(&s.result), md(&s.explanation));
        if let Some(kid) = &s.kid {
            let _ = write!(value, "; kid {}", code(kid));
        }
        if let Some(url) = &s.keys_url {
            let _ = write!(value, "; keys {}", md(url));
        }
        t.row("Signature", value);
    }
    if let Some(token) = &a.token {
        if let Some(mode) = &token.mode {
            t.row("Mode", md(mode));
        }
        let owner = match (&token.owner_type, &token.owner_id) {
            (Some(kind), Some(id)) => format!("{} {}", md(kind), code(id)),
            (None, Some(id)) => code(id),
            _ => "none (guest token)".to_owned(),
        };
        t.row("Owner", owner);
        if let Some(org) = &token.organization {
            t.row("Organization", md(org));
        }
        if let Some(app) = &token.application {
            t.row("Application", md(app));
        }
        let list = |ids: &[String], none: &str| {
            if ids.is_empty() {
                none.to_owned()
            } else {
                ids.iter().map(|id| code(id)).collect::<Vec<_>>().join(", ")
            }
        };
        t.row(
            "Markets",
            list(&token.market_ids, "all (no market in the token)"),
        );
        t.row(
            "Stock locations",
            list(&token.stock_location_ids, "none in the token"),
        );
        if let Some(issued) = &token.issued_at {
            t.row("Issued", md(issued));
        }
        if let Some(expires) = &token.expires_at {
            let validity = token
                .validity
                .as_deref()
                .map_or_else(String::new, |v| format!(" ({})", md(v)));
            t.row("Expires", format!("{}{validity}", md(expires)));
        }
        if let Some(rotated) = token.refresh_token_rotated {
            t.row(
                "Refresh token",
                if rotated { "rotated" } else { "not rotated" },
            );
        }
    }
    t
}

fn headers(out: &mut String, a: &AttemptReport) {
    if a.headers.is_empty() {
        return;
    }
    let mut t = Table(Vec::new());
    for (name, value) in &a.headers {
        t.row(&format!("`{}`", md(name)), md(value));
    }
    out.push_str("#### Response headers\n\n");
    t.render(out, ("Header", "Value"));
}

/// `text` as a block quote, every line of it quoted.
fn quote(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "> {}", md(line));
    }
    out.push('\n');
}

/// One row of the requests table: what was asked and what came back, in a few words.
fn request_row(number: usize, label: &str, a: &AttemptReport) -> String {
    let scope = a
        .scope_asked
        .as_deref()
        .map_or_else(|| "none".to_owned(), code);
    let status = a
        .http_status
        .map_or_else(|| "no HTTP answer".to_owned(), |s| s.to_string());
    let said = a.error.as_ref().map_or_else(String::new, |e| {
        // The server's words after its code, as the window says them: each once, and not
        // when they only repeat the code.
        let mut said = vec![code(&e.code)];
        let mut seen = vec![e.code.as_str()];
        for word in e.title.iter().chain(&e.detail) {
            if !seen.contains(&word.as_str()) {
                seen.push(word.as_str());
                said.push(md(word));
            }
        }
        said.join(" — ")
    });
    format!(
        "| {number} | {} | {scope} | {} | {status} | {said} |",
        md(label),
        code(&a.outcome)
    )
}

/// The verdict, the message for the customer, and every request Diagnose sent.
fn diagnosis(out: &mut String, login: &AttemptReport, d: &DiagnosisReport) {
    let _ = writeln!(out, "#### Diagnosis: {}\n", md(&d.headline));
    let _ = writeln!(out, "{}\n", md(&d.advice));
    let at_fault = d
        .input_at_fault
        .as_deref()
        .map_or_else(|| "none named".to_owned(), code);
    let _ = writeln!(
        out,
        "**Input at fault:** {at_fault} (cause {})\n",
        code(&d.cause)
    );
    if let Some(message) = &d.customer_message {
        out.push_str("**Message for the customer:**\n\n");
        quote(out, message);
    }
    out.push_str(
        "| # | Request | Scope | Outcome | HTTP | Server said |\n|---|---|---|---|---|---|\n",
    );
    let _ = writeln!(out, "{}", request_row(1, "Customer login", login));
    for (i, probe) in d.probes.iter().enumerate() {
        let _ = writeln!(out, "{}", request_row(i + 2, &probe.label, &probe.attempt));
    }
    out.push('\n');
}

/// The whole report as Markdown.
pub fn markdown(report: &Report) -> String {
    let a = &report.attempt;
    let mut out = String::new();
    let _ = writeln!(out, "### Login check: {}\n", md(&a.headline));
    if let Some(e) = &a.error {
        let _ = writeln!(out, "{}\n", md(&e.explanation));
    }
    attempt_rows(a).render(&mut out, ("", ""));
    if let Some(d) = &report.diagnosis {
        diagnosis(&mut out, a, d);
    }
    if let Some(excerpt) = a.error.as_ref().and_then(|e| e.excerpt.as_deref()) {
        out.push_str("#### The body (excerpt, tokens redacted)\n\n");
        code_block(&mut out, "text", excerpt);
    }
    headers(&mut out, a);
    if let Some(c) = &report.comparison {
        out.push_str("#### Guest token with the same client ID and scope\n\n");
        let _ = writeln!(out, "**Verdict:** {}\n", md(&c.verdict));
        attempt_rows(&c.guest).render(&mut out, ("", ""));
    }
    if let Some(curl) = &a.curl {
        out.push_str("#### Repeat it\n\n");
        code_block(&mut out, "sh", curl);
    }
    let _ = writeln!(
        out,
        "_{} {} on {}, report made {}. No password or token is in this report._",
        md(&report.tool.name),
        md(&report.tool.version),
        md(&report.tool.os),
        md(&report.generated_at)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_break_the_table_or_open_html() {
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("<script>"), "&lt;script&gt;");
        assert_eq!(md("x\ny"), "x\\\\ny");
        assert_eq!(md("**bold** [link](x)"), "\\*\\*bold\\*\\* \\[link\\](x)");
    }

    #[test]
    fn identifiers_are_code_spans_and_the_rest_is_escaped() {
        assert_eq!(code("invalid_grant"), "`invalid_grant`");
        assert_eq!(code("market:code:europe"), "`market:code:europe`");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn a_code_block_fence_outlasts_the_backticks_inside() {
        let mut out = String::new();
        code_block(&mut out, "text", "a ```` b");
        assert!(out.starts_with("`````text\n"), "{out}");
    }
}
