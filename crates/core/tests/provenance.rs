//! Provenance from synthetic matches: each clue orients a link on its own, clues add up,
//! the likely original is named with its reasons, and outside sources are listed.

use std::path::Path;

use reprint_core::cluster::cluster;
use reprint_core::provenance::attribution::{attributions, publisher_key, AttributionKind};
use reprint_core::provenance::dates::date_in_text;
use reprint_core::provenance::{provenance, DateOrigin, DocDate, DocFacts, ReasonCode};
use reprint_core::{CharSpan, Evidence, Match, PassageSpan, Relation};

fn link(a: u32, b: u32, kind: Relation, coverage: Option<(f32, f32)>) -> Match {
    Match {
        a,
        b,
        kind,
        similarity: 0.9,
        evidence: coverage.map(|(coverage_a, coverage_b)| {
            Box::new(Evidence {
                coverage_a,
                coverage_b,
                passages: vec![PassageSpan {
                    a: CharSpan { start: 0, end: 10 },
                    b: CharSpan { start: 0, end: 10 },
                    tokens: 20,
                    similarity: 1.0,
                }],
                sentences: Vec::new(),
                facts: Vec::new(),
                corroborated: false,
            })
        }),
    }
}

fn facts(n: usize) -> Vec<DocFacts> {
    (0..n)
        .map(|_| DocFacts {
            chars: 1000,
            ..DocFacts::default()
        })
        .collect()
}

fn dated(value: u32, origin: DateOrigin) -> Option<DocDate> {
    Some(DocDate { value, origin })
}

fn codes(reasons: &[reprint_core::provenance::Reason]) -> Vec<ReasonCode> {
    reasons.iter().map(|r| r.code).collect()
}

