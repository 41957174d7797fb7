//! Profiles in a `keyring` credential store: one entry per profile (its JSON) plus one entry
//! listing the names. In production that is the platform store (Secret Service, Keychain,
//! Credential Manager); tests pass keyring-core's in-memory mock store.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use super::error::{EntryRef, ProfileError};
use super::format::{decode_index, decode_profile, encode_index, encode_profile};
use super::{
    index_entry, profile_account, profile_entry, IfExists, Profile, ProfileList, ProfileName,
    ProfileStore, Unreadable, INDEX_ACCOUNT, SERVICE,
};

enum Backend {
    /// The platform's store, set up by the `keyring` crate on first use.
    Platform,
    Given(Arc<CredentialStore>),
}

/// A [`ProfileStore`] over a keyring credential store.
pub struct KeyringProfiles {
    backend: Backend,
    /// Writes read, change and write the index: one at a time within this process.
    writing: Mutex<()>,
}

impl KeyringProfiles {
    /// The operating system's keyring. Nothing is touched until the first call, so creating it
    /// never blocks and never fails; an unavailable keyring is reported by each call.
    pub fn platform() -> Self {
        Self::with(Backend::Platform)
    }

    /// Any keyring-core store, e.g. `keyring_core::mock::Store::new()` with injected failures.
    pub fn in_store(store: Arc<CredentialStore>) -> Self {
        Self::with(Backend::Given(store))
    }

    /// A store that lives in this process's memory only (keyring-core's mock store): for tests
    /// and demos, never persisted anywhere.
    pub fn in_memory() -> Result<Self, ProfileError> {
        let store = keyring_core::mock::Store::new().map_err(|e| ProfileError::unavailable(&e))?;
        Ok(Self::in_store(store))
    }

