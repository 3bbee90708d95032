//! The WARC reader on archives these tests write themselves, sound and damaged.

use std::io::{Cursor, Write};

use reprint_web::{WarcErrorKind, WarcReader, WarcRecord};

fn record(kind: &str, id: &str, block: &[u8]) -> Vec<u8> {
    record_with_length(kind, id, block, block.len())
}

fn record_with_length(kind: &str, id: &str, block: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Target-URI: http://example.com/{id}\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn read(data: Vec<u8>, max_block: usize) -> Vec<Result<WarcRecord, reprint_web::WarcError>> {
    WarcReader::new(Box::new(Cursor::new(data)), max_block)
        .unwrap()
        .collect()
}

fn ids(items: &[Result<WarcRecord, reprint_web::WarcError>]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Ok(r) => r.record_id().unwrap_or("?").to_owned(),
            Err(e) => format!("ERR {} @{}", e.kind.reason(), e.offset),
        })
        .collect()
}

fn page(n: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Page {n}</p></body></html>")
        .into_bytes()
}

#[test]
fn plain_archive() {
    let mut data = record("warcinfo", "w", b"software: test\r\n");
    data.extend(record("response", "a", &page(1)));
    data.extend(b"\r\n"); // extra blank line between records: tolerated
    data.extend(record("response", "b", &page(2)));
    let items = read(data, 1 << 20);
    assert_eq!(ids(&items), ["urn:uuid:w", "urn:uuid:a", "urn:uuid:b"]);
    let a = items[1].as_ref().unwrap();
    assert_eq!(a.warc_type(), "response");
    assert_eq!(a.target_uri(), Some("http://example.com/a"));
    assert_eq!(a.block, page(1));
    assert!(a.offset > 0);
}

#[test]
fn gzip_per_record_reports_member_offsets() {
    let members: Vec<Vec<u8>> = (0..3)
        .map(|i| gzip(&record("response", &format!("r{i}"), &page(i))))
        .collect();
    let offsets: Vec<u64> = members
        .iter()
        .scan(0u64, |at, m| {
            let here = *at;
            *at += m.len() as u64;
            Some(here)
        })
        .collect();
    let items = read(members.concat(), 1 << 20);
    let got: Vec<u64> = items.iter().map(|r| r.as_ref().unwrap().offset).collect();
    assert_eq!(got, offsets);
}

#[test]
fn one_gzip_stream_for_the_whole_archive() {
    let mut plain = record("response", "a", &page(1));
    plain.extend(record("response", "b", &page(2)));
    let items = read(gzip(&plain), 1 << 20);
    assert_eq!(ids(&items), ["urn:uuid:a", "urn:uuid:b"]);
}

#[test]
fn truncated_gzip_member_is_reported_and_the_next_one_read() {
    let a = gzip(&record("response", "a", &page(1)));
    let b = gzip(&record("response", "b", &page(2)));
    let c = gzip(&record("response", "c", &page(3)));
    let cut = &b[..b.len() / 2];
    let data = [a.clone(), cut.to_vec(), c.clone()].concat();
    let items = read(data, 1 << 20);
    assert_eq!(
        ids(&items),
        [
            "urn:uuid:a".to_owned(),
            format!("ERR warc_truncated @{}", a.len()),
            "urn:uuid:c".to_owned()
        ]
    );
    // Truncated at the very end of the file: the error, then the end.
    let data = [a.clone(), cut.to_vec()].concat();
    let items = read(data, 1 << 20);
    assert_eq!(
        ids(&items),
        [
            "urn:uuid:a".to_owned(),
            format!("ERR warc_truncated @{}", a.len())
        ]
    );
    let err = items[1].as_ref().unwrap_err();
    assert!(
        err.to_string().contains(&format!("offset {}", a.len())),
        "{err}"
    );
}

#[test]
fn a_member_failing_its_checksum_gives_no_record() {
    // Stored deflate blocks: the altered byte leaves the deflate data valid, so only the
    // member's CRC-32 shows it (before the check, the page with the altered text was
    // handed out and then the member reported as truncated).
    let stored = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let a = stored(&record("response", "a", &page(1)));
    let mut b = stored(&record("response", "b", &page(2)));
    let at = b.windows(6).position(|w| w == b"Page 2").unwrap();
    b[at + 5] = b'9';
    let c = stored(&record("response", "c", &page(3)));
    let items = read([a.clone(), b, c].concat(), 1 << 20);
    assert_eq!(
        ids(&items),
        [
            "urn:uuid:a".to_owned(),
            format!("ERR gzip_corrupt @{}", a.len()),
            "urn:uuid:c".to_owned()
        ]
    );
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.record_id.as_deref(), Some("urn:uuid:b"), "{err}");
    assert!(matches!(err.kind, WarcErrorKind::Corrupt(_)), "{err}");
}

