//! Behaviour of the readers, end to end through `open_inputs` / `Reader::from_stream`.

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use reprint_io::{open_inputs, InputError, ReadOptions, Reader, Record};
use tempfile::TempDir;

type Item = Result<Record, InputError>;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn read(paths: &[PathBuf]) -> Vec<Item> {
    read_with(paths, &ReadOptions::default())
}

fn read_with(paths: &[PathBuf], opts: &ReadOptions) -> Vec<Item> {
    open_inputs(paths, opts).unwrap().collect()
}

fn read_one(path: &Path) -> Vec<Item> {
    read(&[path.to_path_buf()])
}

fn read_one_with(path: &Path, opts: &ReadOptions) -> Vec<Item> {
    read_with(&[path.to_path_buf()], opts)
}

fn name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The record of an item that must be `Ok`.
fn ok(item: &Item) -> &Record {
    match item {
        Ok(record) => record,
        Err(e) => panic!("expected a record, got error {e}"),
    }
}

/// Checks that an item is an error with this file, line and reason.
fn assert_err(item: &Item, file: &str, line: Option<u64>, reason: &str) -> InputError {
    match item {
        Ok(record) => panic!(
            "expected {reason} at {file}:{line:?}, got record {:?}",
            record.id
        ),
        Err(e) => {
            assert_eq!(e.kind.reason(), reason, "{e}");
            assert_eq!(e.file, file, "{e}");
            assert_eq!(e.line, line, "{e}");
            e.clone()
        }
    }
}

fn ids(items: &[Item]) -> Vec<&str> {
    items.iter().map(|item| ok(item).id.as_str()).collect()
}

const THREE: &str = concat!(
    r#"{"id":"a","text":"first doc","n":1}"#,
    "\n",
    r#"{"id":"b","text":"second \"doc\"","n":2}"#,
    "\n",
    r#"{"id":"c","text":"third","n":3}"#,
    "\n",
);

/// The three records of `THREE` with ids prefixed by `p`.
fn three(p: &str) -> String {
    THREE.replace("\"id\":\"", &format!("\"id\":\"{p}"))
}

fn assert_three(items: &[Item], p: &str, file: &str) {
    assert_eq!(items.len(), 3);
    let want = [
        ("a", "first doc", "1"),
        ("b", "second \"doc\"", "2"),
        ("c", "third", "3"),
    ];
    let lines: Vec<String> = three(p).lines().map(str::to_owned).collect();
    for (i, (item, (id, text, n))) in items.iter().zip(want).enumerate() {
        let r = ok(item);
        assert_eq!(r.id, format!("{p}{id}"));
        assert_eq!(r.text, text);
        assert_eq!(r.fields.len(), 1);
        assert_eq!(r.fields[0].0, "n");
        assert_eq!(r.fields[0].1.get(), n);
        assert_eq!(r.raw, lines[i]);
        assert_eq!(&*r.origin.file, file);
        assert_eq!(r.origin.line, i as u64 + 1);
    }
}

#[test]
fn plain_gzip_and_zstd_jsonl_read_alike() {
    let dir = TempDir::new().unwrap();
    let plain = write(dir.path(), "plain.jsonl", three("p").as_bytes());
    let gz = write(dir.path(), "docs.jsonl.gz", &gzip(three("g").as_bytes()));
    let zst = write(dir.path(), "docs.jsonl.zst", &zstd(three("z").as_bytes()));
    let items = read(&[plain.clone(), gz.clone(), zst.clone()]);
    assert_eq!(items.len(), 9);
    assert_three(&items[0..3], "p", &name(&plain));
    assert_three(&items[3..6], "g", &name(&gz));
    assert_three(&items[6..9], "z", &name(&zst));
}

#[test]
fn compression_is_detected_by_magic_bytes_not_extension() {
    let dir = TempDir::new().unwrap();
    let gz = write(
        dir.path(),
        "really-gzip.jsonl",
        &gzip(three("g").as_bytes()),
    );
    let zst = write(
        dir.path(),
        "really-zstd.txt.data",
        &zstd(three("z").as_bytes()),
    );
    let plain = write(dir.path(), "plain.gz", three("p").as_bytes());
    let items = read(&[gz.clone(), zst.clone(), plain.clone()]);
    assert_three(&items[0..3], "g", &name(&gz));
    assert_three(&items[3..6], "z", &name(&zst));
    assert_three(&items[6..9], "p", &name(&plain));
}

