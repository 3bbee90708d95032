//! Parquet input (cargo feature `parquet`): one record per row.
//!
//! The text and id columns are the ones `--text-field` and `--id-field` name, as for
//! JSONL: the text must be a string column (a null text is a `text_not_string` error for
//! that row, skippable like any bad record); the id a string or integer column (a null
//! or missing id becomes `FILE:ROW`). Every other column of a plain type (strings,
//! integers, floats, booleans, dates and timestamps, written as ISO 8601 strings) is
//! carried as a field of the record, in column order, as JSONL fields are; columns of
//! other types (lists, structs, binary) are not carried. Rows are read a batch at a
//! time, so memory holds one batch, not the file. A file that cannot be read as Parquet,
//! or lacks the text column, is one error naming the file; rows are numbered from 1 in
//! errors and generated ids.
//!
//! A panic of the decoder on damaged bytes is caught and reported as that file's
//! `parquet_unreadable` error.
//!
//! Parquet files are recognised by their magic bytes (`PAR1`), whatever their name.
//! Without the feature they are reported as `unsupported` rather than read as text.

use std::collections::VecDeque;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde_json::value::RawValue;

use super::ids::IdSet;
use super::{ErrorKind, InputError, Origin, ReadOptions, Record};

/// Rows decoded at a time.
const BATCH_ROWS: usize = 1024;

/// A Parquet file being read.
pub(crate) struct ParquetFile {
    name: Arc<str>,
    batches: ParquetRecordBatchReader,
    /// Rows read so far: the number of the last one.
    row: u64,
}

impl ParquetFile {
    /// Opens `path` and checks its schema; the error names the file.
    pub(crate) fn open(
        name: Arc<str>,
        path: &Path,
        opts: &ReadOptions,
    ) -> Result<Self, InputError> {
        let fail = |detail: String| {
            InputError::new(
                &*name,
                None,
                ErrorKind::Skipped {
                    reason: "parquet_unreadable",
                    detail,
                },
            )
        };
        let file = File::open(path)
            .map_err(|e| InputError::new(&*name, None, ErrorKind::Io(e.to_string())))?;
        let builder = std::panic::catch_unwind(|| ParquetRecordBatchReaderBuilder::try_new(file))
            .map_err(|_| fail("not a readable Parquet file: its metadata is damaged".to_owned()))?
            .map_err(|e| fail(format!("not a readable Parquet file: {e}")))?;
        check_schema(&name, builder.schema(), opts)?;
        let batches = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| fail(format!("cannot read the Parquet file: {e}")))?;
        Ok(ParquetFile {
            name,
            batches,
            row: 0,
        })
    }

    /// Decodes the next batch of rows into `queue`; `false` when the file is done (a
    /// read error ends it, queued as the file's last item).
    pub(crate) fn fill(
        &mut self,
        queue: &mut VecDeque<Result<Record, InputError>>,
        opts: &ReadOptions,
        ids: &mut IdSet,
    ) -> bool {
        // The decoder is a third party's, fed untrusted bytes: should it panic on a
        // damaged file, that file ends with an error and the run goes on (the
        // fuzz-style test found none in 400 damaged files).
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.batches.next()))
            .unwrap_or_else(|_| {
                Some(Err(arrow_schema::ArrowError::ParquetError(
                    "the Parquet decoder failed on damaged data".to_owned(),
                )))
            });
        match next {
            None => false,
            Some(Err(e)) => {
                queue.push_back(Err(InputError::new(
                    &*self.name,
                    Some(self.row + 1),
                    ErrorKind::Skipped {
                        reason: "parquet_unreadable",
                        detail: format!("cannot decode rows: {e}; the rest of the file is skipped"),
                    },
                )));
                false
            }
            Some(Ok(batch)) => {
                push_rows(&self.name, &mut self.row, &batch, queue, opts, ids);
                true
            }
        }
    }
}

