//! The keyring-backed store over keyring-core's in-memory mock store. The mock injects a failure
//! into the next call on one entry (`Cred::set_error`); `Faults` adds failures of one kind of
//! call (a write, a delete), which the mock alone cannot aim at.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring_core::api::{Credential, CredentialApi, CredentialStoreApi};
use keyring_core::{mock, Entry, Error};

use super::*;
use crate::auth::Mode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Set,
    Delete,
}

type Faults = Arc<Mutex<Vec<(String, Op)>>>;

fn locked() -> Error {
    Error::NoStorageAccess(Box::new(std::io::Error::other("collection is locked")))
}

/// A mock credential that fails the chosen operations.
struct FaultyCred {
    cred: Arc<mock::Cred>,
    faults: Faults,
}

impl FaultyCred {
    fn check(&self, op: Op) -> keyring_core::Result<()> {
        let account = &self.cred.specifiers.1;
        let faults = self.faults.lock().expect("faults");
        if faults.iter().any(|(a, o)| a == account && *o == op) {
            return Err(locked());
        }
        Ok(())
    }
}

impl CredentialApi for FaultyCred {
    fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
        self.check(Op::Set)?;
        self.cred.set_secret(secret)
    }

    fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
        self.cred.get_secret()
    }

    fn delete_credential(&self) -> keyring_core::Result<()> {
        self.check(Op::Delete)?;
        self.cred.delete_credential()
    }

    fn get_credential(&self) -> keyring_core::Result<Option<Arc<Credential>>> {
        self.cred.get_credential()
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        self.cred.get_specifiers()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self.cred.as_any()
    }
}

/// keyring-core's mock store whose entries go through [`FaultyCred`].
struct FaultyStore {
    mock: Arc<mock::Store>,
    faults: Faults,
}

impl CredentialStoreApi for FaultyStore {
    fn vendor(&self) -> String {
        "mock store with aimed faults".to_owned()
    }

    fn id(&self) -> String {
        self.mock.id()
    }

    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        self.mock.build(service, user, modifiers)?;
        let cred = self.mock_cred(user);
        Ok(Entry::new_with_credential(Arc::new(FaultyCred {
            cred,
            faults: self.faults.clone(),
        })))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl FaultyStore {
    fn mock_cred(&self, account: &str) -> Arc<mock::Cred> {
        let creds = self.mock.inner.lock().expect("mock");
        let found = creds
            .borrow()
            .iter()
            .find(|c| c.specifiers == (SERVICE.to_owned(), account.to_owned()))
            .cloned();
        found.expect("built before")
    }
}

struct Harness {
    store: Arc<FaultyStore>,
    profiles: KeyringProfiles,
}

impl Harness {
    fn new() -> Self {
        let store = Arc::new(FaultyStore {
            mock: mock::Store::new().expect("mock store"),
            faults: Arc::default(),
        });
        let profiles = KeyringProfiles::in_store(store.clone());
        Self { store, profiles }
    }

    fn cred(&self, account: &str) -> Arc<mock::Cred> {
        self.store
            .mock
            .build(SERVICE, account, None)
            .expect("entry");
        self.store.mock_cred(account)
    }

    /// The mock's own injection: the next call on this entry fails.
    fn fail_next(&self, account: &str, error: Error) {
        self.cred(account).set_error(error);
    }

    /// Every `op` on this entry fails until `heal`.
    fn fail_every(&self, account: &str, op: Op) {
        self.store
            .faults
            .lock()
            .expect("faults")
            .push((account.to_owned(), op));
    }

    fn heal(&self) {
        self.store.faults.lock().expect("faults").clear();
    }

    fn raw(&self, account: &str) -> Option<Vec<u8>> {
        let cred = self.cred(account);
        let data = cred.inner.lock().expect("cred");
        let secret = data.borrow().secret.clone();
        secret
    }

    fn put_raw(&self, account: &str, bytes: &[u8]) {
        self.cred(account).set_secret(bytes).expect("put");
    }