#[test]
fn concatenated_gzip_members_and_zstd_frames_are_all_read() {
    let dir = TempDir::new().unwrap();
    let mut gz = gzip(three("a").as_bytes());
    gz.extend(gzip(three("b").as_bytes()));
    let mut zst = zstd(three("c").as_bytes());
    zst.extend(zstd(three("d").as_bytes()));
    let gz = write(dir.path(), "multi.gz", &gz);
    let zst = write(dir.path(), "multi.zst", &zst);
    let items = read(&[gz, zst]);
    assert_eq!(
        ids(&items),
        ["aa", "ab", "ac", "ba", "bb", "bc", "ca", "cb", "cc", "da", "db", "dc"]
    );
    assert_eq!(items[4].as_ref().unwrap().origin.line, 5);
}

#[test]
fn custom_id_and_text_fields() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "custom.jsonl",
        br#"{"id":"kept as field","doc_id":"x1","body":"hello","text":"also a field"}
"#,
    );
    let opts = ReadOptions {
        id_field: "doc_id".into(),
        text_field: "body".into(),
        ..ReadOptions::default()
    };
    let items = read_one_with(&path, &opts);
    let r = ok(&items[0]);
    assert_eq!(r.id, "x1");
    assert_eq!(r.text, "hello");
    let fields: Vec<(&str, &str)> = r
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.get()))
        .collect();
    assert_eq!(
        fields,
        [("id", "\"kept as field\""), ("text", "\"also a field\"")]
    );

    // With the custom names, a record with only `text` misses its text field.
    let path2 = write(dir.path(), "plain.jsonl", b"{\"text\":\"t\"}\n");
    let items = read_one_with(&path2, &opts);
    let e = assert_err(&items[0], &name(&path2), Some(1), "missing_text");
    assert_eq!(
        e.kind,
        reprint_io::ErrorKind::MissingText {
            field: "body".into()
        }
    );
}

#[test]
fn missing_or_null_id_becomes_file_colon_line() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "noid.jsonl",
        b"{\"text\":\"one\"}\n\n{\"id\":null,\"text\":\"three\"}\n{\"id\":\"x\",\"text\":\"four\"}\n",
    );
    let items = read_one(&path);
    let file = name(&path);
    assert_eq!(
        ids(&items),
        [format!("{file}:1").as_str(), &format!("{file}:3"), "x"]
    );
    // The id field is not carried, even when null.
    assert!(ok(&items[1]).fields.is_empty());
}

#[test]
fn generated_id_uses_the_path_as_given() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "sub/rel.jsonl", b"{\"text\":\"x\"}\n");
    let given = dir.path().join("sub/./rel.jsonl");
    let items = read_one(&given);
    assert_eq!(ok(&items[0]).id, format!("{}:1", name(&given)));
    assert!(ok(&items[0]).id.ends_with("sub/./rel.jsonl:1"));
}

#[test]
fn integer_ids_are_stringified() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "int.jsonl",
        b"{\"id\":42,\"text\":\"a\"}\n{\"id\":-7,\"text\":\"b\"}\n{\"id\":123456789012345678901234567890,\"text\":\"c\"}\n",
    );
    let items = read(&[path]);
    assert_eq!(ids(&items), ["42", "-7", "123456789012345678901234567890"]);
}

