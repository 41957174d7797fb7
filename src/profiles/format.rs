//! The bytes in the keyring: one JSON object per profile and one listing the names, each with a
//! format number so a later version can change the shape and an older one can say so.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::{EntryRef, ProfileError};
use super::{index_entry, profile_entry, Profile, ProfileName};
use crate::auth::Mode;

/// The format this version writes and reads.
pub const FORMAT: u64 = 1;

/// The most bytes one entry may hold: the Windows Credential Manager's limit, the smallest of the
/// three platforms, so profiles saved on Linux would also fit there.
pub const MAX_ENTRY_BYTES: usize = 2560;

#[derive(Serialize, Deserialize)]
struct StoredProfile {
    format: u64,
    name: String,
    base_url: String,
    client_id: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    mode: Option<Mode>,
}

#[derive(Serialize, Deserialize)]
struct StoredIndex {
    format: u64,
    profiles: Vec<String>,
}

/// Just enough to tell our entries from others before reading the fields.
#[derive(Deserialize)]
struct Probe {
    format: Option<u64>,
}

pub fn encode_profile(profile: &Profile) -> Result<Zeroizing<Vec<u8>>, ProfileError> {
    let stored = StoredProfile {
        format: FORMAT,
        name: profile.name.as_str().to_owned(),
        base_url: profile.base_url.clone(),
        client_id: profile.client_id.clone(),
        scopes: profile.scopes.clone(),
        note: profile.note.clone(),
        mode: profile.mode,
    };
    let bytes = to_json(&stored);
    if bytes.len() > MAX_ENTRY_BYTES {
        return Err(ProfileError::TooLarge {
            name: profile.name.to_string(),
            bytes: bytes.len(),
            max: MAX_ENTRY_BYTES,
        });
    }
    Ok(bytes)
}

pub fn encode_index(names: &[ProfileName]) -> Result<Zeroizing<Vec<u8>>, ProfileError> {
    let stored = StoredIndex {
        format: FORMAT,
        profiles: names.iter().map(|n| n.as_str().to_owned()).collect(),
    };
    let bytes = to_json(&stored);
    if bytes.len() > MAX_ENTRY_BYTES {
        return Err(ProfileError::TooManyProfiles {
            bytes: bytes.len(),
            max: MAX_ENTRY_BYTES,
        });
    }
    Ok(bytes)
}

fn to_json(value: &impl Serialize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(256));
    // Plain strings, numbers and enums into a Vec: serializing cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
    out
}

/// Reads a profile entry stored under `name`'s account.
pub fn decode_profile(bytes: &[u8], name: &ProfileName) -> Result<Profile, ProfileError> {
    let entry = profile_entry(name.as_str());
    check_ours(bytes, &entry)?;
    let stored: StoredProfile =
        serde_json::from_slice(bytes).map_err(|e| damaged(&entry, describe(&e)))?;
    let stored_name = ProfileName::parse(&stored.name)
        .map_err(|_| damaged(&entry, "its name is not a valid profile name".to_owned()))?;
    if stored_name.key() != name.key() {
        return Err(damaged(
            &entry,
            format!("it holds profile `{stored_name}` instead"),
        ));
    }
    Ok(Profile {
        name: stored_name,
        base_url: stored.base_url,
        client_id: stored.client_id,
        scopes: stored.scopes,
        note: stored.note,
        mode: stored.mode,
    })
}

/// Reads the entry listing the profile names.
pub fn decode_index(bytes: &[u8]) -> Result<Vec<ProfileName>, ProfileError> {
    let entry = index_entry();
    check_ours(bytes, &entry)?;
    let stored: StoredIndex =
        serde_json::from_slice(bytes).map_err(|e| damaged(&entry, describe(&e)))?;
    stored
        .profiles
        .iter()
        .map(|n| ProfileName::parse(n))
        .collect::<Result<_, _>>()
        .map_err(|_| {
            damaged(
                &entry,
                "a name in it is not a valid profile name".to_owned(),
            )
        })
}

