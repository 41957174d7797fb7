//! Profiles in the window: the picker above the form, Save as profile, rename, delete with
//! confirmation, the live warning, and the Profile box's line when the keyring cannot be used. The keyring is
//! keyring-core's in-memory mock (or a store that always fails); the logins go to the demo server.
// Helpers of a test fail the test loudly, like the test itself.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::sync::Arc;

use cl_login_tester::auth::Mode;
use cl_login_tester::profiles::{
    profile_account, IfExists, KeyringProfiles, Profile, ProfileError, ProfileList, ProfileName,
    ProfileStore, SERVICE,
};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use support::window::{fixed_now, Window};
use support::{catalog, Demo};

fn name(text: &str) -> ProfileName {
    ProfileName::parse(text).expect("name")
}

fn memory_store() -> Arc<KeyringProfiles> {
    Arc::new(KeyringProfiles::in_memory().expect("in-memory keyring"))
}

fn names(store: &dyn ProfileStore) -> Vec<String> {
    store
        .list()
        .expect("list")
        .profiles
        .iter()
        .map(|p| p.name.to_string())
        .collect()
}

impl Window {
    fn save_as(&mut self, profile_name: &str) {
        self.click("Save as profile…");
        self.retype("Profile name", profile_name);
        self.click("Save");
        self.settle_keyring();
    }

    /// Opens the picker and chooses a profile in it.
    fn choose(&mut self, label: &str) {
        self.click("Profile");
        self.pick(label);
    }

    /// Chooses a profile in the open picker.
    fn pick(&mut self, label: &str) {
        self.harness
            .get_all_by_label_contains(label)
            .last()
            .expect("the profile in the picker")
            .click();
        self.harness.run();
    }

    /// What the closed picker shows.
    fn picker_text(&self) -> String {
        self.harness
            .get_by_role_and_label(Role::ComboBox, "Profile")
            .accesskit_node()
            .value()
            .unwrap_or_default()
    }

    fn selected(&self) -> Option<String> {
        self.harness
            .state()
            .selected_profile()
            .map(|p| p.name.to_string())
    }
}

#[test]
fn a_saved_profile_is_listed_and_fills_a_fresh_window() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();
    assert_eq!(
        w.picker_text(),
        "None (type a client ID)",
        "nothing chosen at first"
    );

    w.save_as("Demo EU");
    let saved = store.get(&name("Demo EU")).expect("saved in the keyring");
    assert_eq!(saved.client_id, catalog::TEST_CLIENT_ID);
    assert_eq!(saved.base_url, demo.url());
    assert_eq!(saved.scopes, [catalog::DEMO_SCOPE]);
    assert_eq!(w.picker_text(), "Demo EU", "the new profile is chosen");
    assert!(!w.shows("Profile name"), "the name field closed");

    let mut fresh = Window::blank().store(store.clone()).build();
    assert_eq!(fresh.harness.state().form().client_id, "");
    fresh.harness.state_mut().form_mut().email = "someone@example.com".to_owned();
    fresh.choose("Demo EU");
    let app = fresh.harness.state();
    assert_eq!(app.form().client_id, catalog::TEST_CLIENT_ID);
    assert_eq!(app.prefs.base_url, demo.url());
    assert_eq!(app.prefs.scope_text, catalog::DEMO_SCOPE);
    assert_eq!(
        app.form().email,
        "someone@example.com",
        "the customer is left alone"
    );
    assert_eq!(
        app.form().password.as_str(),
        "",
        "the password is left alone"
    );

    // The chosen profile logs in like typed values do.
    *fresh.harness.state_mut().form_mut().password = catalog::CUSTOMER_PASSWORD.to_owned();
    fresh.harness.state_mut().form_mut().email = catalog::CUSTOMER_EMAIL.to_owned();
    fresh.get_token();
    assert!(fresh.shows("Token issued"));
}

