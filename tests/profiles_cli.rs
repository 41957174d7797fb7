//! `profiles` and `login --profile` where no keyring is needed: input checked before the keyring
//! is touched, and a missing keyring reported in one sentence while typed client IDs still work.
//! The real keyring is exercised in tests/keyring.rs.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{bin, catalog, run, run_with_stdin, Demo};

/// The binary on a session bus address where nothing listens: no Secret Service can be reached.
#[cfg(target_os = "linux")]
fn without_keyring() -> std::process::Command {
    let mut cmd = bin();
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/cl-login-tester-bus",
    );
    cmd
}

#[cfg(target_os = "linux")]
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

#[test]
fn help_documents_the_keyring_exit_code() {
    let out = run(bin().arg("--help"));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("5 the keyring cannot be used"),
        "{}",
        out.stdout
    );
    let out = run(bin().args(["profiles", "--help"]));
    for command in ["list", "show", "add", "rename", "remove"] {
        assert!(out.stdout.contains(command), "{command}: {}", out.stdout);
    }
}

#[test]
fn login_needs_a_client_id_or_a_profile() {
    let out = run(bin().args(["login", "--email", "a@b.c"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--client-id"), "{}", out.stderr);
}

#[test]
fn bad_profile_names_are_usage_errors() {
    let long = "x".repeat(65);
    for args in [
        &["profiles", "add", "", "--client-id", "x"][..],
        &["profiles", "add", "tab\there", "--client-id", "x"][..],
        &["profiles", "show", &long][..],
        &["login", "--profile", " ", "--email", "a@b.c"][..],
    ] {
        let out = run(bin().args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("profile name"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_invalid_profile_is_refused_before_the_keyring_is_touched() {
    let cases = [
        (
            &[
                "--client-id",
                "id",
                "--base-url",
                "http://auth.commercelayer.io",
            ][..],
            "plain http",
        ),
        (
            &["--client-id", "id", "--scope", "markets:code:eu"][..],
            "`markets`",
        ),
        (&["--client-id", " "][..], "client ID is empty"),
    ];
    for (extra, expected) in cases {
        let out = run(without_keyring().args(["profiles", "add", "p"]).args(extra));
        assert_eq!(out.code, 2, "{extra:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{extra:?}: {}", out.stderr);
        assert!(!out.stderr.contains("keyring"), "{extra:?}: {}", out.stderr);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_keyring_each_profile_command_fails_in_one_sentence() {
    for args in [
        &["profiles", "list"][..],
        &["profiles", "list", "--json"][..],
        &["profiles", "show", "acme"][..],
        &["profiles", "add", "acme", "--client-id", "cid-never-stored"][..],
        &["profiles", "rename", "acme", "beta"][..],
        &["profiles", "remove", "acme"][..],
    ] {
        let out = run(without_keyring().args(args));
        assert_eq!(out.code, 5, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        let errors = error_lines(&out.stderr);
        assert_eq!(errors.len(), 1, "{args:?}: {}", out.stderr);
        assert!(
            errors[0].starts_with("error: no keyring is available")
                && errors[0].contains("try again")
                && errors[0].contains("client IDs typed by hand still work"),
            "{args:?}: {}",
            out.stderr
        );
        out.assert_never_shows("cid-never-stored");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_keyring_login_with_a_typed_client_id_still_works() {
    let demo = Demo::start();
    let mut with_profile = without_keyring();
    with_profile
        .args([
            "login",
            "--profile",
            "acme",
            "--email",
            catalog::CUSTOMER_EMAIL,
        ])
        .env("CL_PASSWORD", catalog::CUSTOMER_PASSWORD);
    let out = run(&mut with_profile);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("no keyring is available"),
        "{}",
        out.stderr
    );

    let mut typed = without_keyring();
    typed
        .args([
            "login",
            "--base-url",
            demo.url(),
            "--client-id",
            catalog::TEST_CLIENT_ID,
            "--email",
            catalog::CUSTOMER_EMAIL,
            "--json",
        ])
        .env("CL_PASSWORD", catalog::CUSTOMER_PASSWORD);
    let out = run(&mut typed);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["outcome"], "ok");
    assert!(!out.stderr.contains("keyring"), "{}", out.stderr);
}

#[test]
fn a_typed_login_never_mentions_profiles() {
    let out = run_with_stdin(
        &[
            "login",
            "--base-url",
            "http://127.0.0.1:9",
            "--client-id",
            "x",
            "--email",
            "a@b.c",
            "--password-stdin",
            "--timeout",
            "1",
        ],
        "pw\n",
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!out.stderr.contains("profile"), "{}", out.stderr);
}
