//! Where a token command goes and for whom: the flags given, else the profile's values, else the
//! defaults.

use super::args::{ClientArgs, ServerArgs, TokenArgs};
use crate::auth::url::DEFAULT_BASE_URL;
use crate::profiles::Profile;

/// What a token command sends: the flags given, else the profile's values, else the defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    pub client_id: String,
    pub base_url: String,
    pub scopes: Vec<String>,
    /// The client ID is the profile's, so the token's mode says something about the profile.
    pub mode_belongs_to_profile: bool,
}

impl Target {
    /// The token commands' flags over the profile.
    pub fn of_args(args: &TokenArgs, profile: Option<&Profile>) -> Self {
        Self::merge(&args.client, &args.server, &args.scopes, profile)
    }

    /// Each value given wins over the profile's; scopes given replace the profile's.
    pub fn merge(
        client: &ClientArgs,
        server: &ServerArgs,
        scopes: &[String],
        profile: Option<&Profile>,
    ) -> Self {
        let (client_id, base_url) = (client.client_id.as_deref(), server.base_url.as_deref());
        let mode_belongs_to_profile = profile.is_some() && client_id.is_none();
        let client_id = client_id
            .map(str::to_owned)
            .or_else(|| profile.map(|p| p.client_id.clone()))
            .unwrap_or_default();
        let base_url = base_url
            .map(str::to_owned)
            .or_else(|| profile.map(|p| p.base_url.clone()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let scopes = match profile {
            Some(p) if scopes.is_empty() => p.scopes.clone(),
            _ => scopes.to_vec(),
        };
        Self {
            client_id,
            base_url,
            scopes,
            mode_belongs_to_profile,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, LoginArgs};
    use crate::profiles::ProfileName;
    use clap::Parser;

    fn login_args(flags: &[&str]) -> LoginArgs {
        let argv = ["cl-login-tester", "login", "--email", "a@b.c"];
        let cli = Cli::try_parse_from(argv.iter().chain(flags)).expect("parses");
        match cli.command {
            Some(Command::Login(args)) => args,
            other => panic!("not a login: {other:?}"),
        }
    }

    fn saved() -> Profile {
        let mut profile = Profile::new(ProfileName::parse("acme").expect("name"), "profile-id");
        profile.base_url = "https://auth.commercelayer.co".to_owned();
        profile.scopes = vec!["market:code:eu".to_owned()];
        profile
    }

    #[test]
    fn without_a_profile_the_flags_and_defaults_apply() {
        let target = Target::of_args(&login_args(&["--client-id", "typed"]).token, None);
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert!(target.scopes.is_empty());
        assert!(!target.mode_belongs_to_profile);
    }

    #[test]
    fn the_profile_fills_what_was_not_given() {
        let target = Target::of_args(&login_args(&["--profile", "acme"]).token, Some(&saved()));
        assert_eq!(
            target,
            Target {
                client_id: "profile-id".to_owned(),
                base_url: "https://auth.commercelayer.co".to_owned(),
                scopes: vec!["market:code:eu".to_owned()],
                mode_belongs_to_profile: true,
            }
        );
    }

    #[test]
    fn flags_given_win_even_when_they_equal_the_default() {
        let args = login_args(&[
            "--profile",
            "acme",
            "--client-id",
            "typed",
            "--base-url",
            DEFAULT_BASE_URL,
            "--scope",
            "market:code:usa",
        ]);
        let target = Target::of_args(&args.token, Some(&saved()));
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert_eq!(target.scopes, ["market:code:usa"]);
        assert!(
            !target.mode_belongs_to_profile,
            "another client ID's token says nothing about the profile"
        );
    }
}