#[test]
fn names_are_checked_next_to_the_field_and_a_taken_one_can_be_replaced() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();

    w.click("Save as profile…");
    w.click("Save");
    assert!(
        w.shows("Profile name is empty"),
        "the name's problem next to it"
    );

    w.retype("Profile name", "Demo EU");
    w.click("Save");
    w.settle_keyring();
    assert_eq!(names(store.as_ref()), ["Demo EU"]);

    w.harness.state_mut().prefs.scope_text = "market:code:usa".to_owned();
    w.harness.run();
    assert!(
        w.shows("(edited)"),
        "the form no longer matches the profile"
    );
    w.click("Save as profile…");
    w.click("Save");
    w.settle_keyring();
    assert!(w.shows("already exists"), "{:?}", names(store.as_ref()));
    w.click("Replace “Demo EU”");
    w.settle_keyring();
    let saved = store.get(&name("Demo EU")).expect("saved");
    assert_eq!(saved.scopes, ["market:code:usa"], "replaced");
    assert!(!w.shows("(edited)"));

    w.harness.state_mut().form_mut().client_id.clear();
    w.click("Save as profile…");
    w.retype("Profile name", "No client");
    w.click("Save");
    assert!(
        w.shows("client ID is empty"),
        "the form's problem by the name"
    );
    assert!(
        !w.harness.state().keyring_busy(),
        "nothing reached the keyring"
    );
    assert_eq!(names(store.as_ref()), ["Demo EU"]);
}

#[test]
fn enter_in_the_name_field_saves_and_does_not_log_in() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();
    w.click("Save as profile…");
    w.harness.get_by_label("Profile name").type_text("Typed");
    w.harness.key_press(egui::Key::Enter);
    w.harness.run();
    w.settle_keyring();
    assert_eq!(names(store.as_ref()), ["Typed"]);
    assert!(!w.harness.state().is_busy(), "no login was started");
    assert!(w.harness.state().answer().is_none());
}

#[test]
fn rename_moves_the_profile_and_keeps_it_chosen() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();
    w.save_as("Old name");

    w.click("Rename…");
    w.retype("New name", "New name");
    w.click("Rename");
    w.settle_keyring();
    assert_eq!(names(store.as_ref()), ["New name"]);
    assert_eq!(w.selected().as_deref(), Some("New name"));
    assert!(!w.shows("Old name"));
}

#[test]
fn delete_asks_first_and_then_removes() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();
    w.save_as("Doomed");

    w.click("Delete…");
    assert!(w.shows("Delete profile “Doomed”?"), "a confirmation first");
    w.click("Cancel");
    assert!(!w.shows("Delete profile"));
    assert_eq!(names(store.as_ref()), ["Doomed"], "kept when cancelled");

    w.click("Delete…");
    w.click("Delete");
    w.settle_keyring();
    assert!(names(store.as_ref()).is_empty(), "removed once confirmed");
    assert_eq!(w.selected(), None);
    assert!(!w.shows("Delete profile"));
    assert_eq!(
        w.harness.state().form().client_id,
        catalog::TEST_CLIENT_ID,
        "the form keeps what it showed"
    );
}

#[test]
fn a_live_profile_is_shown_in_the_warning_colour() {
    let store = memory_store();
    let mut live = Profile::new(name("Shop live"), "live-client");
    live.mode = Some(Mode::Live);
    store.save(&live, IfExists::Refuse).expect("saved");
    store
        .save(
            &Profile::new(name("Shop test"), "test-client"),
            IfExists::Refuse,
        )
        .expect("saved");

    let mut w = Window::blank().store(store).build();
    assert!(!w.shows("Live profile"));
    w.click("Profile");
    assert!(w.shows("LIVE"), "tagged in the picker");
    w.pick("Shop live");
    assert!(w.shows("LIVE"), "tagged once chosen");
    assert!(w.shows("Live profile: its tokens act on real customers and orders."));
    w.choose("Shop test");
    assert!(!w.shows("Live profile"));
}

