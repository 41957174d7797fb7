//! Profiles against a real Secret Service (gnome-keyring), through the real binary. Run inside
//! `dbus-run-session -- bash scripts/session.sh cargo test --test keyring`; without it each test
//! says SKIPPED, and under CI (CI=true) it fails instead.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, PoisonError};

use support::{bin, catalog, run, secret_service, Demo, Run};

/// The tests share one keyring and its list of profile names: one at a time, so no test's
/// update of that list overwrites another's.
static KEYRING: Mutex<()> = Mutex::new(());

fn keyring_turn() -> MutexGuard<'static, ()> {
    KEYRING.lock().unwrap_or_else(PoisonError::into_inner)
}

fn profiles(args: &[&str]) -> Run {
    run(bin().arg("profiles").args(args))
}

fn ok(out: Run) -> Run {
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    out
}

/// The one `error:` line of a failed command.
fn the_error(out: &Run) -> &str {
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "one error line expected:\n{}", out.stderr);
    errors[0]
}

fn login_with(extra: &[&str]) -> Run {
    run(bin()
        .args(["login", "--email", catalog::CUSTOMER_EMAIL, "--json"])
        .args(extra)
        .env("CL_PASSWORD", catalog::CUSTOMER_PASSWORD))
}

/// An entry of this tool's service written behind its back, as another program would.
fn write_entry(account: &str, bytes: &[u8]) {
    keyring::Entry::new("cl-login-tester", account)
        .expect("entry")
        .set_secret(bytes)
        .expect("written");
}

fn read_entry(account: &str) -> Vec<u8> {
    keyring::Entry::new("cl-login-tester", account)
        .expect("entry")
        .get_secret()
        .expect("read")
}

#[test]
fn profiles_are_added_listed_shown_renamed_and_removed() {
    if !secret_service("profiles_are_added_listed_shown_renamed_and_removed") {
        return;
    }
    let _turn = keyring_turn();
    ok(profiles(&[
        "add",
        "Cycle EU",
        "--client-id",
        "cid-cycle-eu-5d1e",
        "--scope",
        "market:code:europe",
        "--note",
        "EU shop, test org",
    ]));
    ok(profiles(&[
        "add",
        "cycle-us",
        "--client-id",
        "cid-cycle-us-7a2f",
        "--base-url",
        "http://127.0.0.1:9",
    ]));

    let table = ok(profiles(&["list"]));
    assert!(table.stdout.starts_with("NAME"), "{}", table.stdout);
    let eu_row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("Cycle EU "))
        .expect("Cycle EU listed");
    assert!(
        eu_row.contains("market:code:europe") && eu_row.contains("EU shop, test org"),
        "{eu_row}"
    );
    table.assert_never_shows("cid-cycle");

    let listed = ok(profiles(&["list", "--json"]));
    listed.assert_never_shows("cid-cycle");
    let items = listed.json();
    let us = items
        .as_array()
        .expect("one JSON array")
        .iter()
        .find(|p| p["name"] == "cycle-us")
        .expect("cycle-us listed")
        .clone();
    assert_eq!(us["base_url"], "http://127.0.0.1:9");
    assert!(us["mode"].is_null());
    assert!(us.get("client_id").is_none(), "{us}");

    let shown = ok(profiles(&["show", "cycle eu"]));
    shown.assert_never_shows("cid-cycle-eu-5d1e");
    assert!(
        shown.stdout.contains("name       Cycle EU"),
        "{}",
        shown.stdout
    );
    let revealed = ok(profiles(&["show", "cycle eu", "--reveal"]));
    assert!(
        revealed.stdout.contains("client id  cid-cycle-eu-5d1e"),
        "{}",
        revealed.stdout
    );
    let json = ok(profiles(&["show", "CYCLE EU", "--json", "--reveal"])).json();
    assert_eq!(json["client_id"], "cid-cycle-eu-5d1e");
    assert_eq!(json["scopes"][0], "market:code:europe");

    ok(profiles(&["rename", "cycle-us", "cycle-usa"]));
    let moved = ok(profiles(&["show", "cycle-usa", "--json", "--reveal"])).json();
    assert_eq!(moved["client_id"], "cid-cycle-us-7a2f");
    assert_eq!(profiles(&["show", "cycle-us"]).code, 2);

    for name in ["Cycle EU", "cycle-usa"] {
        ok(profiles(&["remove", name]));
        let gone = profiles(&["show", name]);
        assert_eq!(gone.code, 2);
        assert!(the_error(&gone).contains("there is no profile named"));
    }
    let after = ok(profiles(&["list"]));
    assert!(!after.stdout.contains("Cycle EU"), "{}", after.stdout);
}

