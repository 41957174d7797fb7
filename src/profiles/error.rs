//! What can go wrong with profiles, each as one sentence saying what is wrong and how to fix it.
//! The keyring's own errors are sorted here into the few cases a person can act on.

use thiserror::Error;

use crate::auth::InputError;

/// Which keyring entry a problem is about, named so a person can find it in a keyring manager.
/// Built by the profiles module, which owns the entries' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRef {
    pub service: &'static str,
    pub account: String,
    /// The profile the entry holds; `None` for the entry listing the profile names.
    pub profile: Option<String>,
}

impl std::fmt::Display for EntryRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (service, account) = (self.service, &self.account);
        match &self.profile {
            None => write!(
                f,
                "the keyring entry listing the profiles (service `{service}`, account `{account}`)"
            ),
            Some(name) => write!(
                f,
                "the keyring entry of profile `{name}` (service `{service}`, account `{account}`)"
            ),
        }
    }
}

/// The fix for a damaged or foreign entry, which depends on which entry it is.
fn entry_fix(entry: &EntryRef) -> String {
    match &entry.profile {
        None => "delete that entry in your keyring manager (e.g. Seahorse, Keychain Access, Credential Manager), then save your profiles again: their own entries are untouched".to_owned(),
        Some(name) => format!("remove profile `{name}` and save it again; other profiles are not affected"),
    }
}

/// Where the platform keeps secrets, named the way its users know it.
const KEYRING_NAME: &str = if cfg!(target_os = "macos") {
    "the macOS Keychain"
} else if cfg!(target_os = "windows") {
    "the Windows Credential Manager"
} else {
    "the Secret Service (gnome-keyring or KWallet)"
};

const START_HINT: &str = if cfg!(target_os = "macos") || cfg!(target_os = "windows") {
    "log in to a desktop session"
} else {
    "start it on the D-Bus session bus (or log in to a desktop session that runs it)"
};

const UNLOCK_HINT: &str = if cfg!(target_os = "macos") {
    "unlock the login keychain in Keychain Access"
} else if cfg!(target_os = "windows") {
    "log in to Windows with your own account"
} else {
    "unlock the login keyring in Seahorse (Passwords and Keys), or log in to the desktop again"
};

const CREATE_HINT: &str = if cfg!(target_os = "macos") {
    "create a login keychain in Keychain Access"
} else if cfg!(target_os = "windows") {
    "log in to Windows with your own account"
} else {
    "create a keyring and make it the default in Seahorse (Passwords and Keys)"
};

/// Typed client IDs never need the keyring: said wherever the keyring fails.
const STILL_USABLE: &str = "client IDs typed by hand still work";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    #[error("profile name {0}")]
    BadName(String),

    #[error(
        "there is no profile named `{0}`: list the saved ones with `cl-login-tester profiles list`"
    )]
    NotFound(String),

    #[error("a profile named `{0}` already exists: choose another name, or replace or remove the existing one")]
    Exists(String),

    #[error("profile `{name}`: {error}")]
    Invalid { name: String, error: InputError },

    #[error("profile `{name}` is {bytes} bytes, more than the {max} a keyring entry holds everywhere: shorten its note or scopes")]
    TooLarge {
        name: String,
        bytes: usize,
        max: usize,
    },

    #[error("the list of profile names is {bytes} bytes, more than the {max} a keyring entry holds everywhere: remove profiles you no longer need, or use shorter names")]
    TooManyProfiles { bytes: usize, max: usize },

    #[error("no keyring is available: {keyring} could not be reached ({detail}); {start_hint} and try again ({still_usable})", keyring = KEYRING_NAME, start_hint = START_HINT, still_usable = STILL_USABLE)]
    Unavailable { detail: String },

    #[error("the keyring is locked and was not unlocked ({detail}): {unlock_hint}, then try again ({still_usable})", unlock_hint = UNLOCK_HINT, still_usable = STILL_USABLE)]
    Locked { detail: String },

    #[error("the keyring has no default collection to keep profiles in: {create_hint}, then try again ({still_usable})", create_hint = CREATE_HINT, still_usable = STILL_USABLE)]
    NoDefaultCollection,

    #[error("the keyring is locked and its unlock prompt was cancelled or could not be shown: {unlock_hint} (or accept the prompt when it appears), then try again ({still_usable})", unlock_hint = UNLOCK_HINT, still_usable = STILL_USABLE)]
    UnlockRefused,

    #[error("{entry} was not written by cl-login-tester, so it was left alone: {fix}", fix = entry_fix(entry))]
    Foreign { entry: EntryRef },

    #[error("{entry} is damaged ({detail}): {fix}", fix = entry_fix(entry))]
    Damaged { entry: EntryRef, detail: String },

    #[error("{entry} was written by a newer cl-login-tester (format {format}, this one reads {known}): upgrade cl-login-tester to use it")]
    NewerFormat {
        entry: EntryRef,
        format: u64,
        known: u64,
    },

    #[error("the keyring holds {count} entries for {entry}, so it cannot tell which one is right: delete the extra ones in your keyring manager (e.g. Seahorse)")]
    Ambiguous { entry: EntryRef, count: usize },

    #[error("the keyring failed ({detail}): check that {keyring} works and try again ({still_usable})", keyring = KEYRING_NAME, still_usable = STILL_USABLE)]
    Keyring { detail: String },
}

