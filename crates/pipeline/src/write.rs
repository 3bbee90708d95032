//! Write: the scan folder's files (the README's output contract), formatted by
//! `reprint_io::output` as JSONL or (cargo feature `parquet`) as Parquet tables with the
//! same rows, staged as temporary files and put in place together with the folder's
//! manifest (`reprint_io::manifest`), so that a folder is either the last complete scan
//! or refused by its readers.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use reprint_io::output::{
    write_cluster, write_document, write_match, write_text, ClusterRow, DerivedFromRow,
    DocumentRow, MatchRow, OutputFormat, Table,
};
use serde_json::value::RawValue;

use reprint_io::manifest::{self, StagedFile};

use crate::{JobError, ScanResult};

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> JobError + '_ {
    move |e| JobError::file("cannot write", path, e)
}

/// A `texts` row ready to write: a JSONL line, or a document's text for Parquet.
enum Formatted {
    Line(Vec<u8>),
    Text(usize, String),
}

/// One table of the folder being written: rows come in as the JSONL writer's lines and
/// go out in the folder's format.
enum TableFile {
    Jsonl(StagedFile),
    /// JSONL lines kept in memory (for front ends that hand the rows on).
    Memory(Vec<u8>),
    #[cfg(feature = "parquet")]
    Parquet {
        table: Box<reprint_io::output::parquet::ParquetTable<StagedFile>>,
        carried: Vec<reprint_io::output::parquet::CarriedColumn>,
    },
}

impl TableFile {
    /// Starts `table` in `dir`; `fields` are the records' carried fields (which type
    /// the carried columns of a Parquet `documents` table).
    fn create(
        dir: Option<&Path>,
        table: Table,
        format: OutputFormat,
        fields: &[Vec<(String, Box<RawValue>)>],
    ) -> Result<TableFile, JobError> {
        let Some(dir) = dir else {
            return Ok(TableFile::Memory(Vec::new()));
        };
        let name = table.file_name(format);
        let file = StagedFile::create(dir, name)
            .map_err(|e| JobError::file("cannot create a file in", dir, e))?;
        match format {
            OutputFormat::Jsonl => Ok(TableFile::Jsonl(file)),
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => {
                use reprint_io::output::parquet::{carried_columns, ParquetTable};
                let carried = match table {
                    Table::Documents => carried_columns(fields.iter().map(Vec::as_slice)),
                    _ => Vec::new(),
                };
                let table = ParquetTable::new(file, table, &carried)
                    .map_err(|e| JobError::file("cannot write", &dir.join(name), e))?;
                let table = Box::new(table);
                Ok(TableFile::Parquet { table, carried })
            }
            #[cfg(not(feature = "parquet"))]
            OutputFormat::Parquet => {
                let _ = fields;
                Err(JobError::io(
                    "cannot write Parquet: this reprint was built without the `parquet` feature",
                    io::Error::other("unsupported"),
                ))
            }
        }
    }

    /// A record's carried fields as this table's rows take them.
    fn fields<'a>(
        &self,
        fields: &'a [(String, Box<RawValue>)],
    ) -> Cow<'a, [(String, Box<RawValue>)]> {
        match self {
            TableFile::Jsonl(_) | TableFile::Memory(_) => Cow::Borrowed(fields),
            #[cfg(feature = "parquet")]
            TableFile::Parquet { carried, .. } => {
                reprint_io::output::parquet::fields_for_parquet(fields, carried)
            }
        }
    }

    /// A row of the `texts` table given as its two strings (Parquet takes them without
    /// going through JSON).
    fn text_row(&mut self, id: &str, text: &str) -> io::Result<()> {
        match self {
            TableFile::Jsonl(_) | TableFile::Memory(_) => {
                let mut line = Vec::with_capacity(text.len() + 64);
                write_text(&mut line, id, text)?;
                self.row(&line)
            }
            #[cfg(feature = "parquet")]
            TableFile::Parquet { table, .. } => table.write_text(id, text),
        }
    }

    fn row(&mut self, line: &[u8]) -> io::Result<()> {
        match self {
            TableFile::Jsonl(file) => {
                file.write_all(line)?;
                file.line_written();
                Ok(())
            }
            TableFile::Memory(bytes) => {
                bytes.extend_from_slice(line);
                Ok(())
            }
            #[cfg(feature = "parquet")]
            TableFile::Parquet { table, .. } => table.write_row(line),
        }
    }

    fn finish(self) -> io::Result<Finished> {
        let mut file = match self {
            TableFile::Jsonl(file) => file,
            TableFile::Memory(bytes) => return Ok(Finished::Bytes(bytes)),
            #[cfg(feature = "parquet")]
            TableFile::Parquet { table, .. } => {
                let rows = table.rows();
                let mut file = table.finish()?;
                file.rows_written(rows);
                file
            }
        };
        file.flush()?;
        Ok(Finished::Staged(file))
    }
}