/// Foreign (not a JSON object with our format number), newer, or ours.
fn check_ours(bytes: &[u8], entry: &EntryRef) -> Result<(), ProfileError> {
    if !bytes.trim_ascii_start().starts_with(b"{") {
        return Err(ProfileError::Foreign {
            entry: entry.clone(),
        });
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| damaged(entry, describe(&e)))?;
    match probe.format {
        None => Err(ProfileError::Foreign {
            entry: entry.clone(),
        }),
        Some(FORMAT) => Ok(()),
        Some(format) if format > FORMAT => Err(ProfileError::NewerFormat {
            entry: entry.clone(),
            format,
            known: FORMAT,
        }),
        Some(format) => Err(damaged(entry, format!("unknown format {format}"))),
    }
}

fn damaged(entry: &EntryRef, detail: String) -> ProfileError {
    ProfileError::Damaged {
        entry: entry.clone(),
        detail,
    }
}

/// Where the JSON went wrong, without serde's excerpt of the value: it could be the client ID.
fn describe(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Eof => "its JSON is cut short",
        Category::Syntax => "its JSON is malformed",
        Category::Data => "a field is missing or has the wrong type",
        Category::Io => "it could not be read",
    };
    format!("{what} at line {} column {}", error.line(), error.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> ProfileName {
        ProfileName::parse(text).expect("valid name")
    }

    fn sample() -> Profile {
        let mut profile = Profile::new(name("Acme test"), "client-123");
        profile.scopes = vec!["market:code:europe".to_owned()];
        profile.note = Some("QA org".to_owned());
        profile.mode = Some(Mode::Live);
        profile
    }

    #[test]
    fn a_profile_round_trips_with_its_format_number() {
        let bytes = encode_profile(&sample()).expect("fits");
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(json["format"], 1);
        assert_eq!(json["mode"], "live");
        assert_eq!(decode_profile(&bytes, &name("acme TEST")), Ok(sample()));
    }

    #[test]
    fn a_plain_password_is_foreign_not_damaged() {
        let err = decode_profile(b"hunter2", &name("x")).expect_err("foreign");
        assert!(matches!(err, ProfileError::Foreign { .. }), "{err:?}");
        let err = decode_profile(br#"{"user":"x"}"#, &name("x")).expect_err("foreign");
        assert!(matches!(err, ProfileError::Foreign { .. }), "{err:?}");
    }

    #[test]
    fn damaged_json_is_reported_without_its_content() {
        let bytes = br#"{"format":1,"name":"x","base_url":"https://a.io","client_id":42}"#;
        let err = decode_profile(bytes, &name("x")).expect_err("damaged");
        let text = err.to_string();
        assert!(matches!(err, ProfileError::Damaged { .. }), "{err:?}");
        assert!(text.contains("wrong type"), "{text}");
        assert!(!text.contains("42"), "{text}");
        let err = decode_profile(br#"{"format":1,"name":"#, &name("x")).expect_err("cut");
        assert!(err.to_string().contains("cut short"), "{err}");
    }

    #[test]
    fn a_newer_format_asks_for_an_upgrade() {
        let err = decode_profile(br#"{"format":7}"#, &name("x")).expect_err("newer");
        assert!(err.to_string().contains("upgrade cl-login-tester"), "{err}");
    }

    #[test]
    fn an_entry_holding_another_profile_is_damaged() {
        let bytes = encode_profile(&sample()).expect("fits");
        let err = decode_profile(&bytes, &name("other")).expect_err("mismatch");
        assert!(
            err.to_string().contains("holds profile `Acme test`"),
            "{err}"
        );
    }

    #[test]
    fn oversized_entries_are_refused_before_writing() {
        let mut profile = sample();
        profile.note = Some("n".repeat(MAX_ENTRY_BYTES));
        assert!(matches!(
            encode_profile(&profile),
            Err(ProfileError::TooLarge { .. })
        ));
        let names: Vec<ProfileName> = (0..200).map(|i| name(&format!("profile {i:03}"))).collect();
        assert!(matches!(
            encode_index(&names),
            Err(ProfileError::TooManyProfiles { .. })
        ));
    }
}
