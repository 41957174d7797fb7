//! Reading a secret (password, refresh token, token): stdin, an environment variable or a hidden
//! prompt, never an argument.
//!
//! No copy of the secret may outlive its use, so nothing here goes through a buffer that is freed
//! or kept without being wiped: standard input is read without std's `Stdin` (whose 8 KiB buffer
//! lives as long as the process and would keep the line), one byte at a time, into a zeroizing
//! buffer that grows by copying into a bigger zeroizing buffer (a `String` that grows leaves its
//! old allocations behind, unwiped). The secret is then copied once into a `SecretString` of
//! exactly its size, which wipes itself when dropped. tests/memory.rs scans the process's memory
//! to prove it.

use std::fs::File;
use std::io::{IsTerminal, Read};

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

/// The longest line read as a secret: far above any password or token, far below what would
/// hurt if a whole file were piped by mistake.
const MAX_LINE: usize = 64 * 1024;

/// A secret from the first of: stdin (when `from_stdin`), the environment variable, a hidden
/// prompt on a terminal.
pub fn read_secret(from_stdin: bool, source: &SecretSource) -> Result<SecretString, String> {
    let what = source.what;
    if from_stdin {
        let line = stdin_unbuffered()
            .and_then(|mut stdin| first_line(&mut stdin))
            .map_err(|e| format!("could not read the {what} from stdin: {e}"))?;
        return secret_text(&line).ok_or_else(|| format!("the {what} on stdin is not UTF-8"));
    }
    // The environment block keeps its own copy for the life of the process: the README says
    // why --password-stdin or the prompt is safer.
    if let Some(value) = std::env::var_os(source.env) {
        return value
            .into_string()
            .map(SecretString::from)
            .map_err(|_| format!("{} is not valid UTF-8", source.env));
    }
    if std::io::stdin().is_terminal() {
        return prompt::hidden(&source.prompt)
            .map_err(|e| format!("could not read the {what}: {e}"));
    }
    Err(format!(
        "no {what} given: {}, set {}, or run in a terminal to be prompted (it is never taken as an argument)",
        source.stdin_hint, source.env
    ))
}

/// Standard input as a file of its own (a duplicate of the descriptor), so reading it bypasses
/// std's process-wide buffer.
#[cfg(unix)]
fn stdin_unbuffered() -> std::io::Result<File> {
    use std::os::fd::AsFd;
    Ok(File::from(std::io::stdin().as_fd().try_clone_to_owned()?))
}

#[cfg(windows)]
fn stdin_unbuffered() -> std::io::Result<File> {
    use std::os::windows::io::AsHandle;
    Ok(File::from(
        std::io::stdin().as_handle().try_clone_to_owned()?,
    ))
}

