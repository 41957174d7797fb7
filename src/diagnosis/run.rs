//! Sending Diagnose's probes, one after another (at most three, well inside the rate limit),
//! each reported as it comes so a face can show it.

use std::time::Duration;

use secrecy::SecretString;

use super::{decide, next_probe, Diagnosis, Probe};
use crate::attempt::follow_up::guest_request;
use crate::attempt::Attempt;
use crate::auth::{Grant, InputError, TokenRequest};
use crate::auth_host::AuthHost;

/// The request a probe sends, built from the login (its URL, client, scope and encoding).
fn request(
    login: &Attempt,
    probe: Probe,
    password: Option<&SecretString>,
    timeout: Duration,
) -> Option<Result<TokenRequest, InputError>> {
    let mut without_scope = login.request.clone();
    without_scope.scope = None;
    let guest = Grant::ClientCredentials {
        client_secret: None,
    };
    Some(match probe {
        Probe::GuestSameScope => guest_request(&login.request, timeout),
        Probe::GuestNoScope => without_scope.follow_up(guest, timeout),
        Probe::CustomerNoScope => without_scope.follow_up(
            Grant::Password {
                username: login.request.username.clone()?,
                password: password?.clone(),
            },
            timeout,
        ),
    })
}

/// Diagnoses a login already sent: sends the probes it calls for and returns the verdict.
/// `password` lets the customer login be repeated without a scope (only when the failure was
/// about the scope); without it that probe is skipped. `on_probe` sees each answer as it comes.
pub async fn diagnose(
    host: &AuthHost,
    login: Attempt,
    password: Option<SecretString>,
    timeout: Duration,
    mut on_probe: impl FnMut(Probe, &Attempt),
) -> Diagnosis {
    let mut probes: Vec<(Probe, Attempt)> = Vec::new();
    while let Some(probe) = next_probe(&login, &probes, password.is_some()) {
        let Some(Ok(request)) = request(&login, probe, password.as_ref(), timeout) else {
            break;
        };
        let answer = host.token(&request).await;
        drop(request);
        on_probe(probe, &answer);
        probes.push((probe, answer));
    }
    drop(password);
    decide(login, probes)
}
