//! Acceptance: a site's template (navigation, teasers, newsletter and cookie notices,
//! share buttons, PREV/NEXT links, copyright), shared verbatim by unrelated articles, never
//! links them, and is reported line by line with exact character spans; internal
//! repetition is reported and does not inflate a document's share of a match.

mod partial_util;

use partial_util::common::*;
use partial_util::*;

/// Lines above the article: navigation, in English and French (multi-byte characters
/// first, so character and byte offsets differ for everything below).
const HEADER: &[&str] = &[
    "Accueil › Actualités › Société › Environnement",
    "Home | World | Politics | Economy | Culture | Sport | Weather",
];

/// Teasers put between the article's paragraphs.
const TEASERS: &[&str] = &[
    "Read also: The river that changed its course twice in one winter",
    "Lire aussi : « Le pont de la vallée rouvrira-t-il avant l’été ? »",
];

/// Lines below the article. Several end with a full stop and are long enough to pass
/// for a final paragraph, so only their recurrence across documents tells them apart.
const FOOTER: &[&str] = &[
    "Subscribe to our newsletter and get the morning briefing in your inbox.",
    "Inscrivez-vous à notre lettre d’information : l’essentiel de l’actualité chaque matin à 7 h.",
    "Share on Facebook | Share on X | Send by email",
    "Partager sur Facebook · Envoyer par courriel · Imprimer l’article",
    "We use cookies to measure our audience and improve your experience. By continuing, you accept their use.",
    "Nous utilisons des cookies pour mesurer l’audience. En poursuivant votre navigation, vous acceptez leur utilisation.",
    "PREV Storm warnings extended across the northern coast",
    "NEXT Is the old harbour finally ready for the summer season?",
    "PRÉCÉDENT Les vendanges commencent avec dix jours d’avance",
    "SUIVANT Faut-il encore croire aux trains de nuit ?",
    "© 2024 Same Example — tous droits réservés, reproduction interdite sans autorisation.",
];

fn template_lines() -> Vec<&'static str> {
    HEADER
        .iter()
        .chain(TEASERS)
        .chain(FOOTER)
        .copied()
        .collect()
}

/// An article of 300 words in the site's template; `crlf` writes Windows line ends.
fn page(seed: u64, crlf: bool) -> String {
    let paras = paragraphs(&article(seed, 300), 4);
    let mut lines: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    for (i, p) in paras.iter().enumerate() {
        lines.push(p.clone());
        if i == 1 {
            lines.extend(TEASERS.iter().map(|s| s.to_string()));
        }
    }
    lines.extend(FOOTER.iter().map(|s| s.to_string()));
    lines.join(if crlf { "\r\n" } else { "\n" })
}

/// Checks that `doc` reports exactly the template lines of `text` as boilerplate, with
/// character spans that slice out each whole line, for the `reason` given.
fn assert_template_reported(doc: &serde_json::Value, text: &str, reason: &str) {
    assert_lines_reported(doc, text, reason, &template_lines());
}

/// Checks that `doc` reports exactly `lines` of `text` as boilerplate (see above).
fn assert_lines_reported(doc: &serde_json::Value, text: &str, reason: &str, lines: &[&str]) {
    let reported = doc["boilerplate"].as_array().unwrap();
    let mut found: Vec<String> = Vec::new();
    for b in reported {
        let line = char_slice(text, span(&b["span"]));
        assert_eq!(b["reason"], reason, "{}: {line:?}: {b}", doc["id"]);
        found.push(line);
    }
    let mut expected: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    expected.sort();
    found.sort();
    assert_eq!(
        found, expected,
        "{}: reported boilerplate lines differ from the template",
        doc["id"]
    );
}

