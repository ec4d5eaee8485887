//! The bot token: a secret type that never prints itself.

use std::fmt;
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

fn read_file(path: &Path) -> Result<LoadedToken, DiscordError> {
    let text = std::fs::read_to_string(path).map_err(|source| DiscordError::TokenFile {
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