/// Turns the rows of `batch` into records (or errors) at the end of `queue`; `row`
/// counts the rows read so far, for line numbers and generated ids.
fn push_rows(
    name: &Arc<str>,
    row: &mut u64,
    batch: &RecordBatch,
    queue: &mut VecDeque<Result<Record, InputError>>,
    opts: &ReadOptions,
    ids: &mut IdSet,
) {
    {
        let schema = batch.schema();
        let column = |name: &str| schema.index_of(name).ok().map(|i| (i, batch.column(i)));
        let Some((text_index, text)) = column(&opts.text_field) else {
            return;
        };
        let id_column = column(&opts.id_field);
        let carried: Vec<(usize, &str)> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                *i != text_index && Some(*i) != id_column.map(|c| c.0) && is_carried(f.data_type())
            })
            .map(|(i, f)| (i, f.name().as_str()))
            .collect();
        for r in 0..batch.num_rows() {
            *row += 1;
            let line = *row;
            let err = |kind| InputError::new(&**name, Some(line), kind);
            let Some(text) = string_at(text, r) else {
                queue.push_back(Err(err(ErrorKind::TextNotString {
                    field: opts.text_field.clone(),
                })));
                continue;
            };
            let id = match id_column.map(|(_, c)| id_at(c, r)) {
                Some(IdAt::Given(id)) => id,
                None | Some(IdAt::Absent) => format!("{name}:{line}"),
                Some(IdAt::Bad) => {
                    queue.push_back(Err(err(ErrorKind::BadId {
                        field: opts.id_field.clone(),
                    })));
                    continue;
                }
            };
            if text.len() > opts.max_record_bytes {
                queue.push_back(Err(err(ErrorKind::RecordTooLarge {
                    limit: opts.max_record_bytes,
                    seen: text.len() as u64,
                })));
                continue;
            }
            if !ids.insert(&id) {
                queue.push_back(Err(err(ErrorKind::DuplicateId(id))));
                continue;
            }
            let fields: Vec<(String, Box<RawValue>)> = carried
                .iter()
                .filter_map(|&(i, name)| {
                    let column = batch.column(i);
                    let value = json_value(column, r, column.data_type())?;
                    Some((name.to_owned(), value))
                })
                .collect();
            let raw = if opts.keep_raw {
                raw_line(&id, &opts.id_field, &text, &opts.text_field, &fields)
            } else {
                String::new()
            };
            queue.push_back(Ok(Record {
                id,
                text,
                fields,
                raw,
                origin: Origin {
                    file: Arc::clone(name),
                    line,
                },
            }));
        }
    }
}

/// The text column must be there and hold strings; the error names the input.
fn check_schema(
    name: &str,
    schema: &arrow_schema::Schema,
    opts: &ReadOptions,
) -> Result<(), InputError> {
    match schema.field_with_name(&opts.text_field) {
        Ok(field) if is_string(field.data_type()) => Ok(()),
        Ok(field) => Err(InputError::new(
            name,
            None,
            ErrorKind::Skipped {
                reason: "parquet_unreadable",
                detail: format!(
                    "column `{}` is {}, not a string column",
                    opts.text_field,
                    field.data_type()
                ),
            },
        )),
        Err(_) => Err(InputError::new(
            name,
            None,
            ErrorKind::MissingText {
                field: opts.text_field.clone(),
            },
        )),
    }
}

/// Records from Arrow record batches a front end hands over (the Python package's
/// Arrow tables and data frames, through the Arrow C stream interface), read with the
/// rules of Parquet input: the text and id columns named by the options, plain columns
/// carried, rows numbered from 1 in errors and generated ids (`NAME:ROW`). No Python
/// object is made per row: strings are read from the Arrow buffers. A batch that
/// cannot be decoded ends the stream with an error naming the row reached.
pub fn read_arrow<I>(
    name: &str,
    schema: &arrow_schema::Schema,
    batches: I,
    opts: &ReadOptions,
) -> Result<impl Iterator<Item = Result<Record, InputError>> + Send, InputError>
where
    I: Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>> + Send,
{
    check_schema(name, schema, opts)?;
    let name: Arc<str> = Arc::from(name);
    let opts = opts.clone();
    let mut ids = IdSet::new();
    let mut row = 0u64;
    let mut queue = VecDeque::new();
    let mut batches = batches.fuse();
    let mut failed = false;
    Ok(std::iter::from_fn(move || loop {
        if let Some(item) = queue.pop_front() {
            return Some(item);
        }
        if failed {
            return None;
        }
        match batches.next()? {
            Ok(batch) => push_rows(&name, &mut row, &batch, &mut queue, &opts, &mut ids),
            Err(e) => {
                failed = true;
                queue.push_back(Err(InputError::new(
                    &*name,
                    Some(row + 1),
                    ErrorKind::Skipped {
                        reason: "arrow_unreadable",
                        detail: format!("cannot read rows: {e}; the rest is skipped"),
                    },
                )));
            }
        }
    }))
}

