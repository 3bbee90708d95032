//! The stage files of a scan's work folder (`reprint scan --work DIR`): what pass 1
//! found, one shard at a time, kept on disk so that a killed scan resumes where it
//! stopped and shards analysed apart (`--shard i/n`, on other machines) are merged.
//!
//! # Layout
//!
//! ```text
//! WORK/pass1/shard-00000-of-00004/
//!     documents.bin   "RPRTPAS1", then per document: u32 LE length + a postcard StagedDoc
//!     texts.bin       the documents' texts, one zstd frame each (level 1, checksummed)
//!     shard.json      ShardInfo: format, key, shard, counts, skipped records by reason,
//!                     web stats, the input files named, checksum of documents.bin
//! ```
//!
//! A [`StagedDoc`] is everything the scan keeps of a document after pass 1: its id,
//! carried fields (raw JSON), origin (file and line, for errors found at the merge) and
//! its [`DocAnalysis`]; its text goes to `texts.bin` and is read back in pass 2 like the
//! in-memory scan's spool. Documents are framed one by one, so reading a shard streams.
//!
//! # Crash safety and staleness
//!
//! A shard is written into `shard-...-of-....tmp`, its files flushed to disk, then the
//! folder is renamed into place: a folder with the final name is always complete, and a
//! killed writer leaves only a `.tmp` folder, which the next writer of that shard
//! removes. `shard.json` records the caller's `key` (a hash of the settings and the
//! inputs, see `reprint_pipeline`): a shard made under another key is stale and is
//! rewritten rather than merged. `documents.bin` is checksummed (xxh3), so a damaged
//! file is an error, not wrong links.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reprint_core::fingerprint::analysis::DocAnalysis;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::input::{Record, Shard, WebStats};
pub use crate::spool::encode_text;
use crate::spool::{SpoolReader, SpoolWriter};

/// Version of the stage files' format; a shard of another version is stale.
pub const FORMAT: u32 = 2;

const MAGIC: &[u8; 8] = b"RPRTPAS1";
const DOCUMENTS: &str = "documents.bin";
const TEXTS: &str = "texts.bin";
const INFO: &str = "shard.json";

/// What `shard.json` says of a complete shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub format: u32,
    /// The caller's key: settings and inputs the shard was made under.
    pub key: String,
    pub index: u32,
    pub count: u32,
    /// Documents in `documents.bin`.
    pub documents: u64,
    /// Records of the shard's inputs skipped as bad, by reason.
    pub skipped: BTreeMap<String, u64>,
    pub web: WebStats,
    /// The input files the documents came from ([`StagedDoc::file`] indexes it).
    pub files: Vec<String>,
    /// xxh3-64 of `documents.bin`, hexadecimal.
    pub checksum: String,
}

impl ShardInfo {
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.index,
            count: self.count,
        }
    }
}

/// One document as pass 1 left it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StagedDoc {
    pub id: String,
    /// Carried fields, values as raw JSON text.
    pub fields: Vec<(String, String)>,
    /// Index of its input file in [`ShardInfo::files`].
    pub file: u32,
    /// 1-based line of the record in its file.
    pub line: u64,
    /// Bytes of its text's zstd frame in `texts.bin`.
    pub stored_len: u64,
    pub analysis: DocAnalysis,
}

/// [`StagedDoc`] borrowed from a record, for writing (same serde shape).
#[derive(Serialize)]
struct StagedDocRef<'a> {
    id: &'a str,
    fields: Vec<(&'a str, &'a str)>,
    file: u32,
    line: u64,
    stored_len: u64,
    analysis: &'a DocAnalysis,
}

/// The folder of `shard` in the work folder `work`.
pub fn shard_dir(work: &Path, shard: Shard) -> PathBuf {
    work.join("pass1")
        .join(format!("shard-{:05}-of-{:05}", shard.index, shard.count))
}

fn with_path(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

fn invalid(path: &Path, what: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {what}", path.display()),
    )
}

/// Writes one shard's stage files.
pub struct ShardWriter {
    shard: Shard,
    tmp: PathBuf,
    dest: PathBuf,
    documents: BufWriter<File>,
    checksum: Xxh3,
    texts: SpoolWriter,
    count: u64,
    files: Vec<String>,
    last_file: Option<Arc<str>>,
    frame: Vec<u8>,
}