#[test]
fn carried_fields_are_kept_byte_for_byte_in_order() {
    let dir = TempDir::new().unwrap();
    let line = r#"{"n": 1.50, "id":"r1", "meta":{"b": [1, 2.0, {"c":null}], "a":"\u00e9"}, "text":"caf\u00e9\n", "big": 1e400, "s":"x\"y", "z":true}"#;
    let path = write(dir.path(), "fields.jsonl", format!("{line}\n").as_bytes());
    let items = read(&[path]);
    let r = ok(&items[0]);
    assert_eq!(r.text, "café\n");
    assert_eq!(r.raw, line);
    let fields: Vec<(&str, &str)> = r
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.get()))
        .collect();
    assert_eq!(
        fields,
        [
            ("n", "1.50"),
            ("meta", r#"{"b": [1, 2.0, {"c":null}], "a":"\u00e9"}"#),
            ("big", "1e400"),
            ("s", r#""x\"y""#),
            ("z", "true"),
        ]
    );
}

#[test]
fn stream_input_reads_like_stdin_plain_or_compressed() {
    let data = b"{\"text\":\"from stdin\"}\n{\"id\":\"s2\",\"text\":\"two\"}\n".to_vec();
    for bytes in [data.clone(), gzip(&data), zstd(&data)] {
        let len = bytes.len() as u64;
        let mut reader = Reader::from_stream(
            "<stdin>",
            Box::new(Cursor::new(bytes)),
            &ReadOptions::default(),
        );
        assert_eq!(reader.total_bytes(), None);
        let items: Vec<Item> = reader.by_ref().collect();
        assert_eq!(ids(&items), ["<stdin>:1", "s2"]);
        assert_eq!(ok(&items[0]).text, "from stdin");
        assert_eq!(&*ok(&items[1]).origin.file, "<stdin>");
        assert_eq!(reader.bytes_read(), len);
    }
}

#[test]
fn stream_errors_name_the_stream() {
    let data = b"{\"text\":\"ok\"}\nnot json\n".to_vec();
    let items: Vec<Item> = Reader::from_stream(
        "<stdin>",
        Box::new(Cursor::new(data)),
        &ReadOptions::default(),
    )
    .collect();
    let e = assert_err(&items[1], "<stdin>", Some(2), "malformed_json");
    assert!(
        e.to_string().starts_with("<stdin>:2: malformed JSON"),
        "{e}"
    );
}

#[test]
fn folder_of_txt_files_recursive_sorted_with_relative_ids() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("corpus");
    write(&root, "z.txt", b"last file");
    write(&root, "a/b.txt", b"line one\nline two\r\n");
    write(&root, "a-c.txt", "caf\u{e9} \"quoted\"".as_bytes());
    write(&root, "a/deep/er/x.TXT", b"upper-case extension");
    write(&root, "a/notes.md", b"ignored");
    write(&root, "a/data.txt.gz", b"ignored");
    write(&root, "bom.txt", b"\xef\xbb\xbfwith bom");
    let items = read_one(&root);
    // Bytewise order of the relative paths: '-' (0x2d) < '/' (0x2f) < 'e'.
    assert_eq!(
        ids(&items),
        ["a-c.txt", "a/b.txt", "a/deep/er/x.TXT", "bom.txt", "z.txt"]
    );
    let b = ok(&items[1]);
    assert_eq!(b.text, "line one\nline two\r\n");
    assert!(b.fields.is_empty());
    assert_eq!(b.origin.line, 1);
    assert_eq!(&*b.origin.file, name(&root.join("a").join("b.txt")));
    assert_eq!(b.raw, r#"{"id":"a/b.txt","text":"line one\nline two\r\n"}"#);
    let ac = ok(&items[0]);
    assert_eq!(
        ac.raw,
        "{\"id\":\"a-c.txt\",\"text\":\"caf\u{e9} \\\"quoted\\\"\"}"
    );
    assert_eq!(ok(&items[3]).text, "with bom");
}

#[test]
fn folder_and_jsonl_inputs_mix_in_command_line_order() {
    let dir = TempDir::new().unwrap();
    let root = write(dir.path(), "docs/one.txt", b"text")
        .parent()
        .unwrap()
        .to_path_buf();
    let jsonl = write(dir.path(), "x.jsonl", b"{\"id\":\"j\",\"text\":\"t\"}\n");
    let items = read(&[jsonl.clone(), root.clone()]);
    assert_eq!(ids(&items), ["j", "one.txt"]);
    let reader = open_inputs(&[jsonl.clone(), root], &ReadOptions::default()).unwrap();
    let total = fs::metadata(&jsonl).unwrap().len() + 4;
    assert_eq!(reader.total_bytes(), Some(total));
    let mut reader = reader;
    assert_eq!(reader.bytes_read(), 0);
    reader.by_ref().for_each(drop);
    assert_eq!(reader.bytes_read(), total);
}

#[test]
fn txt_file_errors_and_the_rest_of_the_folder() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("f");
    write(&root, "1-good.txt", b"fine");
    write(
        &root,
        "2-bad-utf8.txt",
        b"line one\nline two\nthree \xff\xfe here\n",
    );
    write(&root, "3-empty.txt", b"");
    write(&root, "4-blank.txt", b" \n\t\r\n");
    write(&root, "5-big.txt", &[b'x'; 100]);
    write(&root, "6-good.txt", b"also fine");
    let opts = ReadOptions {
        max_record_bytes: 50,
        ..ReadOptions::default()
    };
    let items = read_one_with(&root, &opts);
    assert_eq!(items.len(), 6);
    assert_eq!(ok(&items[0]).id, "1-good.txt");
    let f = |n: &str| name(&root.join(n));
    assert_err(&items[1], &f("2-bad-utf8.txt"), Some(3), "invalid_utf8");
    assert_err(&items[2], &f("3-empty.txt"), None, "empty_file");
    assert_err(&items[3], &f("4-blank.txt"), None, "empty_file");
    let e = assert_err(&items[4], &f("5-big.txt"), None, "record_too_large");
    assert_eq!(
        e.kind,
        reprint_io::ErrorKind::RecordTooLarge {
            limit: 50,
            seen: 100
        }
    );
    assert_eq!(ok(&items[5]).text, "also fine");
}

