//! The bot token: a secret type that never prints itself.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::DiscordError;

/// The bot token. `Debug` and `Display` print `(redacted)`; only the client reads the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from text as people paste it: surrounding whitespace and a `Bot ` prefix dropped.
    pub fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_prefix("Bot ").unwrap_or(text).trim();
        (!text.is_empty()).then(|| Self(text.to_string()))
    }

    /// The secret itself, for the `Authorization` header and for redaction.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// Where the token comes from, resolved with the rest of the configuration. A file is only
/// read when a command needs Discord.
#[derive(Debug, Clone)]
pub enum TokenSource {
    Env(Token),
    File(PathBuf),
    Missing,
}

/// A token read, and a warning about how it was stored.
#[derive(Debug)]
pub struct LoadedToken {
    pub token: Token,
    pub warning: Option<String>,
}

impl TokenSource {
    pub fn load(&self) -> Result<LoadedToken, DiscordError> {
        match self {
            Self::Env(token) => Ok(LoadedToken {
                token: token.clone(),
                warning: None,
            }),
            Self::File(path) => read_file(path),
            Self::Missing => Err(DiscordError::MissingToken),
        }
    }
}

/// A token or a viewer URL is far shorter: a bigger file is the wrong file.
pub const SECRET_FILE_CAP: u64 = 4096;

/// The text of a small regular file (a token, a URL): a device (`/dev/zero`), a pipe or a
/// folder is refused before it is read, and a file over `cap` bytes is refused unread.
pub fn read_small_file(path: &Path, cap: u64) -> io::Result<String> {
    let not_regular = |kind: std::fs::FileType| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", describe(kind)),
        )
    };
    let kind = std::fs::metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(not_regular(kind));
    }
    let file = std::fs::File::open(path)?;
    // It may have been swapped between the two looks.
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(not_regular(opened.file_type()));
    }
    let too_big = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than {cap} bytes; is this the right file?"),
        )
    };
    if opened.len() > cap {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

#[cfg(unix)]
fn describe(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a folder"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "something else"
    }
}

#[cfg(not(unix))]
fn describe(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a folder"
    } else {
        "something else"
    }
}

fn read_file(path: &Path) -> Result<LoadedToken, DiscordError> {
    let text = read_small_file(path, SECRET_FILE_CAP).map_err(|source| DiscordError::TokenFile {
        path: path.to_path_buf(),
        source,
    })?;
    let token = Token::new(&text).ok_or_else(|| DiscordError::EmptyTokenFile {
        path: path.to_path_buf(),
    })?;
    Ok(LoadedToken {
        token,
        warning: loose_permissions(path),
    })
}

#[cfg(unix)]
fn loose_permissions(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "the token file `{}` is readable by group or others (mode {:o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn loose_permissions(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_print_themselves() {
        let token = Token::new("  Bot abc.def.ghi\n").unwrap();
        assert_eq!(token.expose(), "abc.def.ghi");
        assert_eq!(format!("{token} {token:?}"), "(redacted) (redacted)");
        assert_eq!(format!("{:?}", TokenSource::Env(token)), "Env((redacted))");
        assert!(Token::new(" \n").is_none());
    }

    #[test]
    fn token_files_are_small_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, "x".repeat(10_000)).unwrap();
        for (path, expected) in [
            (big.as_path(), "larger than 4096 bytes"),
            (dir.path(), "a folder, not a regular file"),
            #[cfg(unix)]
            (Path::new("/dev/zero"), "a device, not a regular file"),
        ] {
            let error = TokenSource::File(path.to_path_buf())
                .load()
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn token_files_readable_by_others_are_flagged() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loaded = TokenSource::File(path.clone()).load().unwrap();
        assert_eq!(loaded.token.expose(), "secret");
        assert!(loaded.warning.unwrap().contains("chmod 600"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(TokenSource::File(path).load().unwrap().warning.is_none());
    }
}