#[test]
fn lying_lengths_in_a_plain_archive() {
    // Too long: the declared length swallows the next record, which is found again.
    let block = page(1);
    let mut data = record_with_length("response", "long", &block, block.len() + 40);
    data.extend(record("response", "next", &page(2)));
    data.extend(record("response", "last", &page(3)));
    let items = read(data, 1 << 20);
    assert_eq!(
        ids(&items),
        ["ERR warc_bad_length @0", "urn:uuid:next", "urn:uuid:last"]
    );
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.record_id.as_deref(), Some("urn:uuid:long"));
    assert!(matches!(err.kind, WarcErrorKind::BadLength(_)));
    assert!(
        err.to_string()
            .contains("record <urn:uuid:long> at offset 0"),
        "{err}"
    );

    // Too short: the rest of the block is skipped up to the next record.
    let mut data = record_with_length("response", "short", &block, block.len() - 20);
    data.extend(record("response", "next", &page(2)));
    let items = read(data, 1 << 20);
    assert_eq!(ids(&items), ["ERR warc_bad_length @0", "urn:uuid:next"]);
}

#[test]
fn lying_lengths_in_a_gzip_archive() {
    let block = page(1);
    let long = gzip(&record_with_length(
        "response",
        "long",
        &block,
        block.len() + 40,
    ));
    let short = gzip(&record_with_length(
        "response",
        "short",
        &block,
        block.len() - 20,
    ));
    let next = gzip(&record("response", "next", &page(2)));
    let data = [long.clone(), short.clone(), next].concat();
    let items = read(data, 1 << 20);
    assert_eq!(
        ids(&items),
        [
            "ERR warc_bad_length @0".to_owned(),
            format!("ERR warc_bad_length @{}", long.len()),
            "urn:uuid:next".to_owned()
        ]
    );
}

#[test]
fn garbage_and_missing_lengths_are_skipped() {
    let mut data = b"this is not a warc file\n".to_vec();
    data.extend(record("response", "a", &page(1)));
    data.extend(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:nolen>\r\n\r\nbody\r\n\r\n",
    );
    data.extend(record("response", "b", &page(2)));
    let items = read(data, 1 << 20);
    let got = ids(&items);
    assert_eq!(got[0], "ERR warc_malformed @0");
    assert_eq!(got[1], "urn:uuid:a");
    assert!(got[2].starts_with("ERR warc_malformed"), "{got:?}");
    assert_eq!(got[3], "urn:uuid:b");
}

#[test]
fn oversized_blocks_are_streamed_past() {
    let mut big = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>".to_vec();
    big.resize(3 << 20, b'a');
    let data = [
        gzip(&record("response", "big", &big)),
        gzip(&record("response", "small", &page(1))),
    ]
    .concat();
    let items = read(data, 1 << 20);
    let first = items[0].as_ref().unwrap();
    assert!(first.oversized);
    assert_eq!(first.declared_length, 3 << 20);
    assert_eq!(first.block.len(), reprint_web::warc::OVERSIZED_KEEP);
    assert_eq!(ids(&items)[1], "urn:uuid:small");
}

#[test]
fn truncated_plain_archive() {
    let mut data = record("response", "a", &page(1));
    let b = record("response", "b", &page(2));
    data.extend_from_slice(&b[..b.len() - 30]);
    let items = read(data, 1 << 20);
    let got = ids(&items);
    assert_eq!(got[0], "urn:uuid:a");
    assert!(got[1].starts_with("ERR warc_truncated"), "{got:?}");
    assert_eq!(got.len(), 2);
}

#[test]
fn sniffing() {
    assert!(WarcReader::sniff(b"WARC/1.0\r\n"));
    assert!(WarcReader::sniff(b"\r\nWARC/1.1\r\n"));
    assert!(!WarcReader::sniff(b"{\"id\": 1}"));
}