#[test]
fn folder_without_txt_files_is_refused_up_front() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("empty");
    write(&root, "sub/readme.md", b"no txt here");
    let e = open_inputs(std::slice::from_ref(&root), &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind.reason(), "no_inputs");
    assert_eq!(e.file, name(&root));
    assert_eq!(e.line, None);
}

#[test]
fn missing_path_is_refused_up_front() {
    let dir = TempDir::new().unwrap();
    let good = write(dir.path(), "good.jsonl", THREE.as_bytes());
    let missing = dir.path().join("nope.jsonl");
    let e = open_inputs(&[good, missing.clone()], &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind.reason(), "not_found");
    assert_eq!(e.file, name(&missing));
    assert_eq!(
        e.to_string(),
        format!("{}: no such file or folder", name(&missing))
    );
}

#[test]
fn no_inputs_at_all_is_refused() {
    let e = open_inputs(&[], &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind.reason(), "no_inputs");
}

/// Puts `bad` between two good lines and checks: good, the error on line 2, good.
fn check_bad_line(bad: &[u8], reason: &str) -> InputError {
    let dir = TempDir::new().unwrap();
    let mut data = b"{\"id\":\"before\",\"text\":\"x\"}\n".to_vec();
    data.extend_from_slice(bad);
    data.extend_from_slice(b"\n{\"id\":\"after\",\"text\":\"y\"}\n{\"text\":\"z\"}\n");
    let path = write(dir.path(), "bad.jsonl", &data);
    let items = read_one(&path);
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(ok(&items[0]).id, "before");
    let e = assert_err(&items[1], &name(&path), Some(2), reason);
    assert_eq!(ok(&items[2]).id, "after");
    assert_eq!(ok(&items[2]).origin.line, 3);
    assert_eq!(ok(&items[3]).id, format!("{}:4", name(&path)));
    e
}

#[test]
fn malformed_json_line() {
    for bad in [
        &b"{\"text\": \"unterminated"[..],
        b"{text: 1}",
        b"{\"text\":\"a\"} trailing",
        b"nul",
    ] {
        let e = check_bad_line(bad, "malformed_json");
        assert!(e.to_string().contains(":2: malformed JSON: "), "{e}");
    }
}

#[test]
fn line_that_is_not_an_object() {
    for bad in [&b"[1,2]"[..], b"\"text\"", b"42", b"null"] {
        check_bad_line(bad, "not_an_object");
    }
}

#[test]
fn missing_text_field() {
    let e = check_bad_line(b"{\"id\":\"m\",\"body\":\"x\"}", "missing_text");
    assert!(e.to_string().ends_with(":2: no `text` field"), "{e}");
}

#[test]
fn text_field_not_a_string() {
    for bad in [
        &b"{\"id\":\"m\",\"text\":12}"[..],
        b"{\"id\":\"m\",\"text\":null}",
        b"{\"id\":\"m\",\"text\":[\"a\"]}",
        b"{\"id\":\"m\",\"text\":{\"a\":1}}",
    ] {
        check_bad_line(bad, "text_not_string");
    }
}

#[test]
fn id_of_a_wrong_type() {
    for bad in [
        &b"{\"id\":1.5,\"text\":\"x\"}"[..],
        b"{\"id\":true,\"text\":\"x\"}",
        b"{\"id\":[1],\"text\":\"x\"}",
        b"{\"id\":{},\"text\":\"x\"}",
    ] {
        check_bad_line(bad, "bad_id");
    }
}

#[test]
fn invalid_utf8_line() {
    check_bad_line(b"{\"id\":\"u\",\"text\":\"caf\xe9\"}", "invalid_utf8");
}

#[test]
fn duplicate_id_in_the_same_file() {
    let e = check_bad_line(b"{\"id\":\"before\",\"text\":\"again\"}", "duplicate_id");
    assert_eq!(e.kind, reprint_io::ErrorKind::DuplicateId("before".into()));
}

#[test]
fn duplicate_ids_across_inputs_first_one_wins() {
    let dir = TempDir::new().unwrap();
    let a = write(
        dir.path(),
        "a.jsonl",
        b"{\"id\":\"x\",\"text\":\"first\"}\n{\"id\":\"1\",\"text\":\"int\"}\n",
    );
    let b = write(
        dir.path(),
        "b.jsonl.gz",
        &gzip(b"{\"id\":\"y\",\"text\":\"y\"}\n{\"id\":\"x\",\"text\":\"second\"}\n{\"id\":1,\"text\":\"same as string 1\"}\n"),
    );
    let items = read(&[a.clone(), b.clone()]);
    assert_eq!(items.len(), 5);
    assert_eq!(ok(&items[0]).text, "first");
    assert_eq!(ok(&items[2]).id, "y");
    assert_err(&items[3], &name(&b), Some(2), "duplicate_id");
    assert_err(&items[4], &name(&b), Some(3), "duplicate_id");

    // The same file twice: every record of the second pass is a duplicate, generated
    // ids included.
    let c = write(dir.path(), "c.jsonl", b"{\"text\":\"no id\"}\n");
    let items = read(&[c.clone(), c.clone()]);
    assert_eq!(ok(&items[0]).id, format!("{}:1", name(&c)));
    let e = assert_err(&items[1], &name(&c), Some(1), "duplicate_id");
    assert_eq!(
        e.kind,
        reprint_io::ErrorKind::DuplicateId(format!("{}:1", name(&c)))
    );
}

