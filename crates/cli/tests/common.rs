//! Helpers shared by the CLI tests: run the built binary, read JSONL outputs, and texts
//! written for these tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn reprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .output()
        .expect("failed to start reprint")
}

pub fn reprint_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("failed to start reprint");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "reprint failed: {}\n{}",
        out.status,
        stderr(out)
    );
}

pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// A news-like paragraph of about 120 words, different for every `seed`: distinct words
/// come from a seeded pseudo-random walk over a made-up syllable alphabet, so two seeds
/// share no phrasing.
pub fn article(seed: u64, words: usize) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ne", "ra", "tu", "vo", "si", "de", "ba", "po", "gu", "fe", "ri", "sa",
        "to", "le", "mu", "no", "pi", "za", "ve", "co", "du",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut text = String::new();
    for i in 0..words {
        let n = 1 + (next() % 3) as usize;
        let mut word = String::new();
        for _ in 0..n {
            word.push_str(SYLLABLES[(next() % 24) as usize]);
        }
        if i % 12 == 0 {
            if i > 0 {
                text.push_str(". ");
            }
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(&word);
        }
    }
    text.push('.');
    text
}

pub fn jsonl_line(id: &str, text: &str, extra: &str) -> String {
    format!(
        "{{\"id\":{},\"text\":{}{}}}\n",
        serde_json::to_string(id).unwrap(),
        serde_json::to_string(text).unwrap(),
        extra
    )
}
