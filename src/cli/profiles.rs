//! `cl-login-tester profiles ...`: saved profiles in the OS keyring, listed, shown, added,
//! renamed and removed from the command line.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::exit::Exit;
use super::output;
use super::print::emit as print;
use crate::auth::url::DEFAULT_BASE_URL;
use crate::profiles::{
    IfExists, KeyringProfiles, Profile, ProfileError, ProfileName, ProfileStore,
};

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the saved profiles: name, mode of the last token, base URL, scopes and note. Client
    /// IDs are never listed.
    List(ListArgs),
    /// Show one profile. Its client ID is printed only with --reveal.
    Show(ShowArgs),
    /// Save a profile in the keyring. Refuses a name that is taken unless --replace is given.
    Add(AddArgs),
    /// Give a profile a new name.
    Rename(RenameArgs),
    /// Delete a profile from the keyring (also one that cannot be read any more).
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print one JSON array of profile objects (documented in the README) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The profile's name (case does not matter).
    #[arg(value_name = "NAME")]
    pub name: ProfileName,

    /// Also print the client ID.
    #[arg(long)]
    pub reveal: bool,

    /// Print one JSON object instead of text; it has `client_id` only with --reveal.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A name for the profile: up to 64 characters, no control characters; case does not matter
    /// when it is used later.
    #[arg(value_name = "NAME")]
    pub name: ProfileName,

    /// The sales channel's client ID, kept in the keyring only.
    #[arg(long, value_name = "ID")]
    pub client_id: String,

    /// The auth host, or the full token URL. Plain http only to localhost.
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

    /// A default scope, e.g. market:code:europe. Repeat for several.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// A free note, e.g. which organization or sales channel this is.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Overwrite a profile of the same name instead of refusing.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The profile's current name.
    #[arg(value_name = "NAME")]
    pub from: ProfileName,

    /// Its new name.
    #[arg(value_name = "NEW_NAME")]
    pub to: ProfileName,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The profile to delete.
    #[arg(value_name = "NAME")]
    pub name: ProfileName,
}

/// Exit code for a profile error: the keyring's problems get their own code, so scripts can tell
/// "fix your input" from "fix your keyring".
/// The saved profile `--profile` names, from the OS keyring (touched only when one is named);
/// a keyring problem is said and becomes the exit code.
pub fn named(name: Option<&ProfileName>) -> Result<Option<Profile>, ExitCode> {
    let Some(name) = name else { return Ok(None) };
    KeyringProfiles::platform()
        .get(name)
        .map(Some)
        .map_err(|e| failure(&e))
}

pub fn failure(error: &ProfileError) -> ExitCode {
    eprintln!("error: {error}");
    if error.is_keyring_problem() {
        Exit::Keyring.into()
    } else {
        Exit::Usage.into()
    }
}

pub fn run(command: ProfilesCommand, store: &dyn ProfileStore) -> ExitCode {
    match command {
        ProfilesCommand::List(args) => list(store, &args),
        ProfilesCommand::Show(args) => show(store, &args),
        ProfilesCommand::Add(args) => add(store, args),
        ProfilesCommand::Rename(args) => match store.rename(&args.from, &args.to) {
            Ok(()) => done(&format!("renamed profile `{}` to `{}`", args.from, args.to)),
            Err(e) => failure(&e),
        },
        ProfilesCommand::Remove(args) => match store.remove(&args.name) {
            Ok(()) => done(&format!("removed profile `{}` from the keyring", args.name)),
            Err(e) => failure(&e),
        },
    }
}

fn list(store: &dyn ProfileStore, args: &ListArgs) -> ExitCode {
    let list = match store.list() {
        Ok(list) => list,
        Err(e) => return failure(&e),
    };
    let text = if args.json {
        let items: Vec<Value> = list
            .profiles
            .iter()
            .map(|p| profile_json(p, false))
            .collect();
        format!("{}\n", Value::Array(items))
    } else {
        if list.profiles.is_empty() && list.unreadable.is_empty() {
            eprintln!("no profiles saved yet: add one with `cl-login-tester profiles add NAME --client-id ID`");
        }
        table(&list.profiles)
    };
    print(&text);
    for unreadable in &list.unreadable {
        eprintln!("error: {}", unreadable.error);
    }
    if list.unreadable.is_empty() {
        ExitCode::SUCCESS
    } else {
        Exit::Keyring.into()
    }
}