#[test]
fn a_login_records_the_token_mode_in_the_chosen_profile() {
    let demo = Demo::start();
    let store = memory_store();
    let mut w = Window::demo(&demo).store(store.clone()).build();
    w.retype("Client ID", catalog::LIVE_CLIENT_ID);
    w.save_as("Demo live");
    assert!(!w.shows("Live profile"), "not known to be live yet");

    w.get_token();
    assert!(w.shows("Token issued"));
    w.settle_keyring();
    assert_eq!(
        store.get(&name("Demo live")).expect("saved").mode,
        Some(Mode::Live)
    );
    assert!(w.shows("Live profile"), "the warning appears at once");

    // A typed client ID other than the profile's says nothing about the profile.
    w.harness.state_mut().form_mut().client_id = catalog::TEST_CLIENT_ID.to_owned();
    w.get_token();
    w.settle_keyring();
    assert_eq!(
        store.get(&name("Demo live")).expect("saved").mode,
        Some(Mode::Live)
    );
}

/// A keyring that is not there, as on a desktop without a Secret Service.
struct NoKeyring;

impl NoKeyring {
    fn error() -> ProfileError {
        ProfileError::Unavailable {
            detail: "The name org.freedesktop.secrets was not provided by any .service files"
                .to_owned(),
        }
    }
}

impl ProfileStore for NoKeyring {
    fn list(&self) -> Result<ProfileList, ProfileError> {
        Err(Self::error())
    }
    fn get(&self, _: &ProfileName) -> Result<Profile, ProfileError> {
        Err(Self::error())
    }
    fn save(&self, _: &Profile, _: IfExists) -> Result<(), ProfileError> {
        Err(Self::error())
    }
    fn rename(&self, _: &ProfileName, _: &ProfileName) -> Result<(), ProfileError> {
        Err(Self::error())
    }
    fn remove(&self, _: &ProfileName) -> Result<(), ProfileError> {
        Err(Self::error())
    }
}

#[test]
fn without_a_keyring_the_profile_box_says_so_in_one_line_and_typed_client_ids_still_log_in() {
    let demo = Demo::start();
    let mut w = Window::demo(&demo).store(Arc::new(NoKeyring)).build();
    let sentence = NoKeyring::error().to_string();
    assert!(
        w.shows("Profiles need a keyring:"),
        "said at start, before anything was saved"
    );
    assert!(
        !w.shows("No keyring is available"),
        "the details wait to be asked for"
    );
    // In the Profile box, not a banner across the window.
    let line = w.harness.get_by_label("Profiles need a keyring:").rect();
    let save = w.harness.get_by_label("Save as profile…").rect();
    let picker = w.harness.get_by_label("Profile").rect();
    assert!(
        line.min.y > picker.max.y && line.max.y < save.min.y,
        "between the picker and its buttons: {line:?}"
    );
    assert!(
        (line.min.x - save.min.x).abs() < 1.0,
        "in the box's column: {line:?} {save:?}"
    );

    w.click("Details");
    assert!(w.shows("No keyring is available"), "the sentence on demand");
    assert!(w.shows(&sentence[1..]), "the whole sentence: {sentence}");
    assert!(w.shows("client IDs typed by hand still work"));
    w.click("Details");
    assert!(!w.shows("No keyring is available"), "and folded again");

    w.save_as("Anything");
    assert!(
        w.shows("Not saved: the keyring cannot be used (see Details above)"),
        "the save says why, next to the name"
    );
    assert!(
        w.shows("No keyring is available"),
        "a failed save opens the details"
    );
    assert_eq!(
        w.harness
            .query_all_by_label("Profiles need a keyring:")
            .count(),
        1,
        "still one line"
    );
    w.click("Close");

    w.get_token();
    assert!(w.shows("Token issued"), "the typed client ID works");

    w.click("Try again");
    w.settle_keyring();
    assert!(w.shows("Profiles need a keyring:"));
}

/// A keyring backend with a bug: every call panics.
struct PanickingKeyring;

