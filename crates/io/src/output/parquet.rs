//! Parquet output (cargo feature `parquet`): the scan folder's four tables as
//! `documents.parquet`, `clusters.parquet`, `matches.parquet` and `texts.parquet`.
//!
//! # Design
//!
//! The JSONL lines of [`super`] are the contract; the Parquet tables are the same rows
//! with the same keys, typed. Each row is formatted by the JSONL writer and decoded into
//! Arrow by `arrow-json` against a fixed schema (below), a batch of rows at a time, so the
//! two formats cannot drift apart: the decoder runs in strict mode, and a key the schema
//! does not know is an error (the round-trip tests write every kind of row). Nested
//! values stay nested (lists of structs), spans are two-element lists `[start, end]` of
//! character offsets, exactly as in JSONL; keys JSONL leaves out (`corroborated`, a match's
//! story evidence) are nulls.
//!
//! The columns of `documents.parquet` that carry the input record's fields get their type
//! from the values of the whole run ([`carried_columns`]): a field whose values are all
//! strings (or null) is a string column, all integers an `Int64` column, all numbers a
//! `Float64` column, all booleans a `Boolean` column; any other field (objects, arrays,
//! values of mixed types) is a string column holding each value's JSON text, so nothing
//! a record carried is lost.
//!
//! Files are zstd-compressed; a row group is closed every [`ROW_GROUP_ROWS`] rows or once
//! it holds [`ROW_GROUP_BYTES`] of encoded data (texts), so memory holds one row group.
//! Nothing in a file depends on the time or the thread count: the same scan writes the
//! same bytes.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{ArrayBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_json::reader::Decoder;
use arrow_json::ReaderBuilder;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::value::RawValue;

use super::{Table, DOCUMENT_KEYS};

/// Rows decoded into one Arrow batch.
const BATCH_ROWS: usize = 4096;
/// Text bytes gathered before a batch of `texts` rows is written.
const TEXT_BATCH_BYTES: usize = 16 << 20;
/// Most rows in one row group.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;
/// A row group is closed once its encoded data reaches this size.
pub const ROW_GROUP_BYTES: usize = 128 << 20;

/// The Arrow type of a carried input field in `documents.parquet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarriedType {
    Utf8,
    Int64,
    Float64,
    Boolean,
    /// Values of no single plain type: each value's JSON text, as a string.
    Json,
}

/// One carried column of `documents.parquet`: its name in the output (an input field
/// named like one of reprint's keys is carried as `input_<name>`, as in JSONL) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedColumn {
    /// The field's name in the input record.
    pub field: String,
    /// The column's name.
    pub name: String,
    pub kind: CarriedType,
}

/// The carried columns of a run, in order of first appearance, typed from every value
/// (see the module doc).
pub fn carried_columns<'a, I>(records: I) -> Vec<CarriedColumn>
where
    I: IntoIterator<Item = &'a [(String, Box<RawValue>)]>,
{
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        Nothing,
        Str,
        Int,
        Num,
        Bool,
        Other,
    }
    let mut columns: Vec<(String, Seen)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for fields in records {
        for (name, value) in fields {
            let slot = *index.entry(name.clone()).or_insert_with(|| {
                columns.push((name.clone(), Seen::Nothing));
                columns.len() - 1
            });
            let kind = match value.get().as_bytes().first() {
                Some(b'"') => Seen::Str,
                Some(b't' | b'f') => Seen::Bool,
                Some(b'n') => continue,
                Some(b'-' | b'0'..=b'9') => {
                    if value.get().parse::<i64>().is_ok() {
                        Seen::Int
                    } else {
                        Seen::Num
                    }
                }
                _ => Seen::Other,
            };
            let seen = &mut columns[slot].1;
            *seen = match (*seen, kind) {
                (Seen::Nothing, k) => k,
                (a, b) if a == b => a,
                (Seen::Int | Seen::Num, Seen::Int | Seen::Num) => Seen::Num,
                _ => Seen::Other,
            };
        }
    }
    columns
        .into_iter()
        .map(|(field, seen)| CarriedColumn {
            name: if DOCUMENT_KEYS.contains(&field.as_str()) {
                format!("input_{field}")
            } else {
                field.clone()
            },
            field,
            kind: match seen {
                // A field that was null everywhere: a string column of nulls.
                Seen::Nothing | Seen::Str => CarriedType::Utf8,
                Seen::Int => CarriedType::Int64,
                Seen::Num => CarriedType::Float64,
                Seen::Bool => CarriedType::Boolean,
                Seen::Other => CarriedType::Json,
            },
        })
        .collect()
}