#[test]
fn empty_files_are_errors_without_a_line_and_reading_goes_on() {
    let dir = TempDir::new().unwrap();
    let zero = write(dir.path(), "zero.jsonl", b"");
    let blank = write(dir.path(), "blank.jsonl", b"\n   \n\t\r\n\n");
    let empty_gz = write(dir.path(), "empty.jsonl.gz", &gzip(b""));
    let good = write(dir.path(), "good.jsonl", THREE.as_bytes());
    let items = read(&[zero.clone(), blank.clone(), empty_gz.clone(), good.clone()]);
    assert_eq!(items.len(), 6);
    assert_err(&items[0], &name(&zero), None, "empty_file");
    assert_err(&items[1], &name(&blank), None, "empty_file");
    let e = assert_err(&items[2], &name(&empty_gz), None, "empty_file");
    assert_eq!(e.to_string(), format!("{}: empty file", name(&empty_gz)));
    assert_three(&items[3..], "", &name(&good));
}

#[test]
fn file_with_only_bad_lines_is_not_reported_empty() {
    let dir = TempDir::new().unwrap();
    let path = write(dir.path(), "bad.jsonl", b"\n[1]\n\n");
    let items = read_one(&path);
    assert_eq!(items.len(), 1);
    assert_err(&items[0], &name(&path), Some(2), "not_an_object");
}

#[test]
fn line_of_50_mb_is_skipped_without_losing_its_neighbours() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("huge.jsonl");
    let mut out = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    out.write_all(b"{\"id\":\"small1\",\"text\":\"a\"}\n")
        .unwrap();
    out.write_all(b"{\"id\":\"huge\",\"text\":\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..50 {
        out.write_all(&chunk).unwrap();
    }
    out.write_all(b"\"}\n{\"id\":\"small2\",\"text\":\"b\"}\n")
        .unwrap();
    drop(out);
    let huge_len = (50u64 << 20) + b"{\"id\":\"huge\",\"text\":\"\"}".len() as u64;

    let items = read_one(&path);
    assert_eq!(items.len(), 3);
    assert_eq!(ok(&items[0]).id, "small1");
    let e = assert_err(&items[1], &name(&path), Some(2), "record_too_large");
    assert_eq!(
        e.kind,
        reprint_io::ErrorKind::RecordTooLarge {
            limit: reprint_io::DEFAULT_MAX_RECORD_BYTES,
            seen: huge_len,
        }
    );
    assert_eq!(ok(&items[2]).id, "small2");
    assert_eq!(ok(&items[2]).origin.line, 3);
}

#[test]
fn record_limit_applies_to_the_line_without_its_newline() {
    let dir = TempDir::new().unwrap();
    let line = b"{\"text\":\"abc\"}"; // 14 bytes
    let mut data = line.to_vec();
    data.extend_from_slice(b"\n{\"text\":\"abcd\"}\n");
    data.extend_from_slice(line);
    let path = write(dir.path(), "limit.jsonl", &data);
    let opts = ReadOptions {
        max_record_bytes: 14,
        ..ReadOptions::default()
    };
    let items = read_one_with(&path, &opts);
    assert_eq!(items.len(), 3);
    assert_eq!(ok(&items[0]).text, "abc");
    assert_err(&items[1], &name(&path), Some(2), "record_too_large");
    assert_eq!(ok(&items[2]).origin.line, 3);
}