impl ShardWriter {
    /// Starts writing `shard` under `work` (a leftover of a killed writer is removed).
    pub fn create(work: &Path, shard: Shard) -> io::Result<ShardWriter> {
        let dest = shard_dir(work, shard);
        let mut tmp = dest.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| with_path(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| with_path(&tmp, e))?;
        let path = tmp.join(DOCUMENTS);
        let mut documents = BufWriter::with_capacity(
            1 << 20,
            File::create(&path).map_err(|e| with_path(&path, e))?,
        );
        documents.write_all(MAGIC)?;
        let mut checksum = Xxh3::new();
        checksum.update(MAGIC);
        let path = tmp.join(TEXTS);
        let texts = SpoolWriter::create(&path).map_err(|e| with_path(&path, e))?;
        Ok(ShardWriter {
            shard,
            tmp,
            dest,
            documents,
            checksum,
            texts,
            count: 0,
            files: Vec::new(),
            last_file: None,
            frame: Vec::new(),
        })
    }

    /// Appends the next document of the shard.
    pub fn append(&mut self, record: &Record, analysis: &DocAnalysis) -> io::Result<()> {
        let text = encode_text(&record.text)?;
        self.append_encoded(record, analysis, &text)
    }

    /// [`ShardWriter::append`] with the text already encoded by [`encode_text`] (which
    /// callers run in parallel).
    pub fn append_encoded(
        &mut self,
        record: &Record,
        analysis: &DocAnalysis,
        text: &[u8],
    ) -> io::Result<()> {
        let same_file = self
            .last_file
            .as_ref()
            .is_some_and(|f| Arc::ptr_eq(f, &record.origin.file) || **f == *record.origin.file);
        if !same_file {
            self.files.push(record.origin.file.to_string());
            self.last_file = Some(record.origin.file.clone());
        }
        let doc = StagedDocRef {
            id: &record.id,
            fields: record
                .fields
                .iter()
                .map(|(name, value)| (name.as_str(), value.get()))
                .collect(),
            file: (self.files.len() - 1) as u32,
            line: record.origin.line,
            stored_len: text.len() as u64,
            analysis,
        };
        self.frame.clear();
        self.frame.extend_from_slice(&[0; 4]);
        let frame = std::mem::take(&mut self.frame);
        let mut frame = postcard::to_extend(&doc, frame).map_err(io::Error::other)?;
        let len = u32::try_from(frame.len() - 4)
            .map_err(|_| io::Error::other("a document's pass-1 summary exceeds 4 GB"))?;
        frame[..4].copy_from_slice(&len.to_le_bytes());
        self.documents.write_all(&frame)?;
        self.checksum.update(&frame);
        self.frame = frame;
        self.texts.append_encoded(text)?;
        self.count += 1;
        Ok(())
    }

    /// Documents appended so far.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Writes `shard.json`, syncs the files and renames the shard into place (over a
    /// stale shard of the same name).
    pub fn finish(
        self,
        key: &str,
        skipped: BTreeMap<String, u64>,
        web: WebStats,
    ) -> io::Result<ShardInfo> {
        let ShardWriter {
            shard,
            tmp,
            dest,
            documents,
            checksum,
            texts,
            count,
            files,
            ..
        } = self;
        let documents = documents.into_inner().map_err(|e| e.into_error())?;
        documents.sync_all()?;
        drop(texts.finish()?);
        File::open(tmp.join(TEXTS))?.sync_all()?;
        let info = ShardInfo {
            format: FORMAT,
            key: key.to_owned(),
            index: shard.index,
            count: shard.count,
            documents: count,
            skipped,
            web,
            files,
            checksum: format!("{:016x}", checksum.digest()),
        };
        let path = tmp.join(INFO);
        let mut out = File::create(&path).map_err(|e| with_path(&path, e))?;
        serde_json::to_writer_pretty(&mut out, &info).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
        out.sync_all()?;
        if dest.exists() {
            fs::remove_dir_all(&dest).map_err(|e| with_path(&dest, e))?;
        }
        fs::rename(&tmp, &dest).map_err(|e| with_path(&dest, e))?;
        if let Some(parent) = dest.parent() {
            // The rename itself made durable (best effort: not every system can sync a
            // folder).
            let _ = File::open(parent).and_then(|d| d.sync_all());
        }
        Ok(info)
    }
}

/// A complete shard found in a work folder.
#[derive(Debug)]
pub struct StagedShard {
    pub info: ShardInfo,
    dir: PathBuf,
}

