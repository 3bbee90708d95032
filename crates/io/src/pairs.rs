//! Pair files for `reprint compare --pairs`: JSONL lines `{"a": text, "b": text, ...}`,
//! read whole (the texts of the file weigh its words) with every line accounted for:
//! a line that cannot be used (blank, invalid UTF-8, longer than [`MAX_LINE_BYTES`], not
//! JSON, no `a` or `b` string) is kept as its reason, so that the caller writes an
//! `error` line for it. Fields other than `a` and `b` are carried; [`carried`] renames
//! those that bear an output key.

use std::io::BufRead;

use serde_json::{Map, Value};

/// Why a pair file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PairsError {
    #[error("cannot read {name} line {line}: {source}")]
    Read {
        name: String,
        line: usize,
        source: std::io::Error,
    },
    #[error(
        "{name}: more than {MAX_FILE_BYTES} bytes of pairs; the file is read whole to weigh \
         its words, so split it (and give the collection with --corpus so that every part \
         is weighed alike)"
    )]
    TooLarge { name: String },
}

/// Longest line read: two documents of the size `compare A B` accepts, and their JSON
/// escaping. A longer line gets an `error` line without being held whole.
pub const MAX_LINE_BYTES: usize = 40 << 20;

/// Most bytes of lines held at once: the file is read whole (its texts are its own word
/// rarities), so a file past this is refused before anything is written, with advice,
/// instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// Keys of every output line; an input field of the same name is carried as
/// `input_<name>` so that it can neither replace them nor be lost.
pub const OUTPUT_KEYS: [&str; 6] = ["line", "error", "relation", "score", "jaccard", "story"];

/// One input line: the two texts and the fields to copy through, or why it was refused.
pub type PairLine = Result<(String, String, Map<String, Value>), String>;

pub fn parse_line(line: &str) -> PairLine {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(mut fields) = value else {
        return Err("the line is not a JSON object".to_owned());
    };
    let mut take = |key: &str| match fields.remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("field {key:?} is not a string")),
        None => Err(format!("field {key:?} is missing")),
    };
    let a = take("a")?;
    let b = take("b")?;
    Ok((a, b, fields))
}

/// The carried fields, any that bear an output key renamed `input_<name>` (prefixed
/// again while that name is taken too).
pub fn carried(fields: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        let mut name = key.clone();
        while OUTPUT_KEYS.contains(&name.as_str()) || (name != *key && fields.contains_key(&name)) {
            name = format!("input_{name}");
        }
        out.push((name, value.clone()));
    }
    out
}

/// Reads one line into `buf` (without `\n` and a `\r` before it), holding at most
/// `limit + 1` bytes. `Ok(None)` at the end of the input; `Ok(Some(Err(len)))` for a
/// line longer than `limit`, skipped as it streams past.
fn read_line(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<Result<(), u64>>> {
    buf.clear();
    let n = std::io::Read::take(&mut *input, limit as u64 + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    } else if buf.len() > limit {
        let mut seen = buf.len() as u64;
        buf.clear();
        loop {
            let chunk = input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                seen += i as u64;
                input.consume(i + 1);
                break;
            }
            let len = chunk.len();
            seen += len as u64;
            input.consume(len);
        }
        return Ok(Some(Err(seen)));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(Ok(())))
}

/// Every line of `reader`, numbered from 1, parsed or refused: a blank line, invalid
/// UTF-8 and an over-long line each get their reason, so that every input line has its
/// output line.
pub fn read_lines(
    reader: &mut dyn BufRead,
    name: &str,
) -> Result<Vec<(usize, PairLine)>, PairsError> {
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut held = 0u64;
    for number in 1.. {
        let read =
            read_line(reader, &mut buf, MAX_LINE_BYTES).map_err(|source| PairsError::Read {
                name: name.to_owned(),
                line: number,
                source,
            })?;
        let line = match read {
            None => break,
            Some(Err(seen)) => Err(format!(
                "line of {seen} bytes exceeds the limit of {MAX_LINE_BYTES} bytes"
            )),
            Some(Ok(())) => match std::str::from_utf8(&buf) {
                Err(e) => Err(format!(
                    "invalid UTF-8 at byte {} of the line",
                    e.valid_up_to()
                )),
                Ok(text) if text.trim().is_empty() => Err("blank line".to_owned()),
                Ok(text) => {
                    held += text.len() as u64;
                    if held > MAX_FILE_BYTES {
                        return Err(PairsError::TooLarge {
                            name: name.to_owned(),
                        });
                    }
                    parse_line(text.strip_prefix('\u{feff}').unwrap_or(text))
                }
            },
        };
        lines.push((number, line));
    }
    Ok(lines)
}
