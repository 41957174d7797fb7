//! Named profiles (base URL, client ID, default scopes, note, last seen mode), kept whole in the
//! operating system's keyring and never in a plain file. Customer passwords are never part of a
//! profile.
//!
//! Faces use the [`ProfileStore`] trait. Its methods block (the keyring may show an unlock
//! prompt), so the window calls them through `tokio::task::spawn_blocking` on an
//! `Arc<dyn ProfileStore>`:
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use cl_login_tester::profiles::{KeyringProfiles, ProfileStore};
//! # async fn example() {
//! let store: Arc<dyn ProfileStore> = Arc::new(KeyringProfiles::platform());
//! let listed = tokio::task::spawn_blocking(move || store.list()).await;
//! # }
//! ```

mod error;
mod format;
mod keyring;

pub use error::{EntryRef, ProfileError};
pub use format::MAX_ENTRY_BYTES;
pub use keyring::KeyringProfiles;

use crate::auth::scope::parse_scopes;
use crate::auth::url::{token_url, DEFAULT_BASE_URL};
use crate::auth::{InputError, Mode, Required};

/// The keyring service every entry of this tool is filed under.
pub const SERVICE: &str = "cl-login-tester";

/// The account of the entry listing the profile names (keyrings cannot be enumerated portably).
pub const INDEX_ACCOUNT: &str = "index";

/// The account of a profile's entry. Names compare without case (Windows' Credential Manager
/// does), so `Acme` and `acme` are one profile.
pub fn profile_account(name: &str) -> String {
    format!("profile:{}", name.to_lowercase())
}

/// The entry listing the profile names.
pub fn index_entry() -> EntryRef {
    EntryRef {
        service: SERVICE,
        account: INDEX_ACCOUNT.to_owned(),
        profile: None,
    }
}

/// The entry holding profile `name`.
pub fn profile_entry(name: &str) -> EntryRef {
    EntryRef {
        service: SERVICE,
        account: profile_account(name),
        profile: Some(name.to_owned()),
    }
}

/// A checked profile name: trimmed, 1 to [`ProfileName::MAX_CHARS`] characters, no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileName(String);