impl StagedShard {
    /// The complete shards in `work`, in shard order (any key, any count). Leftover
    /// `.tmp` folders are not shards.
    pub fn list(work: &Path) -> io::Result<Vec<StagedShard>> {
        let root = work.join("pass1");
        let entries = match fs::read_dir(&root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(with_path(&root, e)),
        };
        let mut shards = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| with_path(&root, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !name.starts_with("shard-") || name.ends_with(".tmp") {
                continue;
            }
            let dir = entry.path();
            let path = dir.join(INFO);
            let text = match fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(with_path(&path, e)),
            };
            // A shard.json of another format version is stale, not an error.
            let Ok(info) = serde_json::from_str::<ShardInfo>(&text) else {
                continue;
            };
            if info.format == FORMAT && shard_dir(work, info.shard()) == dir {
                shards.push(StagedShard { info, dir });
            }
        }
        shards.sort_by_key(|s| (s.info.count, s.info.index));
        Ok(shards)
    }

    /// Reads the shard's documents in order, handing each to `take`; returns each
    /// one's text length (for [`StagedShard::texts`]). The checksum is verified at the
    /// end: on a mismatch the documents already handed over must be discarded.
    pub fn read_documents<E: From<io::Error>>(
        &self,
        mut take: impl FnMut(StagedDoc) -> Result<(), E>,
    ) -> Result<Vec<u64>, E> {
        let path = self.dir.join(DOCUMENTS);
        let file = File::open(&path).map_err(|e| with_path(&path, e))?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut magic = [0u8; 8];
        input
            .read_exact(&mut magic)
            .map_err(|e| with_path(&path, e))?;
        if &magic != MAGIC {
            return Err(invalid(&path, "not a reprint pass-1 stage file").into());
        }
        let mut checksum = Xxh3::new();
        checksum.update(&magic);
        let mut lengths = Vec::with_capacity(self.info.documents as usize);
        let mut buf = Vec::new();
        for n in 0..self.info.documents {
            let mut len = [0u8; 4];
            input
                .read_exact(&mut len)
                .map_err(|e| invalid(&path, format!("document {n}: {e}")))?;
            buf.resize(u32::from_le_bytes(len) as usize, 0);
            input
                .read_exact(&mut buf)
                .map_err(|e| invalid(&path, format!("document {n}: {e}")))?;
            checksum.update(&len);
            checksum.update(&buf);
            let doc: StagedDoc = postcard::from_bytes(&buf)
                .map_err(|e| invalid(&path, format!("document {n}: {e}")))?;
            if doc.file as usize >= self.info.files.len() {
                return Err(invalid(&path, format!("document {n}: no such input file")).into());
            }
            lengths.push(doc.stored_len);
            take(doc)?;
        }
        let mut rest = [0u8; 1];
        if input.read(&mut rest).map_err(|e| with_path(&path, e))? != 0 {
            return Err(invalid(&path, "more documents than shard.json counts").into());
        }
        if format!("{:016x}", checksum.digest()) != self.info.checksum {
            return Err(invalid(&path, "checksum mismatch: the file is damaged").into());
        }
        Ok(lengths)
    }

    /// The shard's texts, given each document's stored length.
    pub fn texts(&self, lengths: &[u64]) -> io::Result<SpoolReader> {
        let path = self.dir.join(TEXTS);
        SpoolReader::open_compressed(&path, lengths).map_err(|e| with_path(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Origin;
    use reprint_core::fingerprint::analysis::{AnalysisOptions, Analyzer};
    use serde_json::value::RawValue;

    fn record(id: &str, file: &Arc<str>, line: u64, text: &str) -> Record {
        Record {
            id: id.to_owned(),
            text: text.to_owned(),
            fields: vec![(
                "site".to_owned(),
                RawValue::from_string("\"a.example\"".to_owned()).unwrap(),
            )],
            raw: String::new(),
            origin: Origin {
                file: file.clone(),
                line,
            },
        }
    }

    #[test]
    fn a_shard_reads_back_as_written_and_damage_is_caught() {
        let work = tempfile::tempdir().unwrap();
        let analyzer = Analyzer::new(AnalysisOptions::default());
        let shard = Shard { index: 1, count: 3 };
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("a.jsonl"), Arc::from("b.jsonl"));
        let records = [
            record(
                "x",
                &a,
                1,
                "Le premier texte, avec des mots.\nEt une seconde ligne.",
            ),
            record("y", &a, 3, ""),
            record("z", &b, 1, "Un autre texte — ünïcödé."),
        ];
        let analyses: Vec<DocAnalysis> =
            records.iter().map(|r| analyzer.analyze(&r.text)).collect();
        let mut writer = ShardWriter::create(work.path(), shard).unwrap();
        for (r, an) in records.iter().zip(&analyses) {
            writer.append(r, an).unwrap();
        }
        assert_eq!(writer.len(), 3);
        // Not a shard until finished.
        assert!(StagedShard::list(work.path()).unwrap().is_empty());
        let skipped = BTreeMap::from([("invalid-json".to_owned(), 2)]);
        let info = writer
            .finish("key-1", skipped.clone(), WebStats::default())
            .unwrap();
        assert_eq!(info.files, ["a.jsonl", "b.jsonl"]);

        let shards = StagedShard::list(work.path()).unwrap();
        assert_eq!(shards.len(), 1);
        assert_eq!(shards[0].info, info);
        assert_eq!(shards[0].info.skipped, skipped);
        let mut docs = Vec::new();
        let lengths = shards[0]
            .read_documents(|d| -> io::Result<()> {
                docs.push(d);
                Ok(())
            })
            .unwrap();
        assert_eq!(docs.len(), 3);
        for ((doc, r), an) in docs.iter().zip(&records).zip(&analyses) {
            assert_eq!(doc.id, r.id);
            assert_eq!(
                doc.fields,
                [("site".to_owned(), "\"a.example\"".to_owned())]
            );
            assert_eq!(doc.line, r.origin.line);
            assert_eq!(&*info.files[doc.file as usize], &*r.origin.file);
            assert_eq!(&doc.analysis, an);
        }
        let texts = shards[0].texts(&lengths).unwrap();
        for (i, r) in records.iter().enumerate() {
            assert_eq!(texts.get(i).unwrap(), r.text);
        }

        // Texts are stored compressed, and a damaged one is an error, not a wrong text.
        let texts_path = shard_dir(work.path(), shard).join(TEXTS);
        let stored = fs::read(&texts_path).unwrap();
        assert!(stored.len() as u64 == lengths.iter().sum::<u64>());
        let mut damaged = stored.clone();
        let at = (lengths[0] / 2) as usize;
        damaged[at] ^= 0x55;
        fs::write(&texts_path, &damaged).unwrap();
        let texts = shards[0].texts(&lengths).unwrap();
        assert!(texts.get(0).is_err());
        assert_eq!(texts.get(2).unwrap(), records[2].text);

        // One flipped byte in the documents file is an error naming it.
        let path = shard_dir(work.path(), shard).join(DOCUMENTS);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        fs::write(&path, &bytes).unwrap();
        let err = shards[0]
            .read_documents(|_| -> io::Result<()> { Ok(()) })
            .unwrap_err();
        assert!(err.to_string().contains("documents.bin"), "{err}");
    }

    #[test]
    fn a_killed_writer_leaves_no_shard_and_the_next_one_replaces_its_leftovers() {
        let work = tempfile::tempdir().unwrap();
        let analyzer = Analyzer::new(AnalysisOptions::default());
        let file: Arc<str> = Arc::from("in.jsonl");
        let r = record("x", &file, 1, "Un texte.");
        let an = analyzer.analyze(&r.text);
        let mut writer = ShardWriter::create(work.path(), Shard::WHOLE).unwrap();
        writer.append(&r, &an).unwrap();
        std::mem::forget(writer); // as if killed: nothing renamed
        assert!(StagedShard::list(work.path()).unwrap().is_empty());
        let mut writer = ShardWriter::create(work.path(), Shard::WHOLE).unwrap();
        writer.append(&r, &an).unwrap();
        writer
            .finish("k", BTreeMap::new(), WebStats::default())
            .unwrap();
        let shards = StagedShard::list(work.path()).unwrap();
        assert_eq!(shards.len(), 1);
        assert_eq!(shards[0].info.documents, 1);
        // A second finish of the same shard replaces the first.
        let writer = ShardWriter::create(work.path(), Shard::WHOLE).unwrap();
        writer
            .finish("k2", BTreeMap::new(), WebStats::default())
            .unwrap();
        let shards = StagedShard::list(work.path()).unwrap();
        assert_eq!((shards.len(), shards[0].info.documents), (1, 0));
        assert_eq!(shards[0].info.key, "k2");
    }
}