    fn with(backend: Backend) -> Self {
        Self {
            backend,
            writing: Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, ()> {
        // The guarded data is `()`: a panic elsewhere cannot leave it inconsistent.
        self.writing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn entry(&self, account: &str, about: &EntryRef) -> Result<Entry, ProfileError> {
        let built = match &self.backend {
            Backend::Platform => {
                if let Err(e) = keyring::Entry::store_status() {
                    return Err(ProfileError::unavailable(e));
                }
                keyring::Entry::new(SERVICE, account).map(|e| e.inner)
            }
            Backend::Given(store) => Entry::new_in_store(store, SERVICE, account),
        };
        built.map_err(|e| ProfileError::from_keyring(e, about.clone()))
    }

    /// The entry's bytes, `None` when there is no entry.
    fn read(
        &self,
        account: &str,
        about: &EntryRef,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, ProfileError> {
        match self.entry(account, about)?.get_secret() {
            Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(ProfileError::from_keyring(e, about.clone())),
        }
    }

    fn write(&self, account: &str, about: &EntryRef, bytes: &[u8]) -> Result<(), ProfileError> {
        self.entry(account, about)?
            .set_secret(bytes)
            .map_err(|e| ProfileError::from_keyring(e, about.clone()))
    }

    /// Deletes the entry; one that is already gone is fine.
    fn delete(&self, account: &str, about: &EntryRef) -> Result<(), ProfileError> {
        match self.entry(account, about)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(ProfileError::from_keyring(e, about.clone())),
        }
    }

    fn read_index(&self) -> Result<Vec<ProfileName>, ProfileError> {
        match self.read(INDEX_ACCOUNT, &index_entry())? {
            Some(bytes) => decode_index(&bytes),
            None => Ok(Vec::new()),
        }
    }

    fn write_index(&self, names: &[ProfileName]) -> Result<(), ProfileError> {
        let bytes = encode_index(names)?;
        self.write(INDEX_ACCOUNT, &index_entry(), &bytes)
    }

    fn read_profile(&self, name: &ProfileName) -> Result<Option<Profile>, ProfileError> {
        let about = profile_entry(name.as_str());
        self.read(&profile_account(name.as_str()), &about)?
            .map(|bytes| decode_profile(&bytes, name))
            .transpose()
    }
}

/// `names` with `name` in it once, under its latest spelling.
fn with_name(names: &[ProfileName], name: &ProfileName) -> Vec<ProfileName> {
    let mut out: Vec<ProfileName> = names
        .iter()
        .filter(|n| !n.same_profile(name))
        .cloned()
        .collect();
    out.push(name.clone());
    out
}

fn without_name(names: &[ProfileName], name: &ProfileName) -> Vec<ProfileName> {
    names
        .iter()
        .filter(|n| !n.same_profile(name))
        .cloned()
        .collect()
}

impl ProfileStore for KeyringProfiles {
    fn list(&self) -> Result<ProfileList, ProfileError> {
        let mut list = ProfileList::default();
        let mut names = self.read_index()?;
        names.sort_by_key(ProfileName::key);
        names.dedup_by(|a, b| a.same_profile(b));
        for name in names {
            match self.read_profile(&name) {
                Ok(Some(profile)) => list.profiles.push(profile),
                // Listed but gone: a removal whose index update did not happen.
                Ok(None) => {}
                Err(error) if error.is_about_one_entry() => {
                    list.unreadable.push(Unreadable { name, error });
                }
                Err(error) => return Err(error),
            }
        }
        Ok(list)
    }

    fn get(&self, name: &ProfileName) -> Result<Profile, ProfileError> {
        self.read_profile(name)?
            .ok_or_else(|| ProfileError::NotFound(name.to_string()))
    }

    fn save(&self, profile: &Profile, if_exists: IfExists) -> Result<(), ProfileError> {
        let profile = profile.clone().checked()?;
        let bytes = encode_profile(&profile)?;
        let _writing = self.lock();
        let account = profile_account(profile.name.as_str());
        let about = profile_entry(profile.name.as_str());
        let previous = self.read(&account, &about)?;
        if let Some(previous) = &previous {
            // Never overwrite what this tool cannot read: it may be someone else's.
            let existing = decode_profile(previous, &profile.name)?;
            if if_exists == IfExists::Refuse {
                return Err(ProfileError::Exists(existing.name.to_string()));
            }
        }
        let names = self.read_index()?;
        let new_names = with_name(&names, &profile.name);
        let index_bytes = encode_index(&new_names)?;
        self.write(&account, &about, &bytes)?;
        if new_names != names {
            if let Err(error) = self.write(INDEX_ACCOUNT, &index_entry(), &index_bytes) {
                // Put the entry back as it was, so a retry starts from the same place.
                let _ = match &previous {
                    Some(previous) => self.write(&account, &about, previous),
                    None => self.delete(&account, &about),
                };
                return Err(error);
            }
        }
        Ok(())
    }

    fn rename(&self, from: &ProfileName, to: &ProfileName) -> Result<(), ProfileError> {
        let _writing = self.lock();
        let old = self
            .read_profile(from)?
            .ok_or_else(|| ProfileError::NotFound(from.to_string()))?;
        let renamed = Profile {
            name: to.clone(),
            ..old.clone()
        };
        let bytes = encode_profile(&renamed)?;
        let new_account = profile_account(to.as_str());
        let new_about = profile_entry(to.as_str());
        let names = self.read_index()?;
        if from.same_profile(to) {
            // Only the case changes: same entry, new spelling.
            self.write(&new_account, &new_about, &bytes)?;
            return self.write_index(&with_name(&names, to));
        }
        if self.read(&new_account, &new_about)?.is_some() {
            return Err(ProfileError::Exists(to.to_string()));
        }
        // Both names listed while both entries exist: a failure past this point leaves the
        // profile under its old name, its new one, or both, never under none.
        let both = with_name(&names, to);
        let index_bytes = encode_index(&both)?;
        self.write(&new_account, &new_about, &bytes)?;
        if let Err(error) = self.write(INDEX_ACCOUNT, &index_entry(), &index_bytes) {
            let _ = self.delete(&new_account, &new_about);
            return Err(error);
        }
        self.delete(
            &profile_account(old.name.as_str()),
            &profile_entry(old.name.as_str()),
        )?;
        // A dangling old name is skipped by `list`, so the rename is done even if this fails.
        let _ = self.write_index(&without_name(&both, from));
        Ok(())
    }

    fn remove(&self, name: &ProfileName) -> Result<(), ProfileError> {
        let _writing = self.lock();
        let account = profile_account(name.as_str());
        let about = profile_entry(name.as_str());
        let names = self.read_index();
        let listed = names
            .as_ref()
            .is_ok_and(|names| names.iter().any(|n| n.same_profile(name)));
        if self.read(&account, &about)?.is_none() && !listed {
            return Err(ProfileError::NotFound(name.to_string()));
        }
        self.delete(&account, &about)?;
        if let Ok(names) = names {
            if listed {
                // The entry is gone, which is what was asked; a dangling name is skipped by
                // `list`, so a failure here changes nothing a person sees.
                let _ = self.write_index(&without_name(&names, name));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
