//! The diagnosis in a report: the verdict Diagnose reached after a failed login, and the
//! requests it sent to get there, each redacted like the login itself. Kept as plain strings
//! (like the comparison's finding) so a report read back from the history needs no enum that
//! may grow.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{AttemptReport, Masking, Report};
use crate::diagnosis::Diagnosis;

/// What Diagnose concluded, and the probes that led there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisReport {
    /// `wrong_credentials`, `private_market`, `unknown_client`... (README, `diagnose`).
    pub cause: String,
    /// `credentials`, `client_id`, `scope`, `base_url`; `null` when no input is to blame.
    pub input_at_fault: Option<String>,
    pub headline: String,
    /// What it means and what to do.
    pub advice: String,
    /// A message support can paste to the customer.
    pub customer_message: Option<String>,
    /// The requests sent after the login, in order (the login is the report's `attempt`).
    pub probes: Vec<ProbeReport>,
}

/// One request Diagnose sent after the login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// `guest_same_scope`, `guest_no_scope`, `customer_no_scope`.
    pub probe: String,
    /// "Guest token, same scope", as the window and the CLI list it.
    pub label: String,
    pub attempt: AttemptReport,
}

/// The snake_case name a value serializes to (`Cause::WrongCredentials` is
/// `wrong_credentials`), so the report uses the same words as `diagnose --json`.
fn name_of(value: impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Report {
    /// The report of a login Diagnose looked into: the login as the attempt, and the verdict
    /// with every probe.
    pub fn of_diagnosis(diagnosis: &Diagnosis, masking: Masking, now: SystemTime) -> Self {
        let mut report = Self::of_attempt(&diagnosis.login, masking, now);
        report.diagnosis = Some(DiagnosisReport {
            cause: name_of(diagnosis.cause),
            input_at_fault: diagnosis.at_fault.map(name_of),
            headline: diagnosis.headline.clone(),
            advice: diagnosis.advice.clone(),
            customer_message: diagnosis.customer_message.clone(),
            probes: diagnosis
                .probes
                .iter()
                .map(|(probe, attempt)| ProbeReport {
                    probe: name_of(probe),
                    label: probe.label().to_owned(),
                    attempt: AttemptReport::of(attempt, masking, now),
                })
                .collect(),
        });
        report
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::attempt::canned;
    use crate::attempt::Attempt;
    use crate::auth::Grant;
    use crate::diagnosis::{decide, Probe};
    use crate::report::markdown;

    const PASSWORD: &str = "S3ntinel-password";
    const GUEST_TOKEN: &str = "sentinel-guest-access-token";

    fn answer(grant: Grant, status: u16, body: &str) -> Attempt {
        let request = canned::request(
            "http://127.0.0.1:4000",
            "a-sales-channel-client-id",
            grant,
            Some("market:code:europe"),
        );
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
        canned::answered(request, at, Duration::from_millis(2), status, body)
    }

    /// A wrong password, told apart by a guest token that works with the same scope.
    fn wrong_password() -> Diagnosis {
        let login = answer(
            Grant::Password {
                username: "jane@example.com".to_owned(),
                password: PASSWORD.to_owned().into(),
            },
            400,
            r#"{"errors":[{"title":"invalid_grant","detail":"The provided authorization grant is invalid.","status":400}]}"#,
        );
        let guest = answer(
            Grant::ClientCredentials {
                client_secret: None,
            },
            200,
            &format!(r#"{{"access_token":"{GUEST_TOKEN}","scope":"market:code:europe"}}"#),
        );
        decide(login, vec![(Probe::GuestSameScope, guest)])
    }

    #[test]
    fn the_json_report_carries_the_verdict_and_each_probe_as_an_attempt() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_100);
        let report = Report::of_diagnosis(&wrong_password(), Masking::default(), now);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
        let d = &json["diagnosis"];
        assert_eq!(d["cause"], "wrong_credentials");
        assert_eq!(d["input_at_fault"], "credentials");
        assert_eq!(d["headline"], "Email or password rejected");
        assert!(d["customer_message"]
            .as_str()
            .is_some_and(|m| m.contains("Forgot password")));
        assert_eq!(d["probes"][0]["probe"], "guest_same_scope");
        assert_eq!(d["probes"][0]["label"], "Guest token, same scope");
        assert_eq!(d["probes"][0]["attempt"]["outcome"], "ok");
        assert_eq!(d["probes"][0]["attempt"]["client_id"], "a-sale…t-id");
        assert_eq!(
            json["attempt"]["outcome"], "refused",
            "the login is the attempt"
        );
        let text = report.to_json();
        assert!(
            !text.contains(GUEST_TOKEN) && !text.contains(PASSWORD),
            "{text}"
        );
    }

    #[test]
    fn the_markdown_report_gives_the_verdict_the_customer_message_and_the_requests() {
        let report = Report::of_diagnosis(
            &wrong_password(),
            Masking::default(),
            SystemTime::UNIX_EPOCH,
        );
        let md = markdown(&report);
        assert!(
            md.contains("#### Diagnosis: Email or password rejected"),
            "{md}"
        );
        assert!(md.contains("**Input at fault:** `credentials`"), "{md}");
        assert!(md.contains("> We could not sign you in"), "{md}");
        assert!(
            md.contains(
                "| 1 | Customer login | `market:code:europe` | `refused` | 400 | `invalid_grant`"
            ),
            "{md}"
        );
        assert!(
            md.contains("| 2 | Guest token, same scope | `market:code:europe` | `ok` | 200 |  |"),
            "{md}"
        );
        assert!(!md.contains(GUEST_TOKEN) && !md.contains(PASSWORD), "{md}");
    }

    #[test]
    fn a_report_kept_before_diagnoses_existed_still_reads() {
        let report = Report::of_attempt(
            &wrong_password().login,
            Masking::default(),
            SystemTime::UNIX_EPOCH,
        );
        let mut json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
        json.as_object_mut().expect("object").remove("diagnosis");
        let read: Report = serde_json::from_value(json).expect("an older report reads");
        assert_eq!(read, report);
        assert!(read.diagnosis.is_none());
    }
}
