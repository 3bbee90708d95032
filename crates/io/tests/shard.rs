//! `--shard i/n`: the shards of a run's inputs, read one after another, are the whole
//! input in order, cut at file boundaries into shares of about equal size.

use std::path::PathBuf;

use reprint_io::{open_inputs, open_inputs_shard, ReadOptions, Shard};

fn ids(reader: reprint_io::Reader) -> Vec<String> {
    // Bad records (the empty file) are yielded as errors, in their place.
    reader
        .map(|r| r.map_or_else(|e| format!("error: {e}"), |r| r.id))
        .collect()
}

#[test]
fn shards_concatenated_are_the_whole_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    // Files of unequal sizes, one empty, and a folder of .txt files.
    for (f, n) in [(0, 30), (1, 2), (2, 0), (3, 11), (4, 7)] {
        let path = dir.path().join(format!("f{f}.jsonl"));
        let body: String = (0..n)
            .map(|i| {
                format!(
                    "{{\"id\":\"f{f}-{i}\",\"text\":\"texte {i} {}\"}}\n",
                    "mot ".repeat(i % 9)
                )
            })
            .collect();
        std::fs::write(&path, body).unwrap();
        paths.push(path);
    }
    let folder = dir.path().join("txt");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..5 {
        std::fs::write(folder.join(format!("t{i}.txt")), format!("texte {i}")).unwrap();
    }
    paths.push(folder);
    let opts = ReadOptions::default();
    let whole = ids(open_inputs(&paths, &opts).unwrap());
    assert_eq!(whole.len(), 56);
    for count in [1, 2, 3, 7, 20] {
        let mut joined = Vec::new();
        let mut sizes = Vec::new();
        for index in 0..count {
            let shard = Shard { index, count };
            let part = ids(open_inputs_shard(&paths, &opts, shard).unwrap());
            sizes.push(part.len());
            joined.extend(part);
        }
        assert_eq!(joined, whole, "{count} shards");
        if count == 2 {
            // The 30-record file is over half of the bytes: it alone is shard 0.
            assert_eq!(sizes, [30, 26]);
        }
    }
}

#[test]
fn shard_specs_parse_and_streams_are_refused() {
    assert_eq!(Shard::parse("2/5"), Some(Shard { index: 2, count: 5 }));
    assert_eq!(Shard::parse("0/1"), Some(Shard::WHOLE));
    for bad in ["5/5", "1", "a/3", "1/0", "-1/3"] {
        assert_eq!(Shard::parse(bad), None, "{bad}");
    }
    let err = open_inputs_shard(
        &["-".into()],
        &ReadOptions::default(),
        Shard { index: 0, count: 2 },
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("--shard"), "{err}");
}
