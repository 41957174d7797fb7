//! Diagnose in the window: after a failed login, one click runs the few requests that tell which
//! input is at fault (diagnosis::diagnose, at most three after the login, one after another) on
//! the page's operation slot, each request shown as it comes, then the verdict. When no request
//! could say more than the answer itself (an unknown client ID, no answer at all), the verdict
//! is there at once, without a click and without a request.

use std::time::SystemTime;

use egui::{RichText, Ui};
use secrecy::SecretString;

use super::token_actions::{follow_up_timeout, Finished, Operation};
use super::LoginPage;
use crate::attempt::Attempt;
use crate::auth::OutcomeKind;
use crate::diagnosis::{self, decide, next_probe, Diagnosis, Probe};
use crate::facts::AttemptFacts;
use crate::gui::preferences::Preferences;
use crate::gui::widgets::{outcome_color, pill};

/// Diagnose for the answer shown: its requests while it runs, then its verdict.
pub enum Diagnose {
    Running {
        probes: Vec<(Probe, Attempt)>,
        /// Whether the password was there to log the customer in again without the scope.
        with_password: bool,
    },
    Done {
        diagnosis: Box<Diagnosis>,
        with_password: bool,
    },
}

impl Diagnose {
    /// The verdict, once there is one.
    pub fn verdict(&self) -> Option<&Diagnosis> {
        match self {
            Diagnose::Done { diagnosis, .. } => Some(diagnosis),
            Diagnose::Running { .. } => None,
        }
    }

    fn probes(&self) -> &[(Probe, Attempt)] {
        match self {
            Diagnose::Running { probes, .. } => probes,
            Diagnose::Done { diagnosis, .. } => &diagnosis.probes,
        }
    }
}

/// Whether `attempt` is a customer login that failed.
fn failed_login(attempt: &Attempt) -> bool {
    attempt.request.grant_type.as_deref() == Some("password") && attempt.kind() != OutcomeKind::Ok
}

/// The verdict of a failed login that no further request could change, decided at once.
pub fn settled_at_once(login: &Attempt) -> Option<Diagnose> {
    let settled = failed_login(login) && next_probe(login, &[], true).is_none();
    settled.then(|| Diagnose::Done {
        diagnosis: Box::new(decide(login.clone(), Vec::new())),
        with_password: true,
    })
}

/// Whether the Diagnose button has something to send for `attempt`.
pub fn can_diagnose(attempt: &Attempt, state: Option<&Diagnose>) -> bool {
    state.is_none() && failed_login(attempt) && next_probe(attempt, &[], true).is_some()
}

impl LoginPage {
    /// Runs Diagnose's probes for the login shown. The password, needed only to log the
    /// customer in again without the scope, is taken from the form when it still holds one
    /// for the same customer; the core never sends a password that was rejected.
    pub(super) fn diagnose(&mut self, prefs: &Preferences) {
        let Some(login) = self.answer.clone() else {
            return;
        };
        if !can_diagnose(&login, self.diagnose.as_ref()) {
            return;
        }
        let same_customer = login.request.username.as_deref() == Some(self.form.email.trim());
        let password = (same_customer && !self.form.password.is_empty())
            .then(|| SecretString::from(self.form.password.as_str().to_owned()));
        let with_password = password.is_some();
        let timeout = follow_up_timeout(prefs);
        let auth_host = self.auth_host.clone();
        self.start_reporting(Operation::Diagnose, move |progress| async move {
            let diagnosis =
                diagnosis::diagnose(&auth_host, login, password, timeout, |probe, answer| {
                    progress.send(Finished::Probed(probe, answer.clone()));
                })
                .await;
            Finished::Diagnosed(Box::new(diagnosis))
        });
        self.diagnose = Some(Diagnose::Running {
            probes: Vec::new(),
            with_password,
        });
        self.tab = super::Tab::Diagnosis;
    }

    /// One probe's answer, as it comes.
    pub(super) fn probed(&mut self, probe: Probe, answer: Attempt) {
        if let Some(Diagnose::Running { probes, .. }) = &mut self.diagnose {
            probes.push((probe, answer));
        }
    }

    pub(super) fn diagnosed(&mut self, diagnosis: Box<Diagnosis>) {
        let with_password = match &self.diagnose {
            Some(Diagnose::Running { with_password, .. }) => *with_password,
            _ => return,
        };
        self.diagnose = Some(Diagnose::Done {
            diagnosis,
            with_password,
        });
    }
}

/// The Diagnosis tab: every request in the order sent, with its outcome, status and the
/// server's words; while Diagnose runs, the one it waits for.
pub fn requests(ui: &mut Ui, login: &Attempt, state: &Diagnose, now: SystemTime) {
    let steps = diagnosis::steps(login, state.probes());
    let count = steps.len();
    let heading = match (state, count) {
        (Diagnose::Running { .. }, _) => format!("Requests sent so far: {count}"),
        (Diagnose::Done { .. }, 1) => {
            "Requests sent: 1 (this answer settles it: no other request could say more)".to_owned()
        }
        (Diagnose::Done { .. }, _) => format!("Requests sent: {count}"),
    };
    ui.label(RichText::new(heading).strong());
    ui.add_space(4.0);
    for (i, step) in steps.iter().enumerate() {
        let facts = AttemptFacts::of(step.attempt, now);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}. {}", i + 1, step.title())).strong());
            pill(
                ui,
                facts.outcome.as_str(),
                outcome_color(ui, facts.outcome),
                None,
            );
            ui.weak(&facts.status);
        });
        ui.indent(("diagnosis-step", i), |ui| {
            match (&facts.problem, &facts.token) {
                (Some(problem), _) => {
                    ui.label(super::answer::labelled_words(ui, problem));
                }
                (None, Some(token)) => {
                    ui.label(format!("Token issued, scope {}", token.granted_scope));
                }
                (None, None) => {}
            }
        });
        ui.add_space(4.0);
    }
    match state {
        Diagnose::Running {
            probes,
            with_password,
        } => {
            if let Some(next) = next_probe(login, probes, *with_password) {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(format!("{}. {}…", count + 1, next.label()));
                });
            }
        }
        Diagnose::Done {
            diagnosis,
            with_password: false,
        } if next_probe(login, &diagnosis.probes, true) == Some(Probe::CustomerNoScope) => {
            ui.weak("Customer login without the scope: not sent, the password was no longer in the form.");
        }
        Diagnose::Done { .. } => {}
    }
}

/// The ready message for the customer, with its copy button; returns whether it was clicked.
pub fn customer_message(ui: &mut Ui, message: &str, copied: bool) -> bool {
    ui.add_space(4.0);
    let mut clicked = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Message for the customer").strong());
        clicked = crate::gui::widgets::copy_button(ui, "Copy message", copied);
    });
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(message);
        });
    clicked
}