impl PanickingKeyring {
    fn bug() -> ! {
        panic!("a bug in the keyring backend (this panic is part of the test)")
    }
}

impl ProfileStore for PanickingKeyring {
    fn list(&self) -> Result<ProfileList, ProfileError> {
        Self::bug()
    }
    fn get(&self, _: &ProfileName) -> Result<Profile, ProfileError> {
        Self::bug()
    }
    fn save(&self, _: &Profile, _: IfExists) -> Result<(), ProfileError> {
        Self::bug()
    }
    fn rename(&self, _: &ProfileName, _: &ProfileName) -> Result<(), ProfileError> {
        Self::bug()
    }
    fn remove(&self, _: &ProfileName) -> Result<(), ProfileError> {
        Self::bug()
    }
}

#[test]
fn a_keyring_call_that_dies_is_reported_and_nothing_waits_for_it() {
    let demo = Demo::start();
    // Building waits until no keyring call is pending: a lost one must not stay pending.
    let mut w = Window::demo(&demo)
        .store(Arc::new(PanickingKeyring))
        .build();
    assert!(
        w.shows("The profiles could not be read:"),
        "the Profile box says so"
    );
    w.click("Details");
    assert!(
        w.shows("Reading the profiles stopped without an answer (an internal error)"),
        "the details say why"
    );
    w.save_as("Anything");
    assert!(
        w.shows("Saving the profile stopped without an answer"),
        "next to the name"
    );
    assert!(!w.harness.state().keyring_busy(), "the buttons work again");
    w.get_token();
    assert!(w.shows("Token issued"), "the typed client ID works");
}

#[test]
fn a_damaged_entry_is_reported_and_the_others_stay_usable() {
    let mock: Arc<keyring_core::CredentialStore> =
        keyring_core::mock::Store::new().expect("mock store");
    let store = Arc::new(KeyringProfiles::in_store(mock.clone()));
    for (profile_name, client_id) in [("Good", "good-client"), ("Broken", "broken-client")] {
        store
            .save(
                &Profile::new(name(profile_name), client_id),
                IfExists::Refuse,
            )
            .expect("saved");
    }
    keyring_core::Entry::new_in_store(&mock, SERVICE, &profile_account("Broken"))
        .expect("entry")
        .set_secret(b"{\"not\": \"a profile\"")
        .expect("overwritten");

    let mut w = Window::blank().store(store.clone()).build();
    assert!(w.shows("Profile “Broken” cannot be read."), "reported");
    assert!(
        w.shows("remove profile `Broken` and save it again"),
        "with the fix"
    );
    w.choose("Good");
    assert_eq!(
        w.harness.state().form().client_id,
        "good-client",
        "the others work"
    );

    w.click("Delete “Broken”…");
    assert!(w.shows("Delete profile “Broken”?"));
    w.click("Delete");
    w.settle_keyring();
    assert!(!w.shows("cannot be read"), "gone with its entry");
    assert_eq!(names(store.as_ref()), ["Good"]);
}

// ---- The picture ----

#[test]
fn snapshot_profiles() {
    let store = memory_store();
    let profiles = [
        (
            "Acme EU test",
            "acme-eu-test",
            Some(Mode::Test),
            "market:code:europe",
        ),
        (
            "Acme US live",
            "acme-us-live",
            Some(Mode::Live),
            "market:code:usa",
        ),
        ("Staging", "staging-client", None, ""),
    ];
    for (profile_name, client_id, mode, scope) in profiles {
        let mut profile = Profile::new(name(profile_name), client_id);
        profile.base_url = "https://auth.commercelayer.io".to_owned();
        profile.scopes = vec![scope.to_owned()];
        profile.mode = mode;
        store.save(&profile, IfExists::Refuse).expect("saved");
    }
    let mut w = Window::blank().clock(fixed_now).store(store).build();
    w.choose("Acme US live");
    w.harness.snapshot("profiles");
}