impl ProfileName {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(text: &str) -> Result<Self, ProfileError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(ProfileError::BadName(
                "is empty: give the profile a name such as `acme-test`".to_owned(),
            ));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(ProfileError::BadName(format!(
                "is longer than {} characters: use a shorter one",
                Self::MAX_CHARS
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(ProfileError::BadName(
                "contains a control character (a tab, newline or similar): use letters, digits, spaces and punctuation".to_owned(),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What identifies the profile in the keyring: the name without case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// Whether both names lead to the same profile.
    pub fn same_profile(&self, other: &ProfileName) -> bool {
        self.key() == other.key()
    }
}

impl std::fmt::Display for ProfileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ProfileName {
    type Err = ProfileError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// One saved profile. `Debug` never shows the client ID.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: ProfileName,
    /// The auth host or full token URL, as the login form takes it.
    pub base_url: String,
    pub client_id: String,
    /// Single scope strings such as `market:code:europe`; empty for none.
    pub scopes: Vec<String>,
    pub note: Option<String>,
    /// Test or live, learnt from the last token issued with this profile; `None` until then.
    pub mode: Option<Mode>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("client_id", &"[hidden]")
            .field("scopes", &self.scopes)
            .field("note", &self.note)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Profile {
    /// A profile on the default base URL, with no scopes, note or known mode.
    pub fn new(name: ProfileName, client_id: impl Into<String>) -> Self {
        Self {
            name,
            base_url: DEFAULT_BASE_URL.to_owned(),
            client_id: client_id.into(),
            scopes: Vec::new(),
            note: None,
            mode: None,
        }
    }

    /// The profile as it will be saved: the login form's rules for the base URL (https, or http
    /// to this machine), client ID and scopes; fields trimmed, scopes split one per item, an
    /// empty note dropped. Stores call this before writing anything.
    pub fn checked(self) -> Result<Self, ProfileError> {
        let invalid = |error: InputError| ProfileError::Invalid {
            name: self.name.to_string(),
            error,
        };
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err(invalid(InputError::Empty(Required::ClientId)));
        }
        let base_url = self.base_url.trim();
        token_url(base_url).map_err(invalid)?;
        let scopes = parse_scopes(&self.scopes)
            .map_err(|e| invalid(e.into()))?
            .iter()
            .map(ToString::to_string)
            .collect();
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        Ok(Self {
            client_id: client_id.to_owned(),
            base_url: base_url.to_owned(),
            scopes,
            note,
            ..self
        })
    }

    pub fn is_live(&self) -> bool {
        self.mode == Some(Mode::Live)
    }
}

/// What to do when saving under a name that is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Fail with [`ProfileError::Exists`].
    Refuse,
    /// Overwrite the existing profile (never an entry this tool did not write).
    Replace,
}

/// A profile whose entry could not be read. The others are still listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub name: ProfileName,
    pub error: ProfileError,
}

/// The saved profiles, sorted by name without case, plus those that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    pub unreadable: Vec<Unreadable>,
}

/// Where profiles live. Every method may block on the keyring (an unlock prompt, a D-Bus call):
/// call it off the UI thread. Implementations are shared between threads.
pub trait ProfileStore: Send + Sync {
    /// Every saved profile, sorted by name.
    fn list(&self) -> Result<ProfileList, ProfileError>;

    /// One profile, [`ProfileError::NotFound`] when there is none by that name.
    fn get(&self, name: &ProfileName) -> Result<Profile, ProfileError>;

    /// Checks ([`Profile::checked`]) and saves a profile; with `Replace`, over an existing one.
    /// On failure nothing changes.
    fn save(&self, profile: &Profile, if_exists: IfExists) -> Result<(), ProfileError>;

    /// Gives a profile a new name (only its case may change too). If a step fails, the profile
    /// is never lost: at worst it is listed under both names.
    fn rename(&self, from: &ProfileName, to: &ProfileName) -> Result<(), ProfileError>;

    /// Deletes a profile's entry (also one that cannot be read).
    fn remove(&self, name: &ProfileName) -> Result<(), ProfileError>;

    /// Records the mode of a token just issued with the profile. Returns whether it changed.
    fn record_mode(&self, name: &ProfileName, mode: Mode) -> Result<bool, ProfileError> {
        let mut profile = self.get(name)?;
        if profile.mode == Some(mode) {
            return Ok(false);
        }
        profile.mode = Some(mode);
        self.save(&profile, IfExists::Replace)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(
            ProfileName::parse("  Acme test ").expect("ok").as_str(),
            "Acme test"
        );
        for bad in ["", "   ", "tab\there", "new\nline", &"x".repeat(65)] {
            let err = ProfileName::parse(bad).expect_err(bad);
            assert!(err.to_string().starts_with("profile name "), "{err}");
        }
        assert!(ProfileName::parse(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn names_compare_without_case() {
        let a = ProfileName::parse("Acme").expect("ok");
        let b = ProfileName::parse("ACME").expect("ok");
        assert!(a.same_profile(&b));
        assert_eq!(profile_account(a.as_str()), "profile:acme");
    }

    #[test]
    fn checking_applies_the_login_rules_and_normalizes() {
        let name = ProfileName::parse("p").expect("ok");
        let mut profile = Profile::new(name.clone(), "  id  ");
        profile.base_url = " http://127.0.0.1:8080 ".to_owned();
        profile.scopes = vec!["market:code:eu, store:id:x".to_owned()];
        profile.note = Some("  ".to_owned());
        let checked = profile.checked().expect("valid");
        assert_eq!(checked.client_id, "id");
        assert_eq!(checked.base_url, "http://127.0.0.1:8080");
        assert_eq!(checked.scopes, ["market:code:eu", "store:id:x"]);
        assert_eq!(checked.note, None);

        let mut remote_http = Profile::new(name.clone(), "id");
        remote_http.base_url = "http://auth.commercelayer.io".to_owned();
        let err = remote_http.checked().expect_err("plain http");
        assert!(err.to_string().contains("plain http"), "{err}");

        let mut bad_scope = Profile::new(name.clone(), "id");
        bad_scope.scopes = vec!["markets:code:eu".to_owned()];
        let err = bad_scope.checked().expect_err("scope");
        assert!(err.to_string().contains("`markets`"), "{err}");

        let err = Profile::new(name, " ").checked().expect_err("empty id");
        assert_eq!(err.to_string(), "profile `p`: client ID is empty");
    }

    #[test]
    fn debug_never_shows_the_client_id() {
        let profile = Profile::new(ProfileName::parse("p").expect("ok"), "secret-client-id");
        let shown = format!("{profile:?}");
        assert!(!shown.contains("secret-client-id"), "{shown}");
    }
}