#[test]
fn truncated_gzip_or_zstd_keeps_what_was_decoded_then_the_next_input() {
    let dir = TempDir::new().unwrap();
    let mut data = String::new();
    // Some noise, so that the cut lands well past the first compressed block (zstd can
    // only hand out whole blocks, of up to 128 KiB decompressed).
    let mut noise = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..5000 {
        noise = noise
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        data.push_str(&format!(
            "{{\"id\":\"r{i}\",\"text\":\"record number {i} {noise:x}\"}}\n"
        ));
    }
    let gz = gzip(data.as_bytes());
    let cut = write(dir.path(), "cut.jsonl.gz", &gz[..gz.len() * 3 / 4]);
    let zst = zstd(data.as_bytes());
    let cut_zst = write(dir.path(), "cut.jsonl.zst", &zst[..zst.len() * 3 / 4]);
    let next = write(dir.path(), "next.jsonl", three("n").as_bytes());

    for (cut, reason) in [(cut, "gzip_truncated"), (cut_zst, "zstd_truncated")] {
        let items = read(&[cut.clone(), next.clone()]);
        let oks = items.iter().take_while(|item| item.is_ok()).count();
        assert!(oks > 100 && oks < 5000, "{oks} records before the error");
        for (i, item) in items[..oks].iter().enumerate() {
            assert_eq!(ok(item).id, format!("r{i}"));
        }
        let e = assert_err(&items[oks], &name(&cut), Some(oks as u64 + 1), reason);
        let message = e.to_string();
        assert!(message.contains("is truncated"), "{message}");
        assert!(
            message.ends_with("the rest of the file is skipped"),
            "{message}"
        );
        assert_three(&items[oks + 1..], "n", &name(&next));
    }
}

#[test]
fn corrupt_gzip_header_is_named_as_corruption() {
    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "bad.gz",
        b"\x1f\x8b\x08\x00garbage that is not deflate",
    );
    let next = write(dir.path(), "next.jsonl", THREE.as_bytes());
    let items = read(&[bad.clone(), next.clone()]);
    assert_eq!(items.len(), 4);
    assert_err(&items[0], &name(&bad), Some(1), "gzip_corrupt");
    assert_three(&items[1..], "", &name(&next));
}

/// `count` records `{"id":"<p><i>","text":"record <i> of <p> ..."}`.
fn records(p: &str, count: usize) -> String {
    (0..count)
        .map(|i| format!("{{\"id\":\"{p}{i}\",\"text\":\"record {i} of {p} with some words\"}}\n"))
        .collect()
}

/// gzip with stored (uncompressed) blocks: a changed text byte leaves the deflate data
/// valid, so only the member's CRC-32 shows the damage, as with a bit flipped on disk
/// inside a literal run.
fn gzip_stored(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Replaces the first occurrence of `from` in `data` by `to` (same length).
fn splice(data: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = data
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    data[at..at + to.len()].copy_from_slice(to);
}

#[test]
fn a_gzip_member_failing_its_checksum_gives_no_record() {
    // Member 1 is sound; member 2's text is altered in place (a record's text and the
    // next record's id: before the check, the altered record was accepted and the other
    // stopped the run as a "duplicate id").
    let dir = TempDir::new().unwrap();
    let mut data = gzip_stored(records("a", 50).as_bytes());
    let first_len = data.len();
    let mut second = gzip_stored(records("b", 50).as_bytes());
    splice(&mut second, b"record 7 of b", b"spliced junk!");
    splice(&mut second, b"\"id\":\"b9\"", b"\"id\":\"b7\"");
    data.extend(second);
    let bad = write(dir.path(), "bad.jsonl.gz", &data);
    let next = write(dir.path(), "next.jsonl", three("n").as_bytes());
    let items = read(&[bad.clone(), next.clone()]);
    assert_eq!(
        items.len(),
        50 + 1 + 3,
        "member 1, one error, the next file"
    );
    for (i, item) in items[..50].iter().enumerate() {
        assert_eq!(ok(item).id, format!("a{i}"));
    }
    let e = assert_err(&items[50], &name(&bad), Some(51), "gzip_corrupt");
    let message = e.to_string();
    assert!(
        message.contains(&format!("gzip member at byte {first_len} is corrupt")),
        "{message}"
    );
    assert_three(&items[51..], "n", &name(&next));

    // The same bytes on a stream (stdin) are checked alike.
    let items: Vec<Item> = Reader::from_stream(
        "<stdin>",
        Box::new(Cursor::new(data)),
        &ReadOptions::default(),
    )
    .collect();
    assert_eq!(items.len(), 51);
    assert_err(&items[50], "<stdin>", Some(51), "gzip_corrupt");
}

#[test]
fn a_single_member_failing_its_checksum_gives_no_record_at_all() {
    let dir = TempDir::new().unwrap();
    let mut data = gzip_stored(records("a", 200).as_bytes());
    splice(&mut data, b"record 150 of a", b"record 150 of X");
    let bad = write(dir.path(), "bad.jsonl.gz", &data);
    let items = read_one(&bad);
    assert_eq!(items.len(), 1, "no record of the damaged member");
    assert_err(&items[0], &name(&bad), Some(1), "gzip_corrupt");
}

#[test]
fn a_zstd_frame_failing_its_checksum_gives_no_record() {
    let dir = TempDir::new().unwrap();
    let text = records("z", 300);
    let mut frame = Vec::new();
    {
        let mut enc = zstd::stream::write::Encoder::new(&mut frame, 1).unwrap();
        enc.include_checksum(true).unwrap();
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap();
    }
    // The checksum is the frame's last 4 bytes: alter it, as a flipped bit would.
    let last = frame.len() - 1;
    frame[last] ^= 0x40;
    let mut data = zstd(records("y", 5).as_bytes());
    let first_len = data.len();
    data.extend(frame);
    let bad = write(dir.path(), "bad.jsonl.zst", &data);
    let items = read_one(&bad);
    assert_eq!(items.len(), 6, "{items:?}");
    assert_eq!(ids(&items[..5]), ["y0", "y1", "y2", "y3", "y4"]);
    let e = assert_err(&items[5], &name(&bad), Some(6), "zstd_corrupt");
    assert!(
        e.to_string()
            .contains(&format!("zstd frame at byte {first_len} is corrupt")),
        "{e}"
    );
}

#[test]
fn blank_lines_are_skipped_and_counted_in_line_numbers() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "blank.jsonl",
        b"\n  \n{\"text\":\"a\"}\n\t\n\n{\"text\":\"b\"}\n   ",
    );
    let items = read_one(&path);
    let lines: Vec<u64> = items.iter().map(|item| ok(item).origin.line).collect();
    assert_eq!(lines, [3, 6]);
    assert_eq!(
        ids(&items),
        [format!("{}:3", name(&path)), format!("{}:6", name(&path))]
    );
}

