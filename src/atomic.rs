//! Files written whole or not at all: a temporary file in the same folder, synced, renamed.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Write a file that must not exist yet; refuses (without a race) if it does.
pub fn create_new(path: &Path, contents: &str) -> Result<(), Error> {
    let file = temp_with(path, contents)?;
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
pub fn replace(path: &Path, contents: &str) -> Result<(), Error> {
    let file = temp_with(path, contents)?;
    file.persist(path).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

fn temp_with(path: &Path, contents: &str) -> Result<tempfile::NamedTempFile, Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = tempfile::Builder::new()
        .prefix(".tsudoi-")
        .tempfile_in(dir)
        .map_err(write_error)?;
    file.write_all(contents.as_bytes()).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

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