    fn names(&self) -> Vec<String> {
        self.profiles
            .list()
            .expect("list")
            .profiles
            .iter()
            .map(|p| p.name.to_string())
            .collect()
    }
}

fn name(text: &str) -> ProfileName {
    ProfileName::parse(text).expect("valid name")
}

fn profile(text: &str, client_id: &str) -> Profile {
    Profile::new(name(text), client_id)
}

fn save(h: &Harness, text: &str, client_id: &str) {
    h.profiles
        .save(&profile(text, client_id), IfExists::Refuse)
        .expect("saved");
}

#[test]
fn saved_profiles_are_listed_by_name_and_read_back_without_case() {
    let h = Harness::new();
    let mut acme = profile("Acme test", "id-acme");
    acme.scopes = vec!["market:code:europe".to_owned()];
    acme.note = Some("the EU shop".to_owned());
    h.profiles.save(&acme, IfExists::Refuse).expect("saved");
    save(&h, "beta", "id-beta");
    save(&h, "Zulu", "id-zulu");
    save(&h, "alpha", "id-alpha");
    assert_eq!(h.names(), ["Acme test", "alpha", "beta", "Zulu"]);
    let read = h.profiles.get(&name("ACME TEST")).expect("found");
    assert_eq!(read, acme);
    let stored = String::from_utf8(h.raw("profile:acme test").expect("entry")).expect("utf8");
    assert!(stored.contains(r#""format":1"#), "{stored}");
}

#[test]
fn an_existing_name_is_refused_unless_replaced() {
    let h = Harness::new();
    save(&h, "acme", "old-id");
    let err = h
        .profiles
        .save(&profile("ACME", "new-id"), IfExists::Refuse)
        .expect_err("exists");
    assert_eq!(err, ProfileError::Exists("acme".to_owned()));
    assert_eq!(
        h.profiles.get(&name("acme")).expect("kept").client_id,
        "old-id"
    );
    h.profiles
        .save(&profile("ACME", "new-id"), IfExists::Replace)
        .expect("replaced");
    assert_eq!(h.names(), ["ACME"]);
    assert_eq!(
        h.profiles.get(&name("acme")).expect("new").client_id,
        "new-id"
    );
}

#[test]
fn an_invalid_profile_writes_nothing() {
    let h = Harness::new();
    let mut bad = profile("p", "id");
    bad.base_url = "http://auth.commercelayer.io".to_owned();
    let err = h
        .profiles
        .save(&bad, IfExists::Refuse)
        .expect_err("bad url");
    assert!(!err.is_keyring_problem());
    assert!(err.to_string().contains("plain http"), "{err}");
    assert_eq!(h.raw("profile:p"), None);
    assert_eq!(h.raw(INDEX_ACCOUNT), None);
}

#[test]
fn unknown_profiles_are_not_found() {
    let h = Harness::new();
    let missing = name("ghost");
    let expected = ProfileError::NotFound("ghost".to_owned());
    assert_eq!(h.profiles.get(&missing), Err(expected.clone()));
    assert_eq!(h.profiles.remove(&missing), Err(expected.clone()));
    assert_eq!(h.profiles.rename(&missing, &name("x")), Err(expected));
    assert!(h.profiles.list().expect("empty").profiles.is_empty());
}

#[test]
fn a_damaged_entry_is_reported_and_the_others_survive() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    save(&h, "b", "id-b");
    save(&h, "c", "id-c");
    let damaged = br#"{"format":1,"name":"b","client_"#;
    h.put_raw("profile:b", damaged);

    let list = h.profiles.list().expect("list");
    let names: Vec<&str> = list.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(list.unreadable.len(), 1);
    assert_eq!(list.unreadable[0].name.as_str(), "b");
    let message = list.unreadable[0].error.to_string();
    assert!(
        message.contains("profile `b`") && message.contains("damaged"),
        "{message}"
    );
    assert!(
        message.contains("remove profile `b` and save it again"),
        "{message}"
    );

    let err = h
        .profiles
        .save(&profile("b", "id-new"), IfExists::Replace)
        .expect_err("not overwritten");
    assert!(matches!(err, ProfileError::Damaged { .. }), "{err:?}");
    assert_eq!(h.raw("profile:b").as_deref(), Some(&damaged[..]));

    h.profiles.remove(&name("b")).expect("removable");
    let list = h.profiles.list().expect("list");
    assert!(list.unreadable.is_empty());
    assert_eq!(list.profiles.len(), 2);
    assert_eq!(h.profiles.get(&name("c")).expect("c").client_id, "id-c");
}

#[test]
fn an_entry_written_by_something_else_is_never_overwritten() {
    let h = Harness::new();
    h.put_raw("profile:shop", b"hunter2");
    for if_exists in [IfExists::Refuse, IfExists::Replace] {
        let err = h
            .profiles
            .save(&profile("shop", "id"), if_exists)
            .expect_err("foreign");
        assert!(
            err.to_string()
                .contains("was not written by cl-login-tester"),
            "{err}"
        );
        assert!(err.is_keyring_problem());
    }
    assert_eq!(h.raw("profile:shop").as_deref(), Some(&b"hunter2"[..]));
    assert_eq!(h.raw(INDEX_ACCOUNT), None);
}

#[test]
fn a_damaged_index_stops_writes_before_anything_is_written() {
    let h = Harness::new();
    h.put_raw(INDEX_ACCOUNT, br#"{"format":1,"profiles":["a","#);
    let err = h.profiles.list().expect_err("damaged index");
    assert!(err.to_string().contains("listing the profiles"), "{err}");
    let err = h
        .profiles
        .save(&profile("a", "id"), IfExists::Refuse)
        .expect_err("no write");
    assert!(matches!(err, ProfileError::Damaged { .. }), "{err:?}");
    assert_eq!(h.raw("profile:a"), None);
    h.put_raw(INDEX_ACCOUNT, b"not json");
    assert!(matches!(
        h.profiles.list(),
        Err(ProfileError::Foreign { entry }) if entry == index_entry()
    ));
}

#[test]
fn a_locked_keyring_is_one_sentence_and_a_retry_works() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    h.fail_next(INDEX_ACCOUNT, locked());
    let err = h.profiles.list().expect_err("locked");
    assert!(matches!(err, ProfileError::Locked { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("the keyring is locked"), "{text}");
    assert!(text.contains("try again"), "{text}");
    assert!(
        text.contains("client IDs typed by hand still work"),
        "{text}"
    );
    assert_eq!(text.matches(". ").count(), 0, "one sentence: {text}");
    assert_eq!(h.names(), ["a"]);
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
#[test]
fn secret_service_errors_say_refused_missing_or_unavailable() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    h.fail_next(
        "profile:a",
        Error::NoStorageAccess(Box::new(secret_service::Error::Prompt)),
    );
    let err = h.profiles.get(&name("a")).expect_err("refused");
    assert_eq!(err, ProfileError::UnlockRefused);
    assert!(
        err.to_string()
            .contains("prompt was cancelled or could not be shown"),
        "{err}"
    );

    h.fail_next(
        INDEX_ACCOUNT,
        Error::NoStorageAccess(Box::new(secret_service::Error::NoResult)),
    );
    let err = h.profiles.list().expect_err("no default collection");
    assert_eq!(err, ProfileError::NoDefaultCollection);
    assert!(err.to_string().contains("make it the default"), "{err}");

    h.fail_next(
        INDEX_ACCOUNT,
        Error::PlatformFailure(Box::new(secret_service::Error::Unavailable)),
    );
    let err = h.profiles.list().expect_err("gone");
    assert!(matches!(err, ProfileError::Unavailable { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("no keyring is available"),
        "{err}"
    );
}

#[test]
fn a_store_that_could_not_start_is_unavailable() {
    let err = ProfileError::unavailable(&Error::NoDefaultStore);
    assert!(err.is_keyring_problem());
    assert!(
        err.to_string().starts_with("no keyring is available"),
        "{err}"
    );
}

#[test]
fn duplicate_entries_are_named_not_guessed() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    h.fail_next("profile:a", Error::Ambiguous(Vec::new()));
    let err = h.profiles.get(&name("a")).expect_err("ambiguous");
    assert!(err.to_string().contains("delete the extra ones"), "{err}");
}

#[test]
fn a_failed_index_write_takes_the_new_entry_back() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    h.fail_every(INDEX_ACCOUNT, Op::Set);
    let err = h
        .profiles
        .save(&profile("b", "id-b"), IfExists::Refuse)
        .expect_err("index write fails");
    assert!(matches!(err, ProfileError::Locked { .. }), "{err:?}");
    assert_eq!(h.raw("profile:b"), None, "the new entry is taken back");
    h.heal();
    assert_eq!(h.names(), ["a"]);
    save(&h, "b", "id-b");
    assert_eq!(h.names(), ["a", "b"]);
}

#[test]
fn rename_moves_the_profile_and_keeps_its_fields() {
    let h = Harness::new();
    let mut acme = profile("acme", "id-acme");
    acme.mode = Some(Mode::Live);
    acme.note = Some("n".to_owned());
    h.profiles.save(&acme, IfExists::Refuse).expect("saved");
    save(&h, "other", "id-other");

    h.profiles
        .rename(&name("acme"), &name("acme-eu"))
        .expect("renamed");
    assert_eq!(h.names(), ["acme-eu", "other"]);
    let moved = h.profiles.get(&name("acme-eu")).expect("moved");
    assert_eq!(
        (moved.client_id.as_str(), moved.mode),
        ("id-acme", Some(Mode::Live))
    );
    assert_eq!(h.raw("profile:acme"), None, "old entry deleted");

    assert_eq!(
        h.profiles.rename(&name("acme-eu"), &name("OTHER")),
        Err(ProfileError::Exists("OTHER".to_owned()))
    );
    h.profiles
        .rename(&name("acme-eu"), &name("ACME-EU"))
        .expect("case only");
    assert_eq!(h.names(), ["ACME-EU", "other"]);
}

#[test]
fn a_rename_that_cannot_delete_the_old_entry_loses_nothing() {
    let h = Harness::new();
    save(&h, "old", "id-1");
    h.fail_every("profile:old", Op::Delete);
    let err = h
        .profiles
        .rename(&name("old"), &name("new"))
        .expect_err("delete fails");
    assert!(err.is_keyring_problem());
    h.heal();
    assert_eq!(h.names(), ["new", "old"], "listed under both names");
    for n in ["old", "new"] {
        assert_eq!(h.profiles.get(&name(n)).expect(n).client_id, "id-1");
    }
}

#[test]
fn a_rename_that_cannot_update_the_list_changes_nothing() {
    let h = Harness::new();
    save(&h, "old", "id-1");
    h.fail_every(INDEX_ACCOUNT, Op::Set);
    h.profiles
        .rename(&name("old"), &name("new"))
        .expect_err("index write fails");
    h.heal();
    assert_eq!(h.names(), ["old"]);
    assert_eq!(h.raw("profile:new"), None);
}

#[test]
fn remove_deletes_the_entry_even_if_the_list_cannot_be_updated() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    save(&h, "b", "id-b");
    h.fail_every(INDEX_ACCOUNT, Op::Set);
    h.profiles.remove(&name("A")).expect("removed");
    h.heal();
    assert_eq!(h.raw("profile:a"), None, "the client ID is gone");
    assert_eq!(h.names(), ["b"]);
    h.profiles
        .remove(&name("a"))
        .expect("the dangling name is cleaned up");
    assert_eq!(
        h.profiles.remove(&name("a")),
        Err(ProfileError::NotFound("a".to_owned()))
    );
}

#[test]
fn the_mode_of_the_last_token_is_recorded() {
    let h = Harness::new();
    save(&h, "a", "id-a");
    let a = name("a");
    assert_eq!(h.profiles.record_mode(&a, Mode::Live), Ok(true));
    assert_eq!(h.profiles.record_mode(&a, Mode::Live), Ok(false));
    let stored = h.profiles.get(&a).expect("a");
    assert!(stored.is_live());
    assert_eq!(stored.client_id, "id-a");
    assert_eq!(
        h.profiles.record_mode(&name("ghost"), Mode::Test),
        Err(ProfileError::NotFound("ghost".to_owned()))
    );
}

#[test]
fn saves_from_many_threads_lose_no_profile() {
    fn shared<T: Send + Sync + ?Sized>(_: &T) {}
    let h = Harness::new();
    let store: Arc<dyn ProfileStore> = Arc::new(h.profiles);
    shared(&*store);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let p = profile(&format!("p{t}-{i}"), "id");
                    store.save(&p, IfExists::Refuse).expect("saved");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    assert_eq!(store.list().expect("list").profiles.len(), 80);
}

#[test]
fn the_in_memory_store_works_like_the_keyring() {
    let store = KeyringProfiles::in_memory().expect("memory");
    store
        .save(&profile("a", "id"), IfExists::Refuse)
        .expect("saved");
    assert_eq!(store.get(&name("a")).expect("a").client_id, "id");
}