#[test]
fn crlf_line_endings_bom_and_missing_final_newline() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "crlf.jsonl",
        b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"x\\r\"}\r\n\r\n{\"id\":\"b\",\"text\":\"y\"}\r\n{\"id\":\"c\",\"text\":\"z\"}",
    );
    let items = read(&[path]);
    assert_eq!(ids(&items), ["a", "b", "c"]);
    // `raw` is the line as read, BOM and CR included (dedup writes it byte for byte);
    // the JSON was parsed without them.
    assert_eq!(
        ok(&items[0]).raw,
        "\u{feff}{\"id\":\"a\",\"text\":\"x\\r\"}\r"
    );
    assert_eq!(ok(&items[0]).text, "x\r");
    assert_eq!(ok(&items[1]).raw, "{\"id\":\"b\",\"text\":\"y\"}\r");
    assert_eq!(ok(&items[1]).origin.line, 3);
    assert_eq!(ok(&items[2]).raw, r#"{"id":"c","text":"z"}"#);
}

#[test]
fn error_display_and_reasons() {
    let dir = TempDir::new().unwrap();
    let path = write(
        dir.path(),
        "r.jsonl",
        b"{\"id\":2.5,\"text\":\"x\"}\n{\"id\":\"k\",\"text\":7}\n",
    );
    let items = read_one(&path);
    let file = name(&path);
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        format!("{file}:1: field `id` is not a string or an integer")
    );
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        format!("{file}:2: field `text` is not a string")
    );
}

#[test]
fn records_are_not_lost_or_reordered_over_many_lines() {
    // Enough lines to cross many buffer refills, with a mix of good and bad lines.
    let dir = TempDir::new().unwrap();
    let mut data = String::new();
    let mut want = Vec::new();
    for i in 0..20_000u64 {
        match i % 7 {
            3 => data.push_str("{broken\n"),
            5 => data.push('\n'),
            _ => {
                data.push_str(&format!("{{\"id\":{i},\"text\":\"t{i}\",\"k\":[{i}]}}\n"));
                want.push(i);
            }
        }
    }
    let path = write(dir.path(), "many.jsonl.zst", &zstd(data.as_bytes()));
    let items = read(&[path]);
    let bad = items.iter().filter(|item| item.is_err()).count();
    let good: Vec<u64> = items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(|r| {
            assert_eq!(r.text, format!("t{}", r.id));
            assert_eq!(r.fields[0].1.get(), format!("[{}]", r.id));
            assert_eq!(r.origin.line, r.id.parse::<u64>().unwrap() + 1);
            r.id.parse().unwrap()
        })
        .collect();
    assert_eq!(good, want);
    assert_eq!(bad, (0..20_000).filter(|i| i % 7 == 3).count());
}