fn show(store: &dyn ProfileStore, args: &ShowArgs) -> ExitCode {
    let profile = match store.get(&args.name) {
        Ok(p) => p,
        Err(e) => return failure(&e),
    };
    if args.json {
        print(&format!("{}\n", profile_json(&profile, args.reveal)));
    } else {
        print(&details(&profile, args.reveal));
    }
    ExitCode::SUCCESS
}

fn add(store: &dyn ProfileStore, args: AddArgs) -> ExitCode {
    let profile = Profile {
        base_url: args.base_url,
        scopes: args.scopes,
        note: args.note,
        ..Profile::new(args.name, args.client_id)
    };
    let if_exists = if args.replace {
        IfExists::Replace
    } else {
        IfExists::Refuse
    };
    match store.save(&profile, if_exists) {
        Ok(()) => done(&format!("saved profile `{}` in the keyring", profile.name)),
        Err(e @ ProfileError::Exists(_)) => {
            let code = failure(&e);
            eprintln!("hint: add --replace to overwrite it");
            code
        }
        Err(e) => failure(&e),
    }
}

fn done(message: &str) -> ExitCode {
    print(&format!("{message}\n"));
    ExitCode::SUCCESS
}

/// The documented JSON object of a profile; `client_id` only when revealed.
pub fn profile_json(profile: &Profile, reveal: bool) -> Value {
    let mut value = json!({
        "name": profile.name.as_str(),
        "base_url": profile.base_url,
        "scopes": profile.scopes,
        "note": profile.note,
        "mode": profile.mode.map(|m| m.as_str()),
    });
    if let (true, Some(map)) = (reveal, value.as_object_mut()) {
        map.insert("client_id".into(), Value::from(profile.client_id.as_str()));
    }
    value
}

fn mode_text(profile: &Profile) -> &'static str {
    profile.mode.map_or("-", |m| m.as_str())
}

/// Notes are free text: one line in a table.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn table(profiles: &[Profile]) -> String {
    if profiles.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 5]> = profiles
        .iter()
        .map(|p| {
            [
                p.name.to_string(),
                mode_text(p).to_owned(),
                p.base_url.clone(),
                p.scopes.join(" "),
                p.note.as_deref().map(one_line).unwrap_or_default(),
            ]
        })
        .collect();
    output::table(["NAME", "MODE", "BASE URL", "SCOPES", "NOTE"], &rows)
}

fn details(profile: &Profile, reveal: bool) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<10} {value}");
    };
    line("name", profile.name.as_str());
    line("base url", &profile.base_url);
    if reveal {
        line("client id", &profile.client_id);
    } else {
        line("client id", "hidden (add --reveal to print it)");
    }
    let scopes = profile.scopes.join(" ");
    line("scopes", if scopes.is_empty() { "(none)" } else { &scopes });
    if let Some(note) = &profile.note {
        line("note", &one_line(note));
    }
    match profile.mode {
        Some(mode) => line("mode", &format!("{} (from the last token)", mode.as_str())),
        None => line("mode", "unknown (no token issued with this profile yet)"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Mode;

    fn sample() -> Profile {
        let mut p = Profile::new(ProfileName::parse("acme").expect("name"), "id-123");
        p.scopes = vec!["market:code:eu".to_owned()];
        p.note = Some("two\nlines".to_owned());
        p.mode = Some(Mode::Live);
        p
    }

    #[test]
    fn json_has_the_client_id_only_when_revealed() {
        let hidden = profile_json(&sample(), false);
        assert!(hidden.get("client_id").is_none(), "{hidden}");
        assert_eq!(hidden["mode"], "live");
        assert_eq!(hidden["scopes"][0], "market:code:eu");
        assert_eq!(profile_json(&sample(), true)["client_id"], "id-123");
    }

    #[test]
    fn text_hides_the_client_id_and_keeps_notes_on_one_line() {
        let text = details(&sample(), false);
        assert!(!text.contains("id-123"), "{text}");
        assert!(text.contains("client id  hidden"), "{text}");
        assert!(text.contains("note       two lines"), "{text}");
        assert!(details(&sample(), true).contains("client id  id-123"));
        let table = table(&[sample()]);
        assert!(!table.contains("id-123"), "{table}");
        assert!(table.starts_with("NAME  MODE  BASE URL"), "{table}");
    }
}