/// Column types carried as fields.
fn is_carried(t: &DataType) -> bool {
    is_string(t)
        || t.is_integer()
        || matches!(
            t,
            DataType::Boolean
                | DataType::Float32
                | DataType::Float64
                | DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(_, _)
        )
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn string_at(column: &dyn Array, r: usize) -> Option<String> {
    if column.is_null(r) {
        return None;
    }
    match column.data_type() {
        DataType::Utf8 => Some(column.as_string::<i32>().value(r).to_owned()),
        DataType::LargeUtf8 => Some(column.as_string::<i64>().value(r).to_owned()),
        DataType::Utf8View => Some(column.as_string_view().value(r).to_owned()),
        _ => None,
    }
}

enum IdAt {
    Given(String),
    Absent,
    Bad,
}

fn id_at(column: &dyn Array, r: usize) -> IdAt {
    if column.is_null(r) {
        return IdAt::Absent;
    }
    if let Some(s) = string_at(column, r) {
        return IdAt::Given(s);
    }
    match column.data_type() {
        t if t.is_integer() => match json_value(column, r, t) {
            Some(v) => IdAt::Given(v.get().to_owned()),
            None => IdAt::Bad,
        },
        _ => IdAt::Bad,
    }
}

/// The value at row `r` as raw JSON (`null` for a null), or `None` for a column type
/// that is not carried.
fn json_value(column: &dyn Array, r: usize, data_type: &DataType) -> Option<Box<RawValue>> {
    use serde_json::Value;
    if !is_carried(data_type) {
        return None;
    }
    if r >= column.len() || column.is_null(r) {
        return serde_json::value::to_raw_value(&Value::Null).ok();
    }
    let value: Value = match data_type {
        DataType::Boolean => Value::from(column.as_boolean().value(r)),
        DataType::Int8 => Value::from(column.as_primitive::<Int8Type>().value(r)),
        DataType::Int16 => Value::from(column.as_primitive::<Int16Type>().value(r)),
        DataType::Int32 => Value::from(column.as_primitive::<Int32Type>().value(r)),
        DataType::Int64 => Value::from(column.as_primitive::<Int64Type>().value(r)),
        DataType::UInt8 => Value::from(column.as_primitive::<UInt8Type>().value(r)),
        DataType::UInt16 => Value::from(column.as_primitive::<UInt16Type>().value(r)),
        DataType::UInt32 => Value::from(column.as_primitive::<UInt32Type>().value(r)),
        DataType::UInt64 => Value::from(column.as_primitive::<UInt64Type>().value(r)),
        // A float that JSON cannot hold (NaN, infinity) is carried as null.
        DataType::Float32 => Value::from(f64::from(column.as_primitive::<Float32Type>().value(r))),
        DataType::Float64 => Value::from(column.as_primitive::<Float64Type>().value(r)),
        DataType::Date32 | DataType::Date64 => {
            let date = if *data_type == DataType::Date32 {
                column.as_primitive::<Date32Type>().value_as_date(r)
            } else {
                column.as_primitive::<Date64Type>().value_as_date(r)
            };
            Value::from(date?.format("%Y-%m-%d").to_string())
        }
        DataType::Timestamp(unit, _) => {
            let at = match unit {
                TimeUnit::Second => column
                    .as_primitive::<TimestampSecondType>()
                    .value_as_datetime(r),
                TimeUnit::Millisecond => column
                    .as_primitive::<TimestampMillisecondType>()
                    .value_as_datetime(r),
                TimeUnit::Microsecond => column
                    .as_primitive::<TimestampMicrosecondType>()
                    .value_as_datetime(r),
                TimeUnit::Nanosecond => column
                    .as_primitive::<TimestampNanosecondType>()
                    .value_as_datetime(r),
            }?;
            Value::from(at.format("%Y-%m-%dT%H:%M:%S").to_string())
        }
        _ => Value::from(string_at(column, r)?),
    };
    serde_json::value::to_raw_value(&value).ok()
}

/// A JSONL line for the row (`reprint dedup` writes kept records as their lines).
fn raw_line(
    id: &str,
    id_field: &str,
    text: &str,
    text_field: &str,
    fields: &[(String, Box<RawValue>)],
) -> String {
    let mut map = serde_json::Map::new();
    map.insert(id_field.to_owned(), serde_json::Value::from(id));
    map.insert(text_field.to_owned(), serde_json::Value::from(text));
    for (name, value) in fields {
        if let Ok(v) = serde_json::from_str(value.get()) {
            map.insert(name.clone(), v);
        }
    }
    serde_json::Value::Object(map).to_string()
}