/// A record's fields as `documents.parquet` reads them from the JSONL line: values of
/// [`CarriedType::Json`] columns become JSON strings of their text.
pub fn fields_for_parquet<'a>(
    fields: &'a [(String, Box<RawValue>)],
    columns: &[CarriedColumn],
) -> Cow<'a, [(String, Box<RawValue>)]> {
    let is_json = |name: &str| {
        columns
            .iter()
            .any(|c| c.kind == CarriedType::Json && c.field == name)
    };
    if !fields.iter().any(|(name, _)| is_json(name)) {
        return Cow::Borrowed(fields);
    }
    Cow::Owned(
        fields
            .iter()
            .map(|(name, value)| {
                if is_json(name) && value.get() != "null" {
                    let text = serde_json::to_string(value.get()).unwrap_or_default();
                    let quoted = RawValue::from_string(text).unwrap_or_else(|_| value.clone());
                    (name.clone(), quoted)
                } else {
                    (name.clone(), value.clone())
                }
            })
            .collect(),
    )
}

fn list(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(item, false)))
}

fn list_of(fields: Vec<Field>) -> DataType {
    list(DataType::Struct(Fields::from(fields)))
}

fn span(name: &str) -> Field {
    Field::new(name, list(DataType::UInt32), false)
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}

fn reasons(name: &str) -> Field {
    Field::new(name, list_of(vec![text("code"), text("text")]), false)
}

/// The schema of `table` (`carried`: the carried columns of `documents.parquet`).
pub fn schema(table: Table, carried: &[CarriedColumn]) -> SchemaRef {
    let f64 = |name: &str| Field::new(name, DataType::Float64, false);
    let u32 = |name: &str| Field::new(name, DataType::UInt32, false);
    let nullable_text = |name: &str| Field::new(name, DataType::Utf8, true);
    let fields = match table {
        Table::Documents => {
            let mut fields = vec![
                text("id"),
                u32("cluster"),
                u32("story"),
                nullable_text("relation"),
                Field::new("representative", DataType::Boolean, false),
                Field::new(
                    "boilerplate",
                    list_of(vec![span("span"), text("reason")]),
                    false,
                ),
                Field::new("repeats", list_of(vec![span("copy"), span("first")]), false),
                nullable_text("text_date"),
                Field::new(
                    "attributions",
                    list_of(vec![text("kind"), text("name"), text("cue"), span("span")]),
                    false,
                ),
                nullable_text("source"),
                Field::new(
                    "derived_from",
                    list_of(vec![
                        text("id"),
                        text("kind"),
                        f64("score"),
                        reasons("reasons"),
                    ]),
                    false,
                ),
            ];
            fields.extend(carried.iter().map(|c| {
                let kind = match c.kind {
                    CarriedType::Utf8 | CarriedType::Json => DataType::Utf8,
                    CarriedType::Int64 => DataType::Int64,
                    CarriedType::Float64 => DataType::Float64,
                    CarriedType::Boolean => DataType::Boolean,
                };
                Field::new(&c.name, kind, true)
            }));
            fields
        }
        Table::Clusters => vec![
            u32("id"),
            u32("story"),
            u32("size"),
            text("representative"),
            Field::new("members", list(DataType::Utf8), false),
            nullable_text("source"),
            Field::new(
                "source_reasons",
                list_of(vec![text("code"), text("text")]),
                true,
            ),
            Field::new(
                "derivations",
                list_of(vec![
                    text("source"),
                    text("copy"),
                    text("kind"),
                    f64("similarity"),
                    f64("score"),
                    reasons("reasons"),
                    reasons("against"),
                ]),
                true,
            ),
            Field::new(
                "undirected",
                list_of(vec![text("a"), text("b"), text("kind"), f64("similarity")]),
                true,
            ),
            Field::new(
                "cited",
                list_of(vec![
                    text("name"),
                    text("kind"),
                    Field::new("by", list(DataType::Utf8), false),
                ]),
                true,
            ),
        ],
        Table::Matches => vec![
            text("a"),
            text("b"),
            text("kind"),
            f64("similarity"),
            Field::new("corroborated", DataType::Boolean, true),
            Field::new("coverage_a", DataType::Float64, true),
            Field::new("coverage_b", DataType::Float64, true),
            Field::new(
                "passages",
                list_of(vec![span("a"), span("b"), u32("words"), f64("similarity")]),
                true,
            ),
            Field::new(
                "sentences",
                list_of(vec![span("a"), span("b"), f64("similarity")]),
                true,
            ),
            Field::new(
                "facts",
                list_of(vec![
                    text("kind"),
                    text("value"),
                    span("a"),
                    span("b"),
                    f64("weight"),
                ]),
                true,
            ),
        ],
        Table::Texts => vec![text("id"), text("text")],
    };
    Arc::new(Schema::new(fields))
}