/// A table once written: a staged file of the folder, or the JSONL bytes.
enum Finished {
    Staged(StagedFile),
    Bytes(Vec<u8>),
}

impl Finished {
    fn staged(self) -> StagedFile {
        match self {
            Finished::Staged(file) => file,
            // `write_as` only makes staged files.
            Finished::Bytes(_) => unreachable!("a table in memory where a file was made"),
        }
    }

    fn bytes(self) -> Vec<u8> {
        match self {
            Finished::Bytes(bytes) => bytes,
            Finished::Staged(_) => unreachable!("a file where a table in memory was made"),
        }
    }
}

/// A scan's three result tables as JSONL bytes (the lines of `documents.jsonl`,
/// `clusters.jsonl` and `matches.jsonl`), for front ends that hand rows on.
#[derive(Debug, Clone, Default)]
pub struct JsonlTables {
    pub documents: Vec<u8>,
    pub clusters: Vec<u8>,
    pub matches: Vec<u8>,
}

impl ScanResult {
    /// Writes `documents.jsonl`, `clusters.jsonl`, `matches.jsonl` and `texts.jsonl`
    /// into `dir` (which must exist): [`Self::write_as`] in JSONL.
    pub fn write(&self, dir: &Path) -> Result<(), JobError> {
        self.write_as(dir, OutputFormat::Jsonl)
    }

    /// Writes the folder's four tables in `format` into `dir` (which must exist), side
    /// by side, then `manifest.json`. Nothing in `dir` changes until all four are
    /// complete; a failure before that leaves the previous scan's folder as it was.
    pub fn write_as(&self, dir: &Path, format: OutputFormat) -> Result<(), JobError> {
        let (outputs, texts) = rayon::join(
            || self.write_results(Some(dir), format),
            || self.write_texts(dir, format),
        );
        let mut files: Vec<StagedFile> = outputs?.into_iter().map(Finished::staged).collect();
        files.push(texts?.staged());
        manifest::commit(dir, files)
            .map_err(|e| JobError::file("cannot put the scan's files in place in", dir, e))?;
        Ok(())
    }

    /// The three result tables as JSONL bytes, without writing any file.
    pub fn jsonl_tables(&self) -> Result<JsonlTables, JobError> {
        let mut tables = self
            .write_results(None, OutputFormat::Jsonl)?
            .into_iter()
            .map(Finished::bytes);
        let mut next = || tables.next().unwrap_or_default();
        Ok(JsonlTables {
            documents: next(),
            clusters: next(),
            matches: next(),
        })
    }