impl ProfileError {
    /// True when the keyring itself (not the person's input) is the problem: the window shows
    /// these in a banner, the CLI exits with its keyring code.
    pub fn is_keyring_problem(&self) -> bool {
        match self {
            ProfileError::BadName(_)
            | ProfileError::NotFound(_)
            | ProfileError::Exists(_)
            | ProfileError::Invalid { .. }
            | ProfileError::TooLarge { .. }
            | ProfileError::TooManyProfiles { .. } => false,
            ProfileError::Unavailable { .. }
            | ProfileError::Locked { .. }
            | ProfileError::NoDefaultCollection
            | ProfileError::UnlockRefused
            | ProfileError::Foreign { .. }
            | ProfileError::Damaged { .. }
            | ProfileError::NewerFormat { .. }
            | ProfileError::Ambiguous { .. }
            | ProfileError::Keyring { .. } => true,
        }
    }

    /// True when only one entry is affected, so the others can still be listed.
    pub fn is_about_one_entry(&self) -> bool {
        matches!(
            self,
            ProfileError::Foreign { .. }
                | ProfileError::Damaged { .. }
                | ProfileError::NewerFormat { .. }
                | ProfileError::Ambiguous { .. }
        )
    }

    /// The platform store could not be set up at all.
    pub(crate) fn unavailable(error: &keyring_core::Error) -> Self {
        ProfileError::Unavailable {
            detail: detail(error),
        }
    }

    /// Sorts an error from an operation on `entry`. `NoEntry` is handled by the callers, where
    /// "not there" has a meaning.
    pub(crate) fn from_keyring(error: keyring_core::Error, entry: EntryRef) -> Self {
        use keyring_core::Error as K;
        match error {
            K::NoStorageAccess(ref inner) => match access_problem(inner.as_ref()) {
                Access::Refused => ProfileError::UnlockRefused,
                Access::NoDefaultCollection => ProfileError::NoDefaultCollection,
                Access::Gone => ProfileError::Unavailable {
                    detail: detail(&error),
                },
                Access::Locked => ProfileError::Locked {
                    detail: detail(&error),
                },
            },
            K::PlatformFailure(ref inner) if is_unreachable(inner.as_ref()) => {
                ProfileError::Unavailable {
                    detail: detail(&error),
                }
            }
            K::NoDefaultStore => ProfileError::Unavailable {
                detail: detail(&error),
            },
            K::BadEncoding(_) | K::BadDataFormat(..) => ProfileError::Foreign { entry },
            K::Ambiguous(entries) => ProfileError::Ambiguous {
                entry,
                count: entries.len(),
            },
            other => ProfileError::Keyring {
                detail: detail(&other),
            },
        }
    }
}

/// The keyring's words for an error, with the platform error behind it. Never holds a secret:
/// the variants that carry the entry's bytes are not passed here.
fn detail(error: &keyring_core::Error) -> String {
    use std::error::Error as _;
    let top = error.to_string();
    match error.source().map(ToString::to_string) {
        Some(inner) if !top.contains(&inner) => format!("{top}: {inner}"),
        _ => top,
    }
}

enum Access {
    Locked,
    Refused,
    Gone,
    NoDefaultCollection,
}

/// Tells a refused unlock and a vanished service from a plain locked keyring.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn access_problem(inner: &(dyn std::error::Error + 'static)) -> Access {
    use secret_service::Error as S;
    match inner.downcast_ref::<S>() {
        Some(S::Prompt) => Access::Refused,
        // The store asks for the collection aliased `default`; no such alias gives no result.
        Some(S::NoResult) => Access::NoDefaultCollection,
        Some(S::PromptDisconnected | S::Unavailable) => Access::Gone,
        _ => Access::Locked,
    }
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn access_problem(_inner: &(dyn std::error::Error + 'static)) -> Access {
    Access::Locked
}

/// The Secret Service went away (or was never there) while an operation ran.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn is_unreachable(inner: &(dyn std::error::Error + 'static)) -> bool {
    use secret_service::Error as S;
    matches!(
        inner.downcast_ref::<S>(),
        Some(S::Unavailable | S::PromptDisconnected)
    )
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn is_unreachable(_inner: &(dyn std::error::Error + 'static)) -> bool {
    false
}