#[test]
fn a_taken_name_is_refused_unless_replaced() {
    if !secret_service("a_taken_name_is_refused_unless_replaced") {
        return;
    }
    let _turn = keyring_turn();
    ok(profiles(&["add", "taken", "--client-id", "cid-first"]));
    let again = profiles(&["add", "TAKEN", "--client-id", "cid-second"]);
    assert_eq!(again.code, 2);
    assert!(
        the_error(&again).contains("already exists"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("hint: add --replace"),
        "{}",
        again.stderr
    );
    again.assert_never_shows("cid-first");
    ok(profiles(&[
        "add",
        "TAKEN",
        "--client-id",
        "cid-second",
        "--replace",
    ]));
    let json = ok(profiles(&["show", "taken", "--json", "--reveal"])).json();
    assert_eq!(json["client_id"], "cid-second");
    assert_eq!(json["name"], "TAKEN");
    ok(profiles(&["remove", "taken"]));
}

#[test]
fn login_with_a_profile_uses_it_lets_flags_win_and_records_the_mode() {
    if !secret_service("login_with_a_profile_uses_it_lets_flags_win_and_records_the_mode") {
        return;
    }
    let _turn = keyring_turn();
    let demo = Demo::start();
    ok(profiles(&[
        "add",
        "demo-test",
        "--client-id",
        catalog::TEST_CLIENT_ID,
        "--base-url",
        demo.url(),
        "--scope",
        "market:code:europe",
    ]));

    let out = ok(login_with(&["--profile", "demo-test"]));
    let json = out.json();
    assert_eq!(json["request"]["client_id"], catalog::TEST_CLIENT_ID);
    assert_eq!(json["request"]["scope"], "market:code:europe");
    assert_eq!(
        json["request"]["url"],
        format!("{}/oauth/token", demo.url())
    );
    assert_eq!(json["mode"], "test");
    let saved = ok(profiles(&["show", "demo-test", "--json"])).json();
    assert_eq!(saved["mode"], "test", "the mode of the token is recorded");

    let out = ok(login_with(&[
        "--profile",
        "demo-test",
        "--client-id",
        catalog::LIVE_CLIENT_ID,
        "--scope",
        "market:code:usa",
    ]));
    let json = out.json();
    assert_eq!(json["request"]["client_id"], catalog::LIVE_CLIENT_ID);
    assert_eq!(json["request"]["scope"], "market:code:usa");
    assert_eq!(json["mode"], "live");
    let saved = ok(profiles(&["show", "demo-test", "--json"])).json();
    assert_eq!(
        saved["mode"], "test",
        "a token for another client ID says nothing about the profile"
    );

    let elsewhere = Demo::start();
    let out = ok(login_with(&[
        "--profile",
        "demo-test",
        "--base-url",
        elsewhere.url(),
    ]));
    assert_eq!(
        out.json()["request"]["url"],
        format!("{}/oauth/token", elsewhere.url())
    );

    ok(profiles(&[
        "add",
        "demo-live",
        "--client-id",
        catalog::LIVE_CLIENT_ID,
        "--base-url",
        demo.url(),
    ]));
    ok(login_with(&["--profile", "demo-live"]));
    let saved = ok(profiles(&["show", "demo-live", "--json"])).json();
    assert_eq!(saved["mode"], "live");
    let table = ok(profiles(&["list"]));
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("demo-live "))
        .expect("listed");
    assert!(row.contains(" live "), "{row}");

    let missing = login_with(&["--profile", "no-such-profile"]);
    assert_eq!(missing.code, 2);
    assert!(the_error(&missing).contains("no profile named `no-such-profile`"));

    ok(profiles(&["remove", "demo-test"]));
    ok(profiles(&["remove", "demo-live"]));
}

