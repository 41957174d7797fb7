//! Profiles in the window: the picker's state and what it asks for (`view` draws it), and the
//! keyring work behind it (`keyring`), which never runs on the UI thread. Profiles come from the
//! keyring only; nothing here is persisted.

mod keyring;
mod problems;
pub mod view;

use std::sync::Arc;

use egui::Context;

use self::keyring::Keyring;
use crate::attempt::Attempt;
use crate::clock::Clock;
use crate::profiles::{IfExists, Profile, ProfileList, ProfileName, ProfileStore};

/// The part of the login form a profile holds: what "Save as profile" keeps and what the
/// picker compares to say "(edited)".
#[derive(Debug, Clone, Copy)]
pub struct FormFields<'a> {
    pub client_id: &'a str,
    pub base_url: &'a str,
    pub scope_text: &'a str,
}

/// What the picker shows and edits.
#[derive(Default)]
pub struct ProfilesState {
    /// The profiles as last read from the keyring; `None` until the first read came back.
    pub list: Option<ProfileList>,
    pub selected: Option<ProfileName>,
    pub editor: Option<NameEditor>,
    /// The profile whose removal waits for a yes.
    pub confirm_remove: Option<ProfileName>,
    /// Why the keyring cannot be used: one line in the Profile box, the sentence on demand.
    pub keyring_problem: Option<KeyringProblem>,
    /// The keyring problem's sentence is shown (Details).
    pub details_open: bool,
    /// A problem with a profile action that is neither the keyring's nor a typed name's (a
    /// profile removed by another program meanwhile, a mode that could not be recorded).
    pub notice: Option<String>,
    /// Keyring reads running in the background (the list, a token's mode).
    pub reading: usize,
    /// Saves, renames and removals the person asked for, still running.
    pub changing: usize,
}

/// Why profiles cannot be used: a few words for the Profile box, and the whole sentence (what
/// went wrong, what to do) for Details.
#[derive(Debug, Clone)]
pub struct KeyringProblem {
    pub headline: &'static str,
    pub detail: String,
}

impl KeyringProblem {
    /// The keyring itself cannot be used (none running, locked, no collection...).
    fn keyring(detail: String) -> Self {
        Self {
            headline: "Profiles need a keyring",
            detail,
        }
    }

    /// Reading the profiles failed otherwise (a bug in the keyring backend).
    fn unread(detail: String) -> Self {
        Self {
            headline: "The profiles could not be read",
            detail,
        }
    }
}

/// The name field of "Save as profile" or "Rename".
pub struct NameEditor {
    pub purpose: Purpose,
    pub text: String,
    /// Next to the field: a bad name, a name taken, a form that cannot be saved.
    pub error: Option<String>,
    /// The typed name belongs to a saved profile: offer to replace it.
    pub taken: Option<ProfileName>,
    /// Focus the field when it first shows.
    pub(super) focus: bool,
}

pub enum Purpose {
    SaveAs,
    Rename(ProfileName),
}

impl NameEditor {
    pub(super) fn new(purpose: Purpose, text: String) -> Self {
        Self {
            purpose,
            text,
            error: None,
            taken: None,
            focus: true,
        }
    }
}

pub enum ProfileCommand {
    /// Fill the form from this profile.
    Choose(ProfileName),
    Deselect,
    /// Save the form as this profile.
    Save(ProfileName, IfExists),
    Rename {
        from: ProfileName,
        to: ProfileName,
    },
    Remove(ProfileName),
    /// Read the keyring again (after the person fixed it).
    Reload,
}

impl ProfilesState {
    pub fn profile(&self, name: &ProfileName) -> Option<&Profile> {
        self.list
            .as_ref()?
            .profiles
            .iter()
            .find(|p| p.name.same_profile(name))
    }

    pub fn selected_profile(&self) -> Option<&Profile> {
        self.profile(self.selected.as_ref()?)
    }

    pub fn is_busy(&self) -> bool {
        self.reading > 0 || self.changing > 0
    }
}

/// The profiles and the keyring calls that read and change them.
pub struct Profiles {
    pub state: ProfilesState,
    keyring: Keyring,
}

impl Profiles {
    /// Starts reading the profiles in the background: the keyring may be slow or ask to be
    /// unlocked.
    pub fn new(
        store: Arc<dyn ProfileStore>,
        runtime: tokio::runtime::Handle,
        ctx: Context,
        clock: Clock,
    ) -> Self {
        let mut profiles = Self {
            state: ProfilesState::default(),
            keyring: Keyring::new(store, runtime, ctx, clock),
        };
        profiles.keyring.load(&mut profiles.state);
        profiles
    }

    /// The start of a frame: takes in what the keyring calls brought back.
    pub fn logic(&mut self) {
        self.keyring.drain(&mut self.state);
    }

    /// Applies what the picker asked for. Choosing a profile needs nothing but the list in
    /// memory and returns the profile for the form to take; the rest goes to the keyring in
    /// the background.
    pub fn apply(&mut self, command: ProfileCommand, form: FormFields<'_>) -> Option<Profile> {
        let state = &mut self.state;
        match command {
            ProfileCommand::Choose(name) => {
                let profile = state.profile(&name)?.clone();
                state.selected = Some(profile.name.clone());
                state.notice = None;
                return Some(profile);
            }
            ProfileCommand::Deselect => state.selected = None,
            ProfileCommand::Save(name, if_exists) => {
                self.keyring.save(state, name, if_exists, form);
            }
            ProfileCommand::Rename { from, to } => self.keyring.rename(state, from, to),
            ProfileCommand::Remove(name) => self.keyring.remove(state, name),
            ProfileCommand::Reload => self.keyring.load(state),
        }
        None
    }

    /// After a token came back: remembers its mode in the profile it was asked with.
    pub fn record_mode(&mut self, attempt: &Attempt) {
        self.keyring.record_mode(&mut self.state, attempt);
    }

    pub fn selected_profile(&self) -> Option<&Profile> {
        self.state.selected_profile()
    }

    /// Whether a keyring call is still running.
    pub fn is_busy(&self) -> bool {
        self.state.is_busy()
    }
}