#[cfg(unix)]
#[test]
fn unreadable_paths_in_a_folder_are_reported_in_their_place() {
    // Dangling and looping links and devices named like documents were skipped without a
    // word; an unreadable subfolder ended the run whatever the options.
    use std::os::unix::fs::symlink;
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("docs");
    write(&root, "a.txt", b"first");
    write(&root, "z.txt", b"last");
    symlink(root.join("missing.txt"), root.join("b-dangling.txt")).unwrap();
    symlink(root.join("c-loop.txt"), root.join("c-loop.txt")).unwrap();
    symlink("/dev/null", root.join("d-device.txt")).unwrap();
    symlink(root.join("nowhere"), root.join("e-not-a-document")).unwrap(); // no .txt: ignored
    let items = read_one(&root);
    let got: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(r) => r.id.clone(),
            Err(e) => format!("{} {}", e.kind.reason(), e.file.rsplit('/').next().unwrap()),
        })
        .collect();
    assert_eq!(
        got,
        [
            "a.txt",
            "bad_link b-dangling.txt",
            "bad_link c-loop.txt",
            "not_a_file d-device.txt",
            "z.txt"
        ]
    );
    let loop_error = items[2].as_ref().unwrap_err().to_string();
    assert!(loop_error.contains("symbolic link"), "{loop_error}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_one_reported_skip() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("docs");
    write(&root, "a.txt", b"first");
    write(&root, "locked/b.txt", b"hidden");
    write(&root, "z.txt", b"last");
    let locked = root.join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        // Root reads any folder: nothing to test here.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        println!("skipped: running as root, a folder cannot be made unreadable");
        return;
    }
    let items = read_one(&root);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(ok(&items[0]).id, "a.txt");
    assert_err(&items[1], &name(&locked), None, "unreadable_folder");
    assert_eq!(ok(&items[2]).id, "z.txt");
}

#[test]
fn a_txt_file_named_on_its_own_is_one_document() {
    // It was read as JSONL: "malformed JSON" on its first line.
    let dir = TempDir::new().unwrap();
    let path = write(dir.path(), "note.txt", b"Just some text.\nOn two lines.\n");
    let items = read_one(&path);
    assert_eq!(items.len(), 1);
    let r = ok(&items[0]);
    assert_eq!(r.id, name(&path));
    assert_eq!(r.text, "Just some text.\nOn two lines.\n");
}

#[test]
fn arc_archives_are_refused_by_name_or_content() {
    // They were read as JSONL: one "malformed JSON" per line, exit 0.
    let dir = TempDir::new().unwrap();
    let arc = b"filedesc://IA-001.arc 0.0.0.0 20240101000000 text/plain 76\n1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n\n";
    let named = write(dir.path(), "crawl.arc", arc);
    let named_gz = write(dir.path(), "crawl.arc.gz", &gzip(arc));
    let sniffed = write(dir.path(), "crawl.data", arc);
    let next = write(dir.path(), "next.jsonl", three("n").as_bytes());
    for path in [named, named_gz, sniffed] {
        let items = read(&[path.clone(), next.clone()]);
        assert_eq!(items.len(), 4, "{items:?}");
        let e = assert_err(&items[0], &name(&path), None, "unsupported");
        assert!(e.to_string().contains("ARC archive"), "{e}");
        assert_three(&items[1..], "n", &name(&next));
    }
    // In a folder, too.
    let folder = dir.path().join("crawl");
    write(&folder, "a.txt", b"text");
    write(&folder, "b.arc", arc);
    let items = read_one(&folder);
    assert_eq!(items.len(), 2);
    assert_err(&items[1], &name(&folder.join("b.arc")), None, "unsupported");
}

#[cfg(unix)]
#[test]
fn compressed_data_through_a_named_pipe_is_checked_and_read() {
    // A pipe cannot be read twice: it is copied aside for the checksum pass (seeking it
    // failed with "Illegal seek" when the pass came in).
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let data = gzip(three("p").as_bytes());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, data).unwrap())
    };
    let items = read_one(&fifo);
    writer.join().unwrap();
    assert_three(&items, "p", &name(&fifo));
}

#[test]
fn original_lines_are_kept_only_when_asked() {
    let dir = TempDir::new().unwrap();
    let line = r#"{"id":"a","text":"hello",  "n":1.50}"#;
    let path = write(dir.path(), "raw.jsonl", format!("{line}\r\n").as_bytes());
    let kept = read_one(&path);
    assert_eq!(
        ok(&kept[0]).raw,
        format!("{line}\r"),
        "the line as read, CR kept"
    );
    let opts = ReadOptions {
        keep_raw: false,
        ..ReadOptions::default()
    };
    let spared = read_one_with(&path, &opts);
    let r = ok(&spared[0]);
    assert_eq!(r.raw, "", "no copy of the line without keep_raw");
    assert_eq!((r.id.as_str(), r.text.as_str()), ("a", "hello"));
    assert_eq!(r.fields.len(), 1, "fields are read either way");
}
