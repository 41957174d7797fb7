//! Reading a secret (password, refresh token, token): stdin, an environment variable or a hidden
//! prompt, never an argument.

use std::io::{BufRead, IsTerminal};

use secrecy::SecretString;
use zeroize::Zeroizing;

/// Where one secret may come from. Never a command-line argument: those show in the process
/// list and the shell history.
pub struct SecretSource {
    /// "password", "refresh token", ...
    pub what: &'static str,
    /// How to pipe it: "pipe it with --password-stdin".
    pub stdin_hint: &'static str,
    pub env: &'static str,
    pub prompt: String,
}

/// A secret from the first of: stdin (when `from_stdin`), the environment variable, a hidden
/// prompt on a terminal.
pub fn read_secret(from_stdin: bool, source: &SecretSource) -> Result<SecretString, String> {
    let what = source.what;
    if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("could not read the {what} from stdin: {e}"))?;
        let secret = line.trim_end_matches(['\n', '\r']);
        return Ok(SecretString::from(secret.to_owned()));
    }
    if let Some(value) = std::env::var_os(source.env) {
        return value
            .into_string()
            .map(SecretString::from)
            .map_err(|_| format!("{} is not valid UTF-8", source.env));
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(&source.prompt)
            .map(SecretString::from)
            .map_err(|e| format!("could not read the {what}: {e}"));
    }
    Err(format!(
        "no {what} given: {}, set {}, or run in a terminal to be prompted (it is never taken as an argument)",
        source.stdin_hint, source.env
    ))
}