/// The first line of `input` without its line break, read a byte at a time so nothing after it
/// is consumed and no byte of it sits in a buffer outside the returned one.
fn first_line(input: &mut impl Read) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let mut line = Zeroizing::new(Vec::with_capacity(128));
    let mut byte = [0u8; 1];
    loop {
        match input.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte == [b'\n'] => break,
            Ok(_) => push_wiped(&mut line, byte[0])?,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

/// Appends `byte`; when full, moves to a buffer twice the size and wipes the old one (a plain
/// `Vec::push` would reallocate and leave the old bytes in freed memory).
fn push_wiped(line: &mut Zeroizing<Vec<u8>>, byte: u8) -> std::io::Result<()> {
    if line.len() == line.capacity() {
        if line.len() >= MAX_LINE {
            return Err(std::io::Error::other(format!(
                "its first line is longer than {} KiB",
                MAX_LINE / 1024
            )));
        }
        let mut bigger = Zeroizing::new(Vec::with_capacity(line.capacity().max(64) * 2));
        bigger.extend_from_slice(line);
        *line = bigger;
    }
    line.push(byte);
    Ok(())
}

/// The bytes as a secret, copied once into an allocation of exactly their size (a `String` with
/// spare room would be reallocated, and so copied, on its way into the `SecretString`).
fn secret_text(bytes: &[u8]) -> Option<SecretString> {
    std::str::from_utf8(bytes).ok().map(SecretString::from)
}

/// The hidden prompt on the terminal. rpassword is not used on Unix: it gathers the password in
/// a `String` that grows with each key, leaving pieces of it in freed memory (measured by
/// tests/memory.rs); this reads the keys into the same wiped buffer as stdin.
#[cfg(unix)]
mod prompt {
    use std::fs::{File, OpenOptions};
    use std::io::{Read, Write};

    use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex};
    use secrecy::SecretString;
    use zeroize::{Zeroize, Zeroizing};

    const CTRL_C: u8 = 0x03;
    const CTRL_D: u8 = 0x04;
    const BACKSPACE: u8 = 0x08;
    const CTRL_U: u8 = 0x15;
    const ESC: u8 = 0x1b;
    const DEL: u8 = 0x7f;

    /// Prompts on the terminal and reads a line with echo off, the terminal's settings restored
    /// afterwards whatever happens.
    pub fn hidden(prompt: &str) -> std::io::Result<SecretString> {
        let mut tty = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        let original = termios::tcgetattr(&tty)?;
        let mut quiet = original.clone();
        // Keys one at a time, not echoed; Ctrl-C arrives as a key so the settings are restored
        // before the tool stops (a signal would leave the terminal without echo).
        quiet
            .local_modes
            .remove(LocalModes::ECHO | LocalModes::ECHONL | LocalModes::ICANON | LocalModes::ISIG);
        quiet.special_codes[SpecialCodeIndex::VMIN] = 1;
        quiet.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(&tty, OptionalActions::Now, &quiet)?;
        // Echo goes off before the prompt shows: keys typed as soon as it appears are hidden too.
        let typed = tty
            .write_all(prompt.as_bytes())
            .and_then(|()| tty.flush())
            .and_then(|()| typed_line(&mut tty));
        let restored = termios::tcsetattr(&tty, OptionalActions::Now, &original);
        let _ = tty.write_all(b"\n");
        let line = typed?;
        restored?;
        super::secret_text(&line).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "what was typed is not UTF-8",
            )
        })
    }

    /// The keys typed up to Enter, with Backspace, Ctrl-U and Ctrl-C (cancel) as people expect;
    /// arrow keys and other escape sequences are ignored.
    fn typed_line(tty: &mut File) -> std::io::Result<Zeroizing<Vec<u8>>> {
        let mut line = Zeroizing::new(Vec::with_capacity(128));
        loop {
            match key(tty)? {
                None | Some(b'\r' | b'\n') => return Ok(line),
                Some(CTRL_C) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "cancelled",
                    ))
                }
                Some(CTRL_D) if line.is_empty() => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "nothing typed",
                    ))
                }
                Some(DEL | BACKSPACE) => {
                    // The last character: its continuation bytes, then its first byte.
                    while line.last().is_some_and(|b| b & 0xc0 == 0x80) {
                        line.pop();
                    }
                    line.pop();
                }
                Some(CTRL_U) => line.zeroize(),
                Some(ESC) => skip_escape_sequence(tty)?,
                Some(byte) if byte < 0x20 => {}
                Some(byte) => super::push_wiped(&mut line, byte)?,
            }
        }
    }

    /// One byte from the terminal; `None` at end of input.
    fn key(tty: &mut File) -> std::io::Result<Option<u8>> {
        let mut byte = [0u8; 1];
        loop {
            match tty.read(&mut byte) {
                Ok(0) => return Ok(None),
                Ok(_) => return Ok(Some(byte[0])),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The rest of `ESC [ … final` or `ESC O x` (arrow and function keys).
    fn skip_escape_sequence(tty: &mut File) -> std::io::Result<()> {
        if matches!(key(tty)?, Some(b'[' | b'O')) {
            while let Some(byte) = key(tty)? {
                if (0x40..=0x7e).contains(&byte) {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(not(unix))]
mod prompt {
    use secrecy::SecretString;

    pub fn hidden(prompt: &str) -> std::io::Result<SecretString> {
        rpassword::prompt_password(prompt).map(SecretString::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn line_of(input: &[u8]) -> Vec<u8> {
        first_line(&mut &input[..]).expect("read").to_vec()
    }

    #[test]
    fn the_first_line_without_its_line_break_and_nothing_after_it() {
        assert_eq!(line_of(b"secret\nnext line\n"), b"secret");
        assert_eq!(line_of(b"secret\r\n"), b"secret");
        assert_eq!(line_of(b"no line break"), b"no line break");
        assert_eq!(line_of(b""), b"");
        let mut input = &b"one\ntwo\n"[..];
        first_line(&mut input).expect("read");
        assert_eq!(input, b"two\n", "the rest of stdin is left unread");
    }

    #[test]
    fn a_long_line_grows_its_buffer_and_a_huge_one_is_refused() {
        let long = "p".repeat(10_000);
        assert_eq!(line_of(long.as_bytes()), long.as_bytes());
        let huge = vec![b'x'; MAX_LINE + 1];
        let err = first_line(&mut &huge[..]).expect_err("too long");
        assert!(err.to_string().contains("longer than 64 KiB"), "{err}");
    }

    #[test]
    fn the_secret_is_utf8_or_refused() {
        let secret = secret_text("p&ss wörd".as_bytes()).expect("utf-8");
        assert_eq!(secret.expose_secret(), "p&ss wörd");
        assert!(secret_text(b"\xff\xfe").is_none());
    }
}
