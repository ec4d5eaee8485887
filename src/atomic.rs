//! Files written whole or not at all: a temporary file in the same folder, synced, renamed.
//! Files people read (pages, event files) get the umask's mode, and a replaced file keeps its
//! own; only the state is private to the user running tsudoi.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Write a file that must not exist yet; refuses (without a race) if it does.
pub fn create_new(path: &Path, contents: &str) -> Result<(), Error> {
    let file = temp_with(path, contents, Access::Shared)?;
    file.persist_noclobber(path).map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Exists {
            path: path.to_path_buf(),
            hint: None,
        },
        _ => Error::Write {
            path: path.to_path_buf(),
            source: e.error,
        },
    })?;
    Ok(())
}

/// Replace a file's contents at once: readers see the old file or the new one, never half.
/// The file keeps its mode (a new one gets the umask's).
pub fn replace(path: &Path, contents: &str) -> Result<(), Error> {
    let file = temp_with(path, contents, Access::Shared)?;
    file.persist(path).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// `replace` for a file only its owner may read (the state ledger).
pub fn replace_private(path: &Path, contents: &str) -> Result<(), Error> {
    let file = temp_with(path, contents, Access::Private)?;
    file.persist(path).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Who may read a file written here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// As the umask says, or as the replaced file was.
    Shared,
    /// The owner alone (0600).
    Private,
}

fn temp_with(path: &Path, contents: &str, access: Access) -> Result<tempfile::NamedTempFile, Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tsudoi-");
    #[cfg(unix)]
    if access == Access::Shared {
        use std::os::unix::fs::PermissionsExt;
        // The kernel takes the umask off, as for any file the user creates.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir).map_err(write_error)?;
    #[cfg(unix)]
    if access == Access::Shared
        && let Ok(existing) = std::fs::metadata(path)
    {
        file.as_file()
            .set_permissions(existing.permissions())
            .map_err(write_error)?;
    }
    #[cfg(not(unix))]
    let _ = access;
    file.write_all(contents.as_bytes()).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn shared_files_follow_the_umask_or_keep_their_mode_and_private_ones_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "").unwrap();
        let page = dir.path().join("page.rst");
        replace(&page, "one").unwrap();
        assert_eq!(mode(&page), mode(&plain), "a new page is made as any file is");
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace(&page, "two").unwrap();
        assert_eq!(mode(&page), 0o640, "a replaced page keeps its mode");
        let event = dir.path().join("2026-02-17.toml");
        create_new(&event, "date").unwrap();
        assert_eq!(mode(&event), mode(&plain));
        let state = dir.path().join("state.toml");
        replace_private(&state, "x").unwrap();
        replace_private(&page, "three").unwrap();
        assert_eq!((mode(&state), mode(&page)), (0o600, 0o600));
    }

    #[test]
    fn create_new_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        create_new(&path, "one").unwrap();
        assert!(matches!(create_new(&path, "two"), Err(Error::Exists { .. })));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        replace(&path, "three").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
