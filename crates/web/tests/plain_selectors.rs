//! The vendored `dom_query` answers simple selectors with plain tests instead of the
//! selector engine (`vendor/dom_query`, reprint patch 1). These tests hold the two to the
//! same answers, node by node, on a page written for the purpose (foreign elements,
//! legacy case-insensitive attributes, odd values) and, when `../shared` is present, on
//! the 181 pages of the article-extraction benchmark.

use std::io::Read;
use std::path::Path;

use dom_query::{Document, Matcher};

/// Selectors that get plain tests: each kind of component, lists, and the cases where
/// the engine's rules are easy to get wrong.
const PLAIN: &[&str] = &[
    "p",
    "*",
    "DIV",
    "clipPath",
    "clippath",
    "svg, math",
    "#main",
    "#Main",
    ".lead",
    ".Lead",
    "p.lead.first",
    "[data-x]",
    "[DATA-X]",
    "[viewBox]",
    "[viewbox]",
    "[class*='share']",
    "[class*=\"\"]",
    "[class~='share']",
    "[class~='a b']",
    "[class~='']",
    "[class^='soc']",
    "[class$='ons']",
    "[lang|='fr']",
    "[type='application/ld+json']",
    "[type='APPLICATION/LD+JSON']",
    "[rel='Canonical']",
    "[title='Hello' i]",
    "[title='hello' s]",
    "[id*='consent'], [class*='consent'], [role=\"dialog\"]",
    "time[datetime]",
    "meta[property='og:title']",
    "a[href^='http'][rel~='nofollow']",
    "*[id]",
];

/// Selectors left to the engine (combinators, pseudo-classes): they must say so.
const ENGINE: &[&str] = &[
    "div p",
    "ul > li",
    "h2 + p",
    "p:not(.lead)",
    "li:first-child",
    ":has-text(\"Hello\")",
    "a:only-text",
];

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="fr-CA"><head>
<meta property="og:title" content="A title">
<link rel="CANONICAL" href="https://example.org/a">
<script type="Application/LD+JSON">{"@type": "NewsArticle"}</script>
<title>Hello</title>
</head><body>
<div id="main" class="page Lead" data-x="1">
  <p class="lead first" title="hello">First paragraph.</p>
  <p class="social-share-buttons" lang="fr">Partager <a href="https://example.org" rel="NoFollow ugc">ici</a></p>
  <p class=" share  ons " title="Hello">Share buttons</p>
  <section id="cookie-consent" role="dialog"><p>Cookies</p></section>
  <time datetime="2024-02-24">24 février 2024</time><time>hier</time>
  <ul><li>one</li><li class="">two</li><li class>three</li></ul>
  <h2>Sub</h2><p>After the heading</p>
  <svg viewBox="0 0 10 10"><clipPath id="c"><rect/></clipPath><a xlink:href="#c">link</a></svg>
  <math><mi>x</mi></math>
  <p ID="Main" CLASS="Lead">Upper-case attribute names</p>
</div>
<!-- a comment --> text at the end
</body></html>"##;

/// Every node of `doc` gets the same answer from the plain tests and from the engine,
/// and a document-wide `select` finds the same elements in the same order.
fn assert_same_answers(doc: &Document, selectors: &[&str], what: &str) -> usize {
    let nodes: Vec<_> = doc.root().descendants_it().collect();
    let mut matched = 0;
    for sel in selectors {
        let matcher = Matcher::new(sel).expect("a valid selector");
        for node in &nodes {
            let engine = matcher.match_node_by_engine(node);
            assert_eq!(
                matcher.match_node_once(node),
                engine,
                "{what}: {sel} on {}",
                node.html()
            );
            matched += usize::from(engine);
        }
        let by_engine: Vec<_> = nodes
            .iter()
            .filter(|n| n.is_element() && matcher.match_node_by_engine(n))
            .map(|n| n.id)
            .collect();
        let selected: Vec<_> = doc.select(sel).nodes().iter().map(|n| n.id).collect();
        assert_eq!(selected, by_engine, "{what}: select({sel})");
    }
    matched
}

#[test]
fn plain_tests_give_the_engines_answers_on_a_page_with_edge_cases() {
    for sel in PLAIN {
        assert!(
            Matcher::new(sel).expect("valid").has_plain_tests(),
            "{sel} should have plain tests"
        );
    }
    for sel in ENGINE {
        assert!(
            !Matcher::new(sel).expect("valid").has_plain_tests(),
            "{sel} must be left to the engine"
        );
    }
    let doc = Document::from(PAGE);
    let matched = assert_same_answers(&doc, PLAIN, "page");
    assert_same_answers(&doc, ENGINE, "page");
    // The page does exercise the selectors (not a vacuous comparison).
    assert!(matched > 60, "only {matched} matches");
    for (sel, n) in [
        ("[type='application/ld+json']", 1),
        ("[rel='Canonical']", 1),
        ("clipPath", 1),
        ("clippath", 0),
        ("[viewBox]", 1),
        ("#Main", 1),
        (".Lead", 2),
        ("[class~='share']", 1),
        ("[class*=\"\"]", 0),
        ("[title='Hello' i]", 2),
        ("[title='hello' s]", 1),
    ] {
        assert_eq!(doc.select(sel).length(), n, "{sel}");
    }
}

#[test]
fn a_parsed_selector_is_reused_and_an_invalid_one_still_fails() {
    let first = Matcher::new("[class*='share']").expect("valid");
    let again = Matcher::new("[class*='share']").expect("valid");
    let doc = Document::from(PAGE);
    for node in doc.root().descendants_it() {
        assert_eq!(first.match_node_once(&node), again.match_node_once(&node));
    }
    assert!(Matcher::new("p[").is_err());
    assert!(Matcher::new("p[").is_err(), "a failed parse is not cached");
}

#[test]
fn plain_tests_give_the_engines_answers_on_the_benchmark_pages() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/article-extraction/html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("NOTICE: {} is absent; skipping", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    // Every fifth page keeps the test fast; each has thousands of nodes.
    for path in paths.iter().step_by(5) {
        let mut html = Vec::new();
        let file = std::fs::File::open(path).expect("readable page");
        flate2::read::MultiGzDecoder::new(file)
            .read_to_end(&mut html)
            .expect("gzip page");
        let doc = Document::from(String::from_utf8_lossy(&html).as_ref());
        assert_same_answers(&doc, PLAIN, &path.display().to_string());
    }
}