#[test]
fn earlier_date_orients_and_names_the_original() {
    let matches = vec![link(0, 1, Relation::Near, None)];
    let mut f = facts(2);
    f[0].date = dated(20241005, DateOrigin::Field);
    f[1].date = dated(20241003, DateOrigin::Field);
    let p = provenance(&cluster(2, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert_eq!(c.original, Some(1), "the earlier document is the original");
    assert_eq!(c.derivations.len(), 1);
    let d = &c.derivations[0];
    assert_eq!((d.source, d.copy), (1, 0));
    assert_eq!(codes(&d.reasons), vec![ReasonCode::EarlierDate]);
    assert_eq!(d.score, 3.0);
    assert!(d.reasons[0].text.contains("2024-10-03"));
    assert_eq!(p.derived_from(0)[0].source, 1);
    assert!(p.derived_from(1).is_empty());
    assert_eq!(p.original_of(0), Some(1));
    assert!(codes(&c.reasons).contains(&ReasonCode::EarlierDate));
    assert!(codes(&c.reasons).contains(&ReasonCode::NoEarlierMember));
}

#[test]
fn dates_compare_at_common_precision_only() {
    let matches = vec![link(0, 1, Relation::Exact, None)];
    let mut f = facts(2);
    f[0].date = dated(20241000, DateOrigin::Text);
    f[1].date = dated(20241003, DateOrigin::Field);
    let p = provenance(&cluster(2, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert!(
        c.derivations.is_empty(),
        "2024-10 and 2024-10-03 are not ordered"
    );
    assert_eq!(c.undirected.len(), 1);
    assert_eq!(codes(&c.reasons), vec![ReasonCode::Undetermined]);
    // Nothing orders them: no member is named, and the representative is the most
    // complete version (equal here: the first).
    assert_eq!(c.original, None);
    assert_eq!(c.representative, 0);
}

#[test]
fn the_representative_is_the_original_else_the_most_complete_version() {
    let matches = vec![
        link(0, 1, Relation::Near, None),
        link(1, 2, Relation::Near, None),
    ];
    let mut f = facts(3);
    // 2 is the longest, but 1 has more text of its own (2's boilerplate, under 5% of
    // it, is no clue that it copied).
    for (i, (chars, boilerplate)) in [(900, 0), (1550, 0), (1600, 70)].into_iter().enumerate() {
        f[i].chars = chars;
        f[i].boilerplate_chars = boilerplate;
    }
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    // No clue orders these near copies: 1 has the most text of its own.
    assert_eq!((c.original, c.representative), (None, 1));
    // A date names the original, which stands for the cluster.
    f[2].date = dated(20240101, DateOrigin::Field);
    f[0].date = dated(20240105, DateOrigin::Field);
    f[1].date = dated(20240106, DateOrigin::Field);
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert_eq!((c.original, c.representative), (Some(2), 2));
}

#[test]
fn no_source_is_dated_after_what_it_is_said_to_precede() {
    // 1 is a truncation of 0 (the clue says 0 -> 1), and 2 a truncation of 1, but 2 is
    // dated before 0 and 1 is undated: 0 cannot be the source of 2 through 1.
    let matches = vec![
        link(0, 1, Relation::Partial, Some((0.5, 1.0))),
        link(1, 2, Relation::Partial, Some((0.5, 1.0))),
    ];
    let mut f = facts(3);
    f[0].date = dated(20240110, DateOrigin::Field);
    f[2].date = dated(20240102, DateOrigin::Field);
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert_ne!(c.original, Some(0), "{c:?}");
    for d in &c.derivations {
        let (s, k) = (f[d.source as usize].date, f[d.copy as usize].date);
        if let (Some(s), Some(k)) = (s, k) {
            assert!(s.value <= k.value, "{d:?}");
        }
    }
}

#[test]
fn an_attribution_against_the_dates_leaves_the_link_undirected() {
    // Doc 1 says it republishes doc 0's site, though doc 0 carries a later date (an
    // updated page?): the attribution (4) outweighs the date (3), but a source dated
    // after its copy is a contradiction a reader would trip on, so no way is chosen.
    let matches = vec![link(0, 1, Relation::Near, None)];
    let mut f = facts(2);
    f[0].publisher = Some(publisher_key("https://www.lejournal-exemple.fr/x"));
    f[0].date = dated(20241009, DateOrigin::Field);
    f[1].date = dated(20241004, DateOrigin::Field);
    f[1].attributions =
        attributions("Texte repris.\nArticle original publié sur LeJournal-Exemple.fr\n");
    let p = provenance(&cluster(2, &matches), &matches, &f);
    assert!(p.clusters[0].derivations.is_empty(), "{:?}", p.clusters[0]);
    assert_eq!(p.clusters[0].undirected.len(), 1);
    assert_eq!(p.clusters[0].original, None);
    // Without the dates the attribution orients it.
    f[0].date = None;
    f[1].date = None;
    let p = provenance(&cluster(2, &matches), &matches, &f);
    let d = &p.clusters[0].derivations[0];
    assert_eq!((d.source, d.copy), (0, 1));
    assert_eq!(codes(&d.reasons), vec![ReasonCode::CitesSource]);
    assert!(
        p.clusters[0].cited.is_empty(),
        "a member's publisher is not outside"
    );
}

#[test]
fn truncation_derives_from_the_full_text() {
    // b (doc 1) is entirely inside a; a is half inside b.
    let matches = vec![link(0, 1, Relation::Partial, Some((0.5, 1.0)))];
    let p = provenance(&cluster(2, &matches), &matches, &facts(2));
    let d = &p.clusters[0].derivations[0];
    assert_eq!((d.source, d.copy), (0, 1));
    assert_eq!(codes(&d.reasons), vec![ReasonCode::Truncation]);
    // Low coverage both ways (a rewrite, a shared paragraph) says nothing.
    let matches = vec![link(0, 1, Relation::Partial, Some((0.3, 0.1)))];
    let p = provenance(&cluster(2, &matches), &matches, &facts(2));
    assert!(p.clusters[0].derivations.is_empty());
}

#[test]
fn added_boilerplate_and_repetition_mark_the_copy() {
    let matches = vec![
        link(0, 1, Relation::Near, None),
        link(0, 2, Relation::Rewrite, Some((0.3, 0.3))),
    ];
    let mut f = facts(3);
    f[0].boilerplate_chars = 300; // doc 0 is wrapped in navigation
    f[2].boilerplate_chars = 300; // doc 2 keeps the same navigation
    f[2].repeat_chars = 400; // and repeats its sections
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    let by_pair: Vec<(u32, u32, Vec<ReasonCode>)> = c
        .derivations
        .iter()
        .map(|d| (d.source, d.copy, codes(&d.reasons)))
        .collect();
    assert_eq!(
        by_pair,
        vec![
            (0, 2, vec![ReasonCode::AddsRepetition]),
            (1, 0, vec![ReasonCode::AddsBoilerplate]),
        ]
    );
    // 1 -> 0 -> 2: doc 1 reaches both.
    assert_eq!(c.original, Some(1));
}

#[test]
fn clues_add_up_and_conflicts_are_kept() {
    // Doc 1 is dated only in its text and earlier (+2 for 1), doc 0 adds boilerplate
    // (+1 for 1), doc 1 is a truncation of doc 0 (+1.5 for 0): 1 is the source by 1.5.
    let matches = vec![link(0, 1, Relation::Partial, Some((0.4, 0.95)))];
    let mut f = facts(2);
    f[0].date = dated(20240301, DateOrigin::Field);
    f[1].date = dated(20240201, DateOrigin::Text);
    f[0].boilerplate_chars = 200;
    let p = provenance(&cluster(2, &matches), &matches, &f);
    let d = &p.clusters[0].derivations[0];
    assert_eq!((d.source, d.copy), (1, 0));
    assert!((d.score - 1.5).abs() < 1e-6, "{}", d.score);
    assert_eq!(
        codes(&d.reasons),
        vec![ReasonCode::EarlierDate, ReasonCode::AddsBoilerplate]
    );
    assert_eq!(codes(&d.against), vec![ReasonCode::Truncation]);
    assert!(d.reasons[0].text.contains("read in the text"));
}

#[test]
fn only_dated_breaks_a_tie_and_outside_sources_are_listed() {
    let matches = vec![
        link(0, 1, Relation::Rewrite, None),
        link(1, 2, Relation::Near, None),
    ];
    let mut f = facts(3);
    f[1].date = dated(20241000, DateOrigin::Text);
    f[1].attributions = attributions("PARIS (AFP) - Un texte.");
    f[2].attributions = attributions("Un texte, selon l'AFP.");
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert_eq!(c.original, Some(1));
    assert!(c
        .derivations
        .iter()
        .all(|d| d.source == 1 && codes(&d.reasons) == vec![ReasonCode::OnlyDated]));
    assert_eq!(c.cited.len(), 1);
    assert_eq!(c.cited[0].name, "AFP");
    assert_eq!(c.cited[0].kind, AttributionKind::Agency);
    assert_eq!(c.cited[0].by, vec![1, 2]);
    assert!(codes(&c.reasons).contains(&ReasonCode::CitesOutside));
}

#[test]
fn same_story_versions_are_never_oriented() {
    // Same-story links join stories, not families; inside a family (0 and its two
    // rewrites) a same-story link between two members is still never oriented.
    let matches = vec![
        link(0, 1, Relation::Rewrite, Some((0.6, 0.6))),
        link(0, 2, Relation::Rewrite, Some((0.6, 0.6))),
        link(1, 2, Relation::SameStory, Some((0.2, 0.2))),
    ];
    let mut f = facts(3);
    f[1].date = dated(20241001, DateOrigin::Field);
    f[2].date = dated(20241009, DateOrigin::Field);
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert!(c.derivations.iter().all(|d| d.kind != Relation::SameStory));
    assert_eq!(
        c.undirected
            .iter()
            .filter(|u| u.kind == Relation::SameStory)
            .count(),
        1
    );
    assert!(p.derived_from(2).iter().all(|d| d.source != 1));
}

#[test]
fn a_short_shared_passage_between_members_derives_nothing() {
    // 1 and 2, two rewrites of 0, also share one short passage (a quote): dated a week
    // apart, with more boilerplate in 2, but 2 did not copy 1 for it.
    let matches = vec![
        link(0, 1, Relation::Rewrite, Some((0.6, 0.6))),
        link(0, 2, Relation::Rewrite, Some((0.6, 0.6))),
        link(1, 2, Relation::Passage, Some((0.04, 0.03))),
    ];
    let mut f = facts(3);
    f[1].date = dated(20241001, DateOrigin::Field);
    f[2].date = dated(20241009, DateOrigin::Field);
    f[2].chars = 1000;
    f[2].boilerplate_chars = 300;
    let p = provenance(&cluster(3, &matches), &matches, &f);
    let c = &p.clusters[0];
    assert!(
        c.derivations.iter().all(|d| d.kind != Relation::Passage),
        "{c:?}"
    );
    assert!(p.derived_from(2).iter().all(|d| d.source != 1));
}

#[test]
fn documents_alone_have_no_provenance() {
    let matches = vec![link(1, 2, Relation::Exact, None)];
    let p = provenance(&cluster(4, &matches), &matches, &facts(4));
    assert_eq!(p.clusters.len(), 1);
    assert!(p.of(0).is_none());
    assert!(p.of(3).is_none());
    // Exact copies that nothing orders: no original named.
    assert_eq!(p.original_of(2), None);
    assert_eq!(p.of(2).map(|c| c.representative), Some(1));
}

/// The seeds: 000 states its date in its first line; 004 names its original publisher.
#[test]
fn seeds_date_and_attribution() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(texts.len(), 5);
    assert_eq!(date_in_text(&texts[0]), Some(20241000));
    for t in &texts[1..] {
        assert_eq!(
            date_in_text(t),
            None,
            "event dates are not publication dates"
        );
    }
    // 004 names its original publisher on a line of its own, as a domain; checked
    // without naming it: the name is what ends the line that holds the cue.
    let found = attributions(&texts[4]);
    let original: Vec<_> = found
        .iter()
        .filter(|a| a.kind == AttributionKind::Original)
        .collect();
    assert_eq!(original.len(), 1, "{found:?}");
    let a = original[0];
    let chars: Vec<char> = texts[4].chars().collect();
    let line_end = chars[a.span.end as usize..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| p + a.span.end as usize);
    let rest: String = chars[a.span.end as usize..line_end].iter().collect();
    assert!(rest.trim().is_empty(), "the name ends the line: {rest:?}");
    assert!(a.name.contains('.'), "a domain: {}", a.name);
    println!(
        "004 attribution: {} {:?} (cue {:?})",
        a.kind.as_str(),
        a.name,
        a.cue
    );
    // The witnesses cited with "selon" in the others are not publishers.
    for t in &texts[..4] {
        assert!(
            attributions(t)
                .iter()
                .all(|a| a.kind != AttributionKind::Original),
            "{:?}",
            attributions(t)
        );
    }
}