#[test]
fn same_site_template_links_nothing_and_is_reported_with_char_spans() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<(String, String, String)> = (0..5)
        .map(|i| {
            (
                format!("same-{i}"),
                page(1000 + i, i == 2),
                ",\"site\":\"same.example\"".to_string(),
            )
        })
        .collect();
    let input = dir.path().join("site.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "out", &[&input], &[]);
    assert!(
        s.matches.is_empty(),
        "unrelated articles of one site were linked: {:?}",
        s.matches
    );
    assert!(s.clusters.is_empty(), "{:?}", s.clusters);
    for (id, text, _) in &docs {
        let doc = s.doc(id);
        assert_eq!(doc["relation"], serde_json::Value::Null, "{doc}");
        assert_eq!(doc["site"], "same.example", "site field carried: {doc}");
        assert!(doc["repeats"].as_array().unwrap().is_empty(), "{doc}");
        assert_template_reported(doc, text, "recurring");
    }
}

#[test]
fn corpus_wide_template_without_site_links_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // No site field: the lines recur in 7 documents of the corpus, beyond the default 5.
    let docs: Vec<(String, String, String)> = (0..7)
        .map(|i| (format!("nosite-{i}"), page(2000 + i, i == 4), String::new()))
        .collect();
    let input = dir.path().join("nosite.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "out", &[&input], &[]);
    assert!(
        s.matches.is_empty(),
        "unrelated articles sharing a template were linked: {:?}",
        s.matches
    );
    assert!(s.clusters.is_empty(), "{:?}", s.clusters);
    for (id, text, _) in &docs {
        assert_template_reported(s.doc(id), text, "recurring");
    }
}