    /// Writes the documents, clusters and matches tables into `dir`, or into memory
    /// when `dir` is `None`.
    fn write_results(
        &self,
        dir: Option<&Path>,
        format: OutputFormat,
    ) -> Result<Vec<Finished>, JobError> {
        let memory = Path::new("<memory>");
        let dir_path = dir.unwrap_or(memory);
        let corpus = &self.corpus;
        let clustering = &self.outcome.clustering;
        let provenance = &self.provenance;
        let prov = &provenance.provenance;
        let mut line = Vec::with_capacity(1 << 12);

        let path = dir_path.join(Table::Documents.file_name(format));
        let mut documents = TableFile::create(dir, Table::Documents, format, &corpus.fields)?;
        for (doc, id) in corpus.ids.iter().enumerate() {
            let doc = doc as u32;
            let parents = prov.derived_from(doc);
            let derived_from: Vec<DerivedFromRow> = parents
                .iter()
                .map(|d| DerivedFromRow {
                    id: &corpus.ids[d.source as usize],
                    kind: d.kind.as_str(),
                    score: d.score,
                    reasons: &d.reasons,
                })
                .collect();
            let fields = documents.fields(&corpus.fields[doc as usize]);
            line.clear();
            write_document(
                &mut line,
                &DocumentRow {
                    id,
                    cluster: clustering.cluster_of[doc as usize],
                    story: clustering.story_of[doc as usize],
                    relation: clustering.relation[doc as usize].map(|r| r.as_str()),
                    representative: clustering.is_kept(doc),
                    boilerplate: self.boilerplate(doc as usize),
                    repeats: self.repeats(doc as usize),
                    fields: &fields,
                    text_date: provenance.text_dates[doc as usize],
                    attributions: &provenance.facts[doc as usize].attributions,
                    source: prov
                        .original_of(doc)
                        .map(|o| corpus.ids[o as usize].as_str()),
                    derived_from: &derived_from,
                },
            )
            .and_then(|()| documents.row(&line))
            .map_err(write_error(&path))?;
        }
        let documents = documents.finish().map_err(write_error(&path))?;

        let path = dir_path.join(Table::Clusters.file_name(format));
        let mut clusters = TableFile::create(dir, Table::Clusters, format, &[])?;
        for cluster in &clustering.clusters {
            let members: Vec<&str> = cluster
                .members
                .iter()
                .map(|&m| corpus.ids[m as usize].as_str())
                .collect();
            line.clear();
            write_cluster(
                &mut line,
                &ClusterRow {
                    id: cluster.id,
                    story: clustering.story_of[cluster.id as usize],
                    representative: &corpus.ids[prov
                        .of(cluster.id)
                        .map_or(cluster.representative, |p| p.representative)
                        as usize],
                    members: &members,
                    provenance: prov.of(cluster.id).map(|p| (p, corpus.ids.as_slice())),
                },
            )
            .and_then(|()| clusters.row(&line))
            .map_err(write_error(&path))?;
        }
        let clusters = clusters.finish().map_err(write_error(&path))?;

        let path = dir_path.join(Table::Matches.file_name(format));
        let mut matches = TableFile::create(dir, Table::Matches, format, &[])?;
        for m in &self.outcome.matches {
            line.clear();
            write_match(
                &mut line,
                &MatchRow {
                    a: &corpus.ids[m.a as usize],
                    b: &corpus.ids[m.b as usize],
                    kind: m.kind.as_str(),
                    similarity: m.similarity,
                    evidence: m.evidence.as_deref(),
                },
            )
            .and_then(|()| matches.row(&line))
            .map_err(write_error(&path))?;
        }
        let matches = matches.finish().map_err(write_error(&path))?;
        Ok(vec![documents, clusters, matches])
    }

    /// Writes the `texts` table: the id and text of every document in a cluster, in
    /// input order. Only clustered documents: the report shows nothing else, and the
    /// scan's output stays far smaller than its input.
    fn write_texts(&self, dir: &Path, format: OutputFormat) -> Result<Finished, JobError> {
        let corpus = &self.corpus;
        let texts = corpus.texts.as_ref().ok_or_else(|| {
            JobError::io(
                "internal error: texts were not kept",
                std::io::Error::other("no spool"),
            )
        })?;
        let path = dir.join(Table::Texts.file_name(format));
        let mut out = TableFile::create(Some(dir), Table::Texts, format, &[])?;
        let mut clustered = vec![false; corpus.len()];
        for c in &self.outcome.clustering.clusters {
            for &m in &c.members {
                clustered[m as usize] = true;
            }
        }
        // Lines are formatted in parallel, a chunk of documents at a time, and written in
        // input order; each chunk is written while the next one is formatted.
        let members: Vec<usize> = (0..corpus.len()).filter(|&d| clustered[d]).collect();
        // JSONL lines are escaped in parallel; Parquet takes the texts as they are.
        let jsonl = matches!(out, TableFile::Jsonl(_));
        let format_lines = |chunk: &[usize]| -> Result<Vec<Formatted>, JobError> {
            chunk
                .par_iter()
                .map(|&doc| -> Result<Formatted, JobError> {
                    let text = texts.get(doc).map_err(|e| {
                        JobError::io("cannot read a text back from the temporary file", e)
                    })?;
                    if !jsonl {
                        return Ok(Formatted::Text(doc, text));
                    }
                    let mut line = Vec::with_capacity(text.len() + 64);
                    write_text(&mut line, &corpus.ids[doc], &text).map_err(write_error(&path))?;
                    Ok(Formatted::Line(line))
                })
                .collect()
        };
        let write = |out: &mut TableFile, lines: Vec<Formatted>| -> Result<(), JobError> {
            for line in lines {
                match line {
                    Formatted::Line(line) => out.row(&line),
                    Formatted::Text(doc, text) => out.text_row(&corpus.ids[doc], &text),
                }
                .map_err(write_error(&path))?;
            }
            Ok(())
        };
        let mut formatted: Option<Vec<Formatted>> = None;
        for chunk in members.chunks(4096) {
            let (next, written) = rayon::join(
                || format_lines(chunk),
                || {
                    formatted
                        .take()
                        .map_or(Ok(()), |lines| write(&mut out, lines))
                },
            );
            written?;
            formatted = Some(next?);
        }
        if let Some(lines) = formatted {
            write(&mut out, lines)?;
        }
        out.finish().map_err(write_error(&path))
    }
}