#[test]
fn entries_written_by_something_else_or_damaged_are_reported_and_kept_apart() {
    if !secret_service("entries_written_by_something_else_or_damaged_are_reported_and_kept_apart") {
        return;
    }
    let _turn = keyring_turn();
    write_entry("profile:foreign", b"hunter2");
    let shown = profiles(&["show", "foreign"]);
    assert_eq!(shown.code, 5);
    let error = the_error(&shown);
    assert!(
        error.contains("profile `foreign`") && error.contains("was not written by cl-login-tester"),
        "{error}"
    );
    shown.assert_never_shows("hunter2");
    let add = profiles(&["add", "foreign", "--client-id", "cid-x", "--replace"]);
    assert_eq!(add.code, 5, "{}", add.stderr);
    assert_eq!(read_entry("profile:foreign"), b"hunter2", "left alone");
    ok(profiles(&["remove", "foreign"]));

    ok(profiles(&["add", "intact", "--client-id", "cid-intact"]));
    ok(profiles(&["add", "broken", "--client-id", "cid-broken"]));
    write_entry(
        "profile:broken",
        br#"{"format":1,"name":"broken","client_id":"#,
    );
    let listed = profiles(&["list"]);
    assert_eq!(listed.code, 5, "{}", listed.stderr);
    assert!(
        listed.stdout.lines().any(|l| l.starts_with("intact ")),
        "{}",
        listed.stdout
    );
    let error = the_error(&listed);
    assert!(
        error.contains("profile `broken`") && error.contains("damaged"),
        "{error}"
    );
    let json = profiles(&["list", "--json"]);
    assert_eq!(json.code, 5);
    assert!(json
        .json()
        .as_array()
        .expect("array")
        .iter()
        .any(|p| p["name"] == "intact"));
    ok(profiles(&["remove", "broken"]));
    let intact = ok(profiles(&["show", "intact", "--json", "--reveal"])).json();
    assert_eq!(intact["client_id"], "cid-intact");
    ok(profiles(&["list"]));
    ok(profiles(&["remove", "intact"]));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_file_in_the_app_folders_or_the_keyring_holds_a_client_id() {
    if !secret_service("no_file_in_the_app_folders_or_the_keyring_holds_a_client_id") {
        return;
    }
    let _turn = keyring_turn();
    let demo = Demo::start();
    let home = tempfile::tempdir().expect("home");
    let folders = ["home", "data", "config", "cache"].map(|f| home.path().join(f));
    for folder in &folders {
        std::fs::create_dir_all(folder).expect("folder");
    }
    let app = |args: &[&str]| -> Run {
        let mut cmd = bin();
        cmd.args(args)
            .env("HOME", &folders[0])
            .env("XDG_DATA_HOME", &folders[1])
            .env("XDG_CONFIG_HOME", &folders[2])
            .env("XDG_CACHE_HOME", &folders[3])
            .env("CL_PASSWORD", catalog::CUSTOMER_PASSWORD);
        ok(run(&mut cmd))
    };
    let client_ids = ["cid-plaintext-probe-4f9c1d", catalog::TEST_CLIENT_ID];
    app(&[
        "profiles",
        "add",
        "probe",
        "--client-id",
        client_ids[0],
        "--note",
        "probe",
    ]);
    app(&[
        "profiles",
        "add",
        "probe-demo",
        "--client-id",
        client_ids[1],
        "--base-url",
        demo.url(),
    ]);
    app(&["profiles", "list"]);
    app(&["profiles", "show", "probe", "--reveal"]);
    app(&[
        "login",
        "--profile",
        "probe-demo",
        "--email",
        catalog::CUSTOMER_EMAIL,
    ]);

    // scripts/session.sh keeps the keyring's own files in its XDG_DATA_HOME.
    let keyring_dir = std::env::var_os("XDG_DATA_HOME")
        .map(|d| PathBuf::from(d).join("keyrings"))
        .expect("session.sh sets XDG_DATA_HOME");
    let keyring_files = files_under(&keyring_dir);
    assert!(
        !keyring_files.is_empty(),
        "the keyring's files should be in {}",
        keyring_dir.display()
    );
    let mut scanned = 0;
    for file in folders
        .iter()
        .flat_map(|f| files_under(f))
        .chain(keyring_files)
    {
        let bytes = std::fs::read(&file).expect("readable");
        scanned += 1;
        for id in client_ids {
            assert!(
                !contains(&bytes, id.as_bytes()),
                "client ID {id} in plain text in {}",
                file.display()
            );
        }
    }
    assert!(scanned > 0);
    // The profiles are really there, in the keyring.
    let shown = app(&["profiles", "show", "probe", "--json", "--reveal"]);
    assert_eq!(shown.json()["client_id"], client_ids[0]);
    app(&["profiles", "remove", "probe"]);
    app(&["profiles", "remove", "probe-demo"]);
}

#[test]
fn a_locked_keyring_whose_unlock_is_not_given_is_one_sentence() {
    if !secret_service("a_locked_keyring_whose_unlock_is_not_given_is_one_sentence") {
        return;
    }
    // A keyring of its own on a bus of its own, since locking the shared one would fail the
    // other tests. No display for the unlock prompt, so it cannot be shown, as on a server.
    let script = r#"
        "$0" profiles add locked-probe --client-id cid-locked-probe >/dev/null || exit 90
        dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login \
            >/dev/null || exit 91
        "$0" profiles list
    "#;
    let session = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/session.sh");
    let out = run(Command::new("timeout")
        .arg("60")
        .args(["dbus-run-session", "--", "bash"])
        .arg(&session)
        .args(["bash", "-c", script, env!("CARGO_BIN_EXE_cl-login-tester")])
        .env_remove("DISPLAY")
        .env_remove("CL_PASSWORD")
        .stdin(std::process::Stdio::null()));
    assert_eq!(
        out.code, 5,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let error = the_error(&out);
    assert!(
        error.starts_with("error: the keyring is locked")
            && error.contains("try again")
            && error.contains("client IDs typed by hand still work"),
        "{error}"
    );
    out.assert_never_shows("cid-locked-probe");
}