#[test]
fn template_does_not_hide_real_reuse_between_pages_of_the_site() {
    // Two pages of the site: the second reprints the first's article under its own
    // introduction. The template is still boilerplate, the article is still evidence,
    // and no passage runs through template lines.
    let dir = tempfile::tempdir().unwrap();
    let mut docs: Vec<(String, String, String)> = (0..4)
        .map(|i| {
            (
                format!("page-{i}"),
                page(3000 + i, false),
                ",\"site\":\"same.example\"".to_string(),
            )
        })
        .collect();
    let source = docs[0].1.clone();
    let body: Vec<&str> = source
        .lines()
        .filter(|l| !template_lines().contains(l))
        .collect();
    let intro = paragraphs(&article(3999, 200), 4).join("\n");
    let reprint_text = format!(
        "{}\n{intro}\n{}\n{}",
        HEADER.join("\n"),
        body.join("\n"),
        FOOTER.join("\n")
    );
    docs.push((
        "reprint".to_string(),
        reprint_text,
        ",\"site\":\"same.example\"".to_string(),
    ));
    let input = dir.path().join("site.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "out", &[&input], &[]);
    assert_eq!(s.matches.len(), 1, "{:?}", s.matches);
    let texts = docs
        .iter()
        .map(|(id, text, _)| (id.clone(), text.clone()))
        .collect();
    let m = s
        .find_match("page-0", "reprint")
        .expect("the reprint is found");
    let words = check_passages(m, &texts);
    assert!(
        (290..=300).contains(&words),
        "the 300 article words are the evidence, not the template: {words}"
    );
    for p in m["passages"].as_array().unwrap() {
        let text = char_slice(&docs[4].1, span(&p["b"]));
        for line in template_lines() {
            assert!(!text.contains(line), "passage runs through {line:?}");
        }
    }
    let header_footer: Vec<&str> = HEADER.iter().chain(FOOTER).copied().collect();
    assert_lines_reported(s.doc("reprint"), &docs[4].1, "recurring", &header_footer);
}

/// Words of an `article()` text (all of its tokens).
fn n_words(text: &str) -> f64 {
    words(text).len() as f64
}

#[test]
fn internal_repetition_is_reported_and_does_not_inflate_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let shared = paragraphs(&article(4000, 200), 4).join("\n");
    let own_single = paragraphs(&article(4001, 100), 4).join("\n");
    let own_doubled = paragraphs(&article(4002, 300), 4).join("\n");
    // `single` holds the shared text once, `doubled` twice, `once` is `doubled` without
    // the repetition.
    let single = format!("{own_single}\n{shared}");
    let doubled = format!("{own_doubled}\n{shared}\n{shared}");
    let once = format!("{own_doubled}\n{shared}");

    let corpus = |name: &str, other: &str| {
        let path = dir.path().join(format!("{name}.jsonl"));
        write_corpus(
            &path,
            &[
                ("single".into(), single.clone(), String::new()),
                (name.into(), other.to_string(), String::new()),
            ],
        );
        scan(dir.path(), name, &[&path], &[])
    };
    let with_repeat = corpus("doubled", &doubled);
    let without = corpus("once", &once);

    // The second copy is reported, by character spans, against the first.
    let repeats = with_repeat.doc("doubled")["repeats"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    let copy = span(&repeats[0]["copy"]);
    let first = span(&repeats[0]["first"]);
    assert!(first.1 <= copy.0, "first {first:?} before copy {copy:?}");
    assert_eq!(words(&char_slice(&doubled, copy)), words(&shared));
    assert_eq!(words(&char_slice(&doubled, first)), words(&shared));
    let own_chars = own_doubled.chars().count();
    assert!(first.0 > own_chars, "the first copy follows the own text");
    assert!(with_repeat.doc("single")["repeats"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(without.doc("once")["repeats"]
        .as_array()
        .unwrap()
        .is_empty());

    // Both are partial matches with the same evidence: the repetition adds nothing.
    let texts = [
        ("single".to_string(), single.clone()),
        ("doubled".to_string(), doubled.clone()),
        ("once".to_string(), once.clone()),
    ]
    .into_iter()
    .collect();
    let m2 = with_repeat
        .find_match("single", "doubled")
        .expect("single-doubled");
    let m1 = without.find_match("single", "once").expect("single-once");
    let (w2, w1) = (check_passages(m2, &texts), check_passages(m1, &texts));
    assert_eq!(w2, w1, "the repeated copy matched again: {m2} / {m1}");
    assert!(
        w1 as f64 >= 0.97 * n_words(&shared),
        "shared text found: {w1}"
    );
    for key in ["coverage_a", "coverage_b", "similarity"] {
        let (x, y) = (m2[key].as_f64().unwrap(), m1[key].as_f64().unwrap());
        assert!(
            (x - y).abs() < 1e-3,
            "{key} with the repetition {x}, without {y}"
        );
    }
    // Coverage is over each document's own content: the repeated copy is not content.
    let expected_single = n_words(&shared) / n_words(&single);
    let expected_doubled = n_words(&shared) / (n_words(&own_doubled) + n_words(&shared));
    let (ca, cb) = (
        m2["coverage_a"].as_f64().unwrap(),
        m2["coverage_b"].as_f64().unwrap(),
    );
    assert_eq!(m2["a"], "single");
    assert!(
        (ca - expected_single).abs() < 0.02,
        "{ca} vs {expected_single}"
    );
    assert!(
        (cb - expected_doubled).abs() < 0.02,
        "{cb} vs {expected_doubled}"
    );
}

#[test]
fn text_printed_twice_against_one_copy_is_one_passage() {
    // `x` and `x x`: a near-duplicate pair (same shingle set), compared in depth. The
    // second copy is repetition, not more shared text: one passage, each side covered
    // entirely by the other's own content.
    let dir = tempfile::tempdir().unwrap();
    let x = paragraphs(&article(5000, 200), 4).join("\n");
    let xx = format!("{x}\n{x}");
    let (fa, fb) = (dir.path().join("x.txt"), dir.path().join("xx.txt"));
    std::fs::write(&fa, &x).unwrap();
    std::fs::write(&fb, &xx).unwrap();
    let out = reprint(&[
        "compare",
        fa.to_str().unwrap(),
        fb.to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let passages = r["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1, "{r}");
    assert_eq!(passages[0]["words"], 200, "{r}");
    assert_eq!(r["b"]["words"], 400);
    assert_eq!(
        r["b"]["content_words"], 200,
        "the second copy is not own content"
    );
    assert_eq!(r["b"]["repeats"].as_array().unwrap().len(), 1, "{r}");
    for key in ["coverage_a", "coverage_b"] {
        let c = r[key].as_f64().unwrap();
        assert!((c - 1.0).abs() < 0.01, "{key} {c}");
    }
}

/// A site's newsletter footer written as one paragraph: longer than any short line, so
/// only its recurrence within the site tells it from a reprinted paragraph.
const NEWSLETTER_FOOTER: &str = "Chaque matin, notre lettre d'information vous apporte l'essentiel de l'actualité de la région, des conseils municipaux aux terrains de sport, avec les rendez-vous du week-end et les bonnes adresses de nos journalistes ; inscrivez-vous gratuitement sur notre site, vous pourrez vous désabonner à tout moment en un clic.";

#[test]
fn a_newsletter_footer_paragraph_links_no_opinion_pieces_of_its_site() {
    let dir = tempfile::tempdir().unwrap();
    let piece = |i: u64| {
        let paras = paragraphs(&article(3000 + i, 260), 4);
        format!("{}\n{NEWSLETTER_FOOTER}", paras.join("\n"))
    };
    // Three unrelated opinion pieces of one site, each ending with the footer.
    let docs: Vec<(String, String, String)> = (0..3)
        .map(|i| {
            (
                format!("opinion-{i}"),
                piece(i),
                ",\"site\":\"lejournal.example\"".to_string(),
            )
        })
        .collect();
    let input = dir.path().join("opinion.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "out", &[&input], &[]);
    assert!(
        s.matches.is_empty(),
        "the footer linked unrelated pieces: {:?}",
        s.matches
    );
    assert!(s.clusters.is_empty(), "{:?}", s.clusters);
    for (id, text, _) in &docs {
        assert_lines_reported(s.doc(id), text, "recurring", &[NEWSLETTER_FOOTER]);
    }

    // The same three texts on three sites: the paragraph is reprinted text, a link.
    let docs: Vec<(String, String, String)> = (0..3)
        .map(|i| {
            (
                format!("reprint-{i}"),
                piece(i),
                format!(",\"site\":\"site{i}.example\""),
            )
        })
        .collect();
    let input = dir.path().join("sites.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "sites", &[&input], &[]);
    for (a, b) in [(0, 1), (0, 2), (1, 2)] {
        let m = s
            .find_match(&format!("reprint-{a}"), &format!("reprint-{b}"))
            .unwrap_or_else(|| panic!("no link between reprint-{a} and reprint-{b}"));
        assert_eq!(m["kind"], "passage", "{m}");
    }
    for (id, _, _) in &docs {
        assert!(s.doc(id)["boilerplate"].as_array().unwrap().is_empty());
    }
}

#[test]
fn read_also_teasers_are_the_sites_whatever_headline_they_link() {
    let dir = tempfile::tempdir().unwrap();
    let headlines = [
        "« Le pont de la vallée rouvrira-t-il avant l’été ? »",
        "Les vendanges commencent avec dix jours d’avance",
        "Faut-il encore croire aux trains de nuit ?",
    ];
    let docs: Vec<(String, String, String)> = headlines
        .iter()
        .enumerate()
        .map(|(i, headline)| {
            let paras = paragraphs(&article(4000 + i as u64, 240), 4);
            let text = format!(
                "{}\n{}\nLire aussi : {headline}\n{}",
                paras[0],
                paras[1],
                paras[2..].join("\n")
            );
            (
                format!("teased-{i}"),
                text,
                ",\"site\":\"lejournal.example\"".to_string(),
            )
        })
        .collect();
    let input = dir.path().join("teasers.jsonl");
    write_corpus(&input, &docs);
    let s = scan(dir.path(), "out", &[&input], &[]);
    for ((id, text, _), headline) in docs.iter().zip(headlines) {
        let teaser = format!("Lire aussi : {headline}");
        assert_lines_reported(s.doc(id), text, "recurring", &[teaser.as_str()]);
    }
}
