//! Checkpoints of the stages after pass 1 in a scan's work folder: one value (the
//! matching plan, the results of one run of pass 2) saved whole in one file, so that a
//! scan killed in a later stage resumes after the last one it finished.
//!
//! # Format
//!
//! ```text
//! "RPRTCKP1"  u32 LE format  u32 LE key length  key (UTF-8)  postcard value  u64 LE xxh3
//! ```
//!
//! The trailing xxh3 covers every byte before it. A checkpoint is written to
//! `NAME.tmp`, flushed to disk and renamed into place, so a file with the final name is
//! always whole; a killed writer leaves only the `.tmp`, which the next write replaces.
//! The `key` is the caller's hash of everything the value depends on: a checkpoint
//! under another key is stale and reads as absent. A damaged one (checksum or decoding)
//! is an error naming the file, never a wrong result.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"RPRTCKP1";

/// Version of the checkpoint format; a checkpoint of another version is stale.
pub const FORMAT: u32 = 1;

fn invalid(path: &Path, what: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{}: {what} (a damaged checkpoint: delete it to redo its stage)",
            path.display()
        ),
    )
}

/// Saves `value` under `key` at `path` (see the module docs), replacing what was there.
pub fn write<T: Serialize>(path: &Path, key: &str, value: &T) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(64);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    let key_len = u32::try_from(key.len()).map_err(|_| invalid(path, "key too long"))?;
    bytes.extend_from_slice(&key_len.to_le_bytes());
    bytes.extend_from_slice(key.as_bytes());
    let mut bytes = postcard::to_extend(value, bytes)
        .map_err(|e| invalid(path, format_args!("cannot encode: {e}")))?;
    let sum = xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());

    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let with = |p: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", p.display()));
    {
        let mut file = File::create(&tmp).map_err(|e| with(&tmp, e))?;
        file.write_all(&bytes).map_err(|e| with(&tmp, e))?;
        file.sync_all().map_err(|e| with(&tmp, e))?;
    }
    fs::rename(&tmp, path).map_err(|e| with(path, e))?;
    if let Some(parent) = path.parent() {
        // The rename made durable (best effort: not every system syncs a folder).
        let _ = File::open(parent).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// The value saved at `path` under `key`; `None` when there is none, or one of another
/// key or format (stale).
pub fn read<T: DeserializeOwned>(path: &Path, key: &str) -> io::Result<Option<T>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    let header = MAGIC.len() + 8;
    if bytes.len() < header + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(invalid(path, "not a reprint checkpoint"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    let mut sum_bytes = [0u8; 8];
    sum_bytes.copy_from_slice(sum);
    if xxh3_64(body) != u64::from_le_bytes(sum_bytes) {
        return Err(invalid(path, "checksum mismatch"));
    }
    let u32_at = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&body[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let format = u32_at(MAGIC.len());
    let key_len = u32_at(MAGIC.len() + 4) as usize;
    let Some(saved_key) = body.get(header..header + key_len) else {
        return Err(invalid(path, "truncated key"));
    };
    if format != FORMAT || saved_key != key.as_bytes() {
        return Ok(None);
    }
    postcard::from_bytes(&body[header + key_len..])
        .map(Some)
        .map_err(|e| invalid(path, format_args!("cannot decode: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_under_its_key_only_and_damage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.bin");
        assert_eq!(read::<Vec<u32>>(&path, "k").unwrap(), None);
        let value: Vec<(u32, String)> = vec![(1, "one".into()), (7, "seven".into())];
        write(&path, "k", &value).unwrap();
        assert!(!dir.path().join("plan.bin.tmp").exists());
        assert_eq!(read(&path, "k").unwrap(), Some(value.clone()));
        assert_eq!(read::<Vec<(u32, String)>>(&path, "other").unwrap(), None);

        let mut bytes = fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x20;
        fs::write(&path, &bytes).unwrap();
        let err = read::<Vec<(u32, String)>>(&path, "k").unwrap_err();
        assert!(err.to_string().contains("plan.bin"), "{err}");
        assert!(err.to_string().contains("checksum"), "{err}");

        fs::write(&path, b"short").unwrap();
        assert!(read::<Vec<u32>>(&path, "k").is_err());
        // A later write replaces a damaged one.
        write(&path, "k", &value).unwrap();
        assert_eq!(read(&path, "k").unwrap(), Some(value));
    }
}