fn arrow_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// One table being written as Parquet: JSONL rows in, typed row groups out.
pub struct ParquetTable<W: Write + Send> {
    decoder: Decoder,
    writer: ArrowWriter<W>,
    rows: u64,
    schema: SchemaRef,
    /// `texts` rows, built directly (see [`Self::write_text`]).
    texts: Option<(StringBuilder, StringBuilder)>,
}

impl<W: Write + Send> ParquetTable<W> {
    /// Starts `table` on `out`.
    pub fn new(out: W, table: Table, carried: &[CarriedColumn]) -> io::Result<Self> {
        let schema = schema(table, carried);
        let decoder = ReaderBuilder::new(schema.clone())
            .with_batch_size(BATCH_ROWS)
            .with_strict_mode(true)
            .build_decoder()
            .map_err(arrow_error)?;
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("reprint {}", env!("CARGO_PKG_VERSION")));
        if table == Table::Texts {
            // Texts are all different: a dictionary would only be built to be dropped.
            properties = properties.set_column_dictionary_enabled("text".into(), false);
        }
        let properties = properties.build();
        let writer =
            ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(arrow_error)?;
        Ok(ParquetTable {
            decoder,
            writer,
            rows: 0,
            schema,
            texts: (table == Table::Texts).then(|| (StringBuilder::new(), StringBuilder::new())),
        })
    }

    /// Adds one row of the `texts` table. Texts are most of a scan's output, and their
    /// row is two strings: they go into the columns as they are, without the JSON
    /// escaping and decoding that [`Self::write_row`] would cost (the round-trip tests
    /// check that both ways give the same table).
    pub fn write_text(&mut self, id: &str, text: &str) -> io::Result<()> {
        let Some((ids, texts)) = self.texts.as_mut() else {
            return Err(io::Error::other("write_text on a table other than texts"));
        };
        ids.append_value(id);
        texts.append_value(text);
        self.rows += 1;
        if ids.len() >= BATCH_ROWS || texts.values_slice().len() >= TEXT_BATCH_BYTES {
            self.write_texts()?;
        }
        Ok(())
    }

    fn write_texts(&mut self) -> io::Result<()> {
        let Some((ids, texts)) = self.texts.as_mut() else {
            return Ok(());
        };
        if ids.is_empty() {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![Arc::new(ids.finish()), Arc::new(texts.finish())];
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(arrow_error)?;
        self.write_arrow(&batch)
    }

    fn write_arrow(&mut self, batch: &RecordBatch) -> io::Result<()> {
        self.writer.write(batch).map_err(arrow_error)?;
        if self.writer.in_progress_size() >= ROW_GROUP_BYTES {
            self.writer.flush().map_err(arrow_error)?;
        }
        Ok(())
    }

    /// Adds one row: a line the JSONL writer of this table wrote.
    pub fn write_row(&mut self, mut line: &[u8]) -> io::Result<()> {
        loop {
            let read = self.decoder.decode(line).map_err(|e| self.misfit(e, 1))?;
            line = &line[read..];
            if line.is_empty() {
                break;
            }
            // The decoder holds a full batch: write it and go on with the rest.
            self.write_batch()?;
        }
        self.rows += 1;
        Ok(())
    }

    /// A row the schema does not take (a contract change the schema missed): the rows
    /// of the batch being decoded are named (`unfinished`: 1 while a row is being added).
    fn misfit(&self, e: impl std::fmt::Display, unfinished: u64) -> io::Error {
        let pending = self.decoder.len() as u64;
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "rows {}-{} do not fit the table's schema: {e}",
                self.rows - pending.min(self.rows) + 1,
                self.rows + unfinished
            ),
        )
    }

    fn write_batch(&mut self) -> io::Result<()> {
        // Values are checked against the schema here, a batch at a time.
        if let Some(batch) = self.decoder.flush().map_err(|e| self.misfit(e, 0))? {
            self.write_arrow(&batch)?;
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes what is left and the file's footer; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.write_batch()?;
        self.write_texts()?;
        self.writer.into_inner().map_err(arrow_error)
    }
}

/// The rows of a Parquet file as JSON lines (keys in column order, nulls left out): how
/// `eval` reads a Parquet scan folder, and how the tests compare the two formats.
pub fn json_lines(path: &std::path::Path) -> io::Result<Vec<u8>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path)?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: not a readable Parquet file: {e}", path.display()),
            )
        })?;
    let mut writer = arrow_json::LineDelimitedWriter::new(Vec::new());
    for batch in reader {
        let batch = batch.map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        writer.write(&batch).map_err(arrow_error)?;
    }
    writer.finish().map_err(arrow_error)?;
    Ok(writer.into_inner())
}
