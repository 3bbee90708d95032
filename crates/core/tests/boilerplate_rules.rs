//! Boilerplate detection on invented pages: per-document rules, corpus recurrence,
//! masks and line splitting.

use reprint_core::fingerprint::boilerplate::{
    find_boilerplate, line_hash, local_boilerplate, split_lines, token_mask, BoilerplateLine,
    BoilerplateOptions, BoilerplateReason, Line, LineCounter,
};
use reprint_core::normalise::text::{tokenize, TextOptions, Token};

use BoilerplateReason::{Code, Recurring, RepeatedMarker, TrailingNavigation};

struct Doc {
    text: String,
    tokens: Vec<Token>,
    lines: Vec<Line>,
}

fn doc(text: &str) -> Doc {
    let mut tokens = Vec::new();
    tokenize(text, &TextOptions::default(), &mut tokens);
    let lines = split_lines(text, &tokens);
    Doc {
        text: text.to_owned(),
        tokens,
        lines,
    }
}

impl Doc {
    fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].bytes.clone()]
    }

    /// (line text, reason) of each boilerplate line, for readable assertions.
    fn named<'a>(&'a self, found: &[BoilerplateLine]) -> Vec<(&'a str, BoilerplateReason)> {
        found
            .iter()
            .map(|b| (self.line(b.line), b.reason))
            .collect()
    }

    fn local(&self) -> Vec<(&str, BoilerplateReason)> {
        self.named(&local_boilerplate(&self.text, &self.lines))
    }

    fn find(&self, counter: &LineCounter, site: Option<&str>) -> Vec<(&str, BoilerplateReason)> {
        self.named(&find_boilerplate(&self.text, &self.lines, counter, site))
    }
}

// Invented article paragraphs (long lines, content).
const PARAS: &[&str] = &[
    "The town council of Eastbrook voted on Tuesday to close the old harbour bridge for repairs that engineers say can no longer wait, after cracks were found in two of its supporting piers during a routine inspection in the spring.",
    "Shopkeepers on the north bank fear that the closure, expected to last at least eight months, will keep customers away, and several of them asked the council to provide a free shuttle boat while the work goes on.",
    "The mayor said the town had applied for a regional grant to cover most of the cost, but that the first phase of the work would start in September whatever the answer, because the safety of residents came first.",
    "A second bridge, built in the nineteen seventies further upstream, will stay open to cars and lorries, and the council plans to add a temporary footpath to it so that pedestrians can still cross the river on foot.",
    "Le conseil municipal de Valbonne-sur-Mer a adopté mardi soir un budget en hausse pour la rénovation des écoles primaires, après un long débat sur le coût des travaux et sur le calendrier proposé par la majorité.",
    "Les parents d'élèves, venus nombreux assister à la séance, ont salué une décision attendue depuis des années, tout en demandant que les chantiers soient organisés pendant les vacances scolaires pour ne pas perturber les cours.",
    "L'opposition a voté contre le texte, estimant que la commune aurait dû d'abord rénover la piscine municipale, fermée depuis deux ans, et que l'endettement de la ville risquait de peser sur les prochaines générations.",
    "Les premiers travaux commenceront en juillet dans l'école des Tilleuls, dont la toiture laisse passer l'eau depuis l'hiver dernier, puis dans l'école du Port, où le chauffage doit être entièrement remplacé.",
];

fn reasons_of(found: &[(&str, BoilerplateReason)], line: &str) -> Vec<BoilerplateReason> {
    found
        .iter()
        .filter(|(l, _)| *l == line)
        .map(|&(_, r)| r)
        .collect()
}

// ---------------------------------------------------------------- split_lines

#[test]
fn lines_skip_blank_and_punctuation_only_lines() {
    let d = doc("First line here\n\n   \n* * *\n--\nSecond, line!\nlast");
    let texts: Vec<&str> = (0..d.lines.len()).map(|i| d.line(i)).collect();
    assert_eq!(texts, ["First line here", "Second, line!", "last"]);
    assert_eq!(d.lines[0].tokens, 0..3);
    assert_eq!(d.lines[1].tokens, 3..5);
    assert_eq!(d.lines[2].tokens, 5..6);
    assert_eq!(d.lines[2].n_tokens(), 1);
    // Every token belongs to exactly one line, in order.
    let covered: usize = d.lines.iter().map(|l| l.tokens.len()).sum();
    assert_eq!(covered, d.tokens.len());
}

#[test]
fn line_hash_ignores_case_and_punctuation() {
    let d =
        doc("Share on Facebook\nSHARE ON FACEBOOK!\nshare - on - facebook\nShare on Facebook now");
    assert_eq!(d.lines[0].hash, d.lines[1].hash);
    assert_eq!(d.lines[0].hash, d.lines[2].hash);
    assert_ne!(d.lines[0].hash, d.lines[3].hash);
    assert_eq!(
        d.lines[0].hash,
        line_hash(&d.tokens[d.lines[0].tokens.clone()])
    );
}

#[test]
fn crlf_lines_match_lf_lines() {
    let lf = format!(
        "{}\nPublicité\n{}\nPublicité\n{}\n",
        PARAS[4], PARAS[5], PARAS[6]
    );
    let crlf = lf.replace('\n', "\r\n");
    let a = doc(&lf);
    let b = doc(&crlf);
    assert_eq!(a.lines.len(), 5);
    assert_eq!(b.lines.len(), 5);
    for i in 0..5 {
        assert_eq!(a.line(i), b.line(i), "line {i}");
        assert!(!b.line(i).ends_with('\r'));
        assert_eq!(a.lines[i].hash, b.lines[i].hash);
        assert_eq!(a.lines[i].tokens, b.lines[i].tokens);
    }
    assert_eq!(
        b.local(),
        [("Publicité", RepeatedMarker), ("Publicité", RepeatedMarker)]
    );
    // A lone "\r" at the very end and an empty text.
    assert_eq!(doc("a b\r").line(0), "a b");
    assert!(doc("").lines.is_empty());
    assert!(doc("\r\n\r\n").lines.is_empty());
}

// ---------------------------------------------------------------- repeated markers

#[test]
fn ad_marker_repeated_mid_article() {
    let text = format!(
        "{}\n\nAdvertisement\n\n{}\n\nAdvertisement\n\n{}\n\n{}\n",
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    );
    let d = doc(&text);
    assert_eq!(
        d.local(),
        [
            ("Advertisement", RepeatedMarker),
            ("Advertisement", RepeatedMarker)
        ]
    );
}

#[test]
fn french_ad_markers_with_a_heading_and_a_read_also_link() {
    let text = format!(
        "Rénovation des écoles : le budget adopté\n\n{}\n\nPublicité - la suite après cette annonce\n\n{}\n\nLire aussi : Valbonne, la piscine toujours fermée\n\nUn débat tendu\n\n{}\n\nPUBLICITÉ — LA SUITE APRÈS CETTE ANNONCE\n\n{}\n",
        PARAS[4], PARAS[5], PARAS[6], PARAS[7]
    );
    let d = doc(&text);
    let found = d.local();
    assert_eq!(
        found,
        [
            ("Publicité - la suite après cette annonce", RepeatedMarker),
            ("PUBLICITÉ — LA SUITE APRÈS CETTE ANNONCE", RepeatedMarker),
        ]
    );
    // The title, the one-off link and the heading between paragraphs stay content.
    for kept in [
        "Rénovation des écoles : le budget adopté",
        "Un débat tendu",
        "Lire aussi : Valbonne, la piscine toujours fermée",
    ] {
        assert!(reasons_of(&found, kept).is_empty(), "{kept}");
    }
}

#[test]
fn adjacent_marker_pair_repeated_together() {
    let text = format!(
        "{}\nAdvertisement\nScroll to continue with the story\n{}\nAdvertisement\nScroll to continue with the story\n{}\n",
        PARAS[0], PARAS[1], PARAS[2]
    );
    let d = doc(&text);
    let found = d.local();
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found.iter().all(|&(_, r)| r == RepeatedMarker));
}

#[test]
fn heading_inside_a_repeated_block_is_not_a_marker() {
    // The page repeats its sections (heading + paragraph): internal repetition.
    let block = format!("## The bridge\n{}\n## The shops\n{}\n", PARAS[0], PARAS[1]);
    let text = format!("{}\n{block}{block}{}\n", PARAS[3], PARAS[2]);
    let d = doc(&text);
    let found = d.local();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn table_of_contents_titles_are_not_markers() {
    // Slide titles listed first, then each above its slide.
    let titles = [
        "Cracks in the piers",
        "Shops on the north bank",
        "Who pays for the work",
        "The other bridge",
    ];
    let mut text = String::from("Eastbrook bridge closure in four pictures\n\n");
    for t in titles {
        text.push_str(t);
        text.push('\n');
    }
    for (t, p) in titles.iter().zip(PARAS) {
        text.push_str(&format!("\n{t}\n\n{p}\n"));
    }
    let d = doc(&text);
    let found = d.local();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn duplicated_title_at_the_top_is_a_marker() {
    let text = format!(
        "Harbour bridge to close\n\nHarbour bridge to close\nHarbour bridge to close for eight months\n\n{}\n\n{}\n",
        PARAS[0], PARAS[1]
    );
    let d = doc(&text);
    assert_eq!(
        d.local(),
        [
            ("Harbour bridge to close", RepeatedMarker),
            ("Harbour bridge to close", RepeatedMarker)
        ]
    );
}

#[test]
fn repeated_sentences_and_long_lines_are_not_markers() {
    // A punctuated repeated line, and a repeated line longer than a marker, are text.
    let long_repeat = "Residents can follow the works on the council notice board near the old market hall every week";
    let text = format!(
        "{}\nThe bridge is closed.\n{}\n{long_repeat}\n{}\nThe bridge is closed.\n{long_repeat}\n{}\n",
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    );
    let d = doc(&text);
    let found = d.local();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_text_that_is_one_repeated_line_keeps_it() {
    assert!(doc("Hello world\nHello world\n").local().is_empty());
}

#[test]
fn markers_in_a_script_without_spaces() {
    let text = "橋の修理工事が九月に始まると市長は火曜日の議会で説明した。北岸の商店主たちは客足が遠のくことを心配している。\n広告\n市は地方の補助金を申請しており、工事費の大部分をまかなえる見込みだという。\n広告\n上流にあるもう一つの橋は車の通行のために開いたままになる。\n";
    let d = doc(text);
    assert_eq!(
        d.local(),
        [("広告", RepeatedMarker), ("広告", RepeatedMarker)]
    );
}

// ---------------------------------------------------------------- trailing navigation

#[test]
fn trailing_prev_next_and_follow_us() {
    let text = format!(
        "Eastbrook to close harbour bridge\n\n{}\n\n{}\n\nWho will pay\n\n{}\n\n{}\n\n \nFollow Eastbrook Daily on social networks\n \nPREV Council elects new deputy mayor after long night of talks\nNEXT Is the river cleaner than ten years ago?\n",
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    );
    let d = doc(&text);
    assert_eq!(
        d.local(),
        [
            (
                "Follow Eastbrook Daily on social networks",
                TrailingNavigation
            ),
            (
                "PREV Council elects new deputy mayor after long night of talks",
                TrailingNavigation
            ),
            (
                "NEXT Is the river cleaner than ten years ago?",
                TrailingNavigation
            ),
        ]
    );
}

#[test]
fn french_footer_with_share_newsletter_and_copyright() {
    let text = format!(
        "Écoles : un budget en hausse\n{}\nUn débat tendu\n{}\n{}\nPartager sur Facebook | Partager sur X | Imprimer\nNewsletter : inscrivez-vous\nLes commentaires sont fermés.\n© La Voix de Valbonne. Tous droits réservés.\n",
        PARAS[4], PARAS[5], PARAS[6]
    );
    let d = doc(&text);
    let found = d.local();
    assert_eq!(
        found,
        [
            (
                "Partager sur Facebook | Partager sur X | Imprimer",
                TrailingNavigation
            ),
            ("Newsletter : inscrivez-vous", TrailingNavigation),
            ("Les commentaires sont fermés.", TrailingNavigation),
            (
                "© La Voix de Valbonne. Tous droits réservés.",
                TrailingNavigation
            ),
        ]
    );
    // Title and mid-article heading are content.
    assert!(reasons_of(&found, "Écoles : un budget en hausse").is_empty());
    assert!(reasons_of(&found, "Un débat tendu").is_empty());
}

#[test]
fn a_closing_list_announced_by_a_colon_is_text() {
    let text = format!(
        "{}\n{}\nThe repairs will go ahead in a set order. The engineers listed the steps as follows:\n1. Close the bridge to traffic\n2. Shore up the two damaged piers\n3. Replace the deck and reopen\n",
        PARAS[0], PARAS[1]
    );
    let d = doc(&text);
    assert!(d.local().is_empty(), "{:?}", d.local());
    // A short label with a colon is no such announcement: the run after it is still
    // navigation.
    let text = format!(
        "{}\n{}\nRead more:\nCouncil elects new deputy mayor\nSchools get a bigger budget\n",
        PARAS[0], PARAS[1]
    );
    let d = doc(&text);
    assert_eq!(
        d.local(),
        [
            ("Read more:", TrailingNavigation),
            ("Council elects new deputy mayor", TrailingNavigation),
            ("Schools get a bigger budget", TrailingNavigation),
        ]
    );
}

#[test]
fn mid_article_headings_are_kept() {
    let text = format!(
        "Bridge closure\n{}\nWhy now\n{}\nThe shops\n{}\nWhat next\n{}\n",
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    );
    assert!(doc(&text).local().is_empty());
}

#[test]
fn a_list_of_short_lines_gets_no_trailing_navigation() {
    let list = "Harbour bridge to close\nNew deputy mayor elected\nSchools get a bigger budget\nThe swimming pool stays shut\nMarket moves to the square\n";
    assert!(doc(list).local().is_empty());
    // Even with one punctuated title of sentence length in the middle.
    let list2 = "Harbour bridge to close\nWhy the council had no choice but to close the bridge.\nNew deputy mayor elected\nSchools get a bigger budget\nThe swimming pool stays shut\nMarket moves to the square\n";
    assert!(doc(list2).local().is_empty());
}

#[test]
fn a_poem_gets_no_trailing_navigation() {
    let poem = "The river keeps its counsel in the night\nThe bridge holds up its arches to the moon\nAnd all the shops along the bank are dark.\nThe morning comes too late and leaves too soon\nWe cross on foot\nWe cross again\n";
    assert!(doc(poem).local().is_empty());
}

#[test]
fn one_line_and_content_ending_documents_are_untouched() {
    assert!(doc("Share on Facebook").local().is_empty());
    assert!(doc(PARAS[0]).local().is_empty());
    assert!(doc("").local().is_empty());
    let text = format!("{}\n{}\nFollow us\n{}\n", PARAS[0], PARAS[1], PARAS[2]);
    assert!(doc(&text).local().is_empty());
}

#[test]
fn a_footer_larger_than_the_article_is_not_guessed_locally() {
    let mut text = format!("{}\n", PARAS[0]);
    for i in 0..10 {
        text.push_str(&format!(
            "Related: Eastbrook council story number {i} of this week\n"
        ));
    }
    assert!(doc(&text).local().is_empty());
}

// ---------------------------------------------------------------- recurring lines

const HEADER: &[&str] = &[
    "EASTBROOK DAILY",
    "Home | Town | Harbour | Sport | What's on",
    "We use cookies to measure our audience. By browsing on, you accept them.",
];
const FOOTER: &[&str] = &[
    "Subscribe to the Eastbrook Daily newsletter and get the town's news every morning.",
    "Share on Facebook | Share on X | Email",
    "© Eastbrook Daily Ltd",
];

fn site_page(body: &[&str]) -> String {
    let mut s = String::new();
    for l in HEADER.iter().chain(body).chain(FOOTER) {
        s.push_str(l);
        s.push('\n');
    }
    s
}

fn count(docs: &[(Option<&str>, &Doc)]) -> LineCounter {
    let mut c = LineCounter::new(BoilerplateOptions::default());
    for (site, d) in docs {
        c.add_document(*site, &d.lines);
    }
    c
}

#[test]
fn site_header_and_footer_recur_but_one_off_lines_do_not() {
    let site = Some("eastbrook-daily.example");
    let a = doc(&site_page(&[PARAS[0], "Only in this article", PARAS[1]]));
    let b = doc(&site_page(&[PARAS[2], PARAS[3]]));
    let c = doc(&site_page(&[PARAS[4], PARAS[5]]));
    let counter = count(&[(site, &a), (site, &b), (site, &c)]);
    let found = a.find(&counter, site);
    for l in HEADER.iter().chain(FOOTER) {
        assert_eq!(reasons_of(&found, l), [Recurring], "{l}");
    }
    assert!(reasons_of(&found, "Only in this article").is_empty());
    assert!(reasons_of(&found, PARAS[0]).is_empty());
    assert!(reasons_of(&found, PARAS[1]).is_empty());
    assert_eq!(found.len(), HEADER.len() + FOOTER.len());

    // The same line in one document of another site does not recur there.
    let other = doc(&format!("{}\nEASTBROOK DAILY\n{}\n", PARAS[6], PARAS[7]));
    let counter = count(&[(site, &a), (site, &b), (Some("other.example"), &other)]);
    assert!(counter.is_recurring(site, a.lines[0].hash));
    assert!(!counter.is_recurring(Some("other.example"), a.lines[0].hash));
    assert!(other.find(&counter, Some("other.example")).is_empty());
    // Nor does it for a document without a site: 3 documents is below the corpus count.
    assert!(!counter.is_recurring(None, a.lines[0].hash));
}

#[test]
fn a_site_line_in_a_single_document_is_not_recurring() {
    let site = Some("eastbrook-daily.example");
    let a = doc(&site_page(&[PARAS[0], PARAS[1]]));
    let counter = count(&[(site, &a)]);
    for l in &a.lines {
        assert!(!counter.is_recurring(site, l.hash));
    }
    let found = a.find(&counter, site);
    assert!(found.iter().all(|&(_, r)| r != Recurring), "{found:?}");
    // Only the local rule applies: the footer lines after the last punctuated sentence.
    assert_eq!(found, a.local());
    assert_eq!(
        found,
        [
            (FOOTER[1], TrailingNavigation),
            (FOOTER[2], TrailingNavigation)
        ]
    );
}

#[test]
fn recurring_footer_sentence_does_not_hide_trailing_navigation() {
    // "Subscribe ... every morning." is a long punctuated line: locally it is content, and
    // the lines after it are footer. With the corpus, it is recurring, so the trailing
    // rule reaches the real last paragraph; a one-off link after it is navigation.
    let site = Some("eastbrook-daily.example");
    let a = doc(&site_page(&[
        PARAS[0],
        PARAS[1],
        "Read also: the market moves to the square",
    ]));
    let b = doc(&site_page(&[PARAS[2], PARAS[3]]));
    let local = a.local();
    assert!(reasons_of(&local, "Read also: the market moves to the square").is_empty());
    let counter = count(&[(site, &a), (site, &b)]);
    let found = a.find(&counter, site);
    assert_eq!(
        reasons_of(&found, "Read also: the market moves to the square"),
        [TrailingNavigation]
    );
    assert_eq!(reasons_of(&found, FOOTER[0]), [Recurring]);
}

#[test]
fn corpus_wide_lines_recur_without_sites() {
    let opts = BoilerplateOptions::default();
    let widget = "Share this story";
    let docs: Vec<Doc> = (0..opts.min_docs_corpus)
        .map(|i| {
            doc(&format!(
                "{}\n{widget}\n{}\n",
                PARAS[i % 8],
                PARAS[(i + 3) % 8]
            ))
        })
        .collect();
    let h = docs[0].lines[1].hash;
    let mut counter = LineCounter::new(opts.clone());
    for d in &docs[..opts.min_docs_corpus - 1] {
        counter.add_document(None, &d.lines);
    }
    assert!(!counter.is_recurring(None, h));
    counter.add_document(None, &docs.last().unwrap().lines);
    assert!(counter.is_recurring(None, h));
    assert!(counter.is_recurring(Some("any.example"), h));
    assert_eq!(counter.document_count(h), opts.min_docs_corpus as u32);
    assert_eq!(docs[0].find(&counter, None), [(widget, Recurring)]);
}

#[test]
fn long_paragraph_shared_by_many_documents_is_not_boilerplate() {
    // Reprinted on twelve sites: a paragraph of reuse, whatever the count.
    let sites: Vec<String> = (0..12).map(|i| format!("site{i}.example")).collect();
    let docs: Vec<Doc> = (0..12)
        .map(|i| doc(&format!("Story {i}\n{}\n{}\n", PARAS[0], PARAS[1 + i % 7])))
        .collect();
    let mut counter = LineCounter::new(BoilerplateOptions::default());
    for (d, site) in docs.iter().zip(&sites) {
        counter.add_document(Some(site), &d.lines);
    }
    let shared = docs[0].lines[1].hash;
    assert_eq!(
        counter.document_count(shared),
        0,
        "long lines are not counted across the corpus"
    );
    for (d, site) in docs.iter().zip(&sites) {
        assert!(!counter.is_recurring_long(Some(site), shared));
        let found = d.find(&counter, Some(site));
        assert!(reasons_of(&found, PARAS[0]).is_empty());
    }
    // In twelve pages of one site, between paragraphs of each page's own: text too.
    let site = Some("eastbrook-daily.example");
    let docs: Vec<Doc> = (0..12)
        .map(|i| {
            let own = |part: &str| {
                format!(
                    "The {part} paragraph of story number {i} is its own: it tells what happened on day {i} in words that no other page of the site uses, with figures like {} and {} that only this story gives.",
                    i * 7 + 3,
                    i * 11 + 5
                )
            };
            doc(&format!(
                "Story {i}\n{}\n{}\n{}\n",
                own("first"),
                PARAS[0],
                own("last")
            ))
        })
        .collect();
    let mut counter = LineCounter::new(BoilerplateOptions::default());
    for d in &docs {
        counter.add_document(site, &d.lines);
    }
    assert!(counter.is_recurring_long(site, shared));
    for d in &docs {
        let found = d.find(&counter, site);
        assert!(reasons_of(&found, PARAS[0]).is_empty(), "{found:?}");
    }
}

#[test]
fn a_story_of_short_paragraphs_reprinted_widely_stays_evidence() {
    // A wire story written in one-sentence paragraphs, reprinted by 7 sites with their own
    // one-line footer: its lines are in 7 documents, but they are most of each one.
    let story = [
        "The harbour bridge in Eastbrook will close on Monday for eight months.",
        "Engineers found cracks in two of its piers during an inspection.",
        "The council says the repairs cannot wait any longer.",
        "A second bridge upstream will stay open to traffic.",
        "Shopkeepers on the north bank have asked for a shuttle boat.",
    ];
    let stock = "Share this article";
    let docs: Vec<(String, Doc)> = (0..7)
        .map(|i| {
            let site = format!("site{i}.example");
            let mut text = story.join("\n");
            text.push_str(&format!("\n{stock}\nFooter of {site} number {i}\n"));
            (site, doc(&text))
        })
        .collect();
    let mut counter = LineCounter::new(BoilerplateOptions::default());
    for (site, d) in &docs {
        counter.add_document(Some(site), &d.lines);
    }
    for l in &docs[0].1.lines {
        if docs[0].1.text[l.bytes.clone()].starts_with("Footer") {
            continue;
        }
        assert!(counter.is_recurring(Some("site0.example"), l.hash));
    }
    let (site, d) = &docs[0];
    let found = d.find(&counter, Some(site));
    for l in story {
        assert!(reasons_of(&found, l).is_empty(), "{l}: {found:?}");
    }
    // The same stock line in a long article is still marked.
    let article = doc(&format!(
        "{}\n{stock}\n{}\n{}\n",
        PARAS[0], PARAS[1], PARAS[2]
    ));
    let found = article.find(&counter, Some("site9.example"));
    assert_eq!(reasons_of(&found, stock), [Recurring]);
}

#[test]
fn precedence_recurring_over_marker_over_trailing() {
    let site = Some("eastbrook-daily.example");
    let page = |a: usize, b: usize| {
        doc(&format!(
            "{}\nAdvertisement\n{}\nAdvertisement\n{}\nFollow us\nPrevious article: a new deputy mayor\n",
            PARAS[a], PARAS[b], PARAS[a + 2]
        ))
    };
    let x = page(0, 1);
    let y = page(1, 3);
    let local = x.local();
    assert_eq!(
        local,
        [
            ("Advertisement", RepeatedMarker),
            ("Advertisement", RepeatedMarker),
            ("Follow us", TrailingNavigation),
            ("Previous article: a new deputy mayor", TrailingNavigation),
        ]
    );
    let counter = count(&[(site, &x), (site, &y)]);
    assert_eq!(
        x.find(&counter, site),
        [
            ("Advertisement", Recurring),
            ("Advertisement", Recurring),
            ("Follow us", Recurring),
            ("Previous article: a new deputy mayor", Recurring),
        ]
    );
    // Without recurrence (another site), the local reasons come back.
    assert_eq!(x.find(&counter, Some("elsewhere.example")), local);
}

#[test]
fn options_can_disable_the_count_rules() {
    let site = Some("s.example");
    let a = doc(&site_page(&[PARAS[0], PARAS[1]]));
    let b = doc(&site_page(&[PARAS[2], PARAS[3]]));
    let opts = BoilerplateOptions {
        min_docs_same_site: 0,
        min_docs_corpus: 0,
        ..BoilerplateOptions::default()
    };
    let mut counter = LineCounter::new(opts);
    counter.add_document(site, &a.lines);
    counter.add_document(site, &b.lines);
    assert!(!counter.is_recurring(site, a.lines[0].hash));
    assert!(a.find(&counter, site).iter().all(|&(_, r)| r != Recurring));
}

// ---------------------------------------------------------------- counter merge

#[test]
fn merge_equals_sequential_counting() {
    let sites = [
        Some("a.example"),
        Some("b.example"),
        None,
        Some("a.example"),
    ];
    let mut docs = Vec::new();
    for i in 0..24 {
        let mut text = String::new();
        text.push_str(HEADER[i % HEADER.len()]);
        text.push('\n');
        text.push_str(PARAS[i % 8]);
        text.push_str(&format!("\nStory number {}\nAdvertisement\n", i % 5));
        text.push_str(FOOTER[i % 2]);
        text.push('\n');
        docs.push((sites[i % sites.len()], doc(&text)));
    }
    let mut sequential = LineCounter::new(BoilerplateOptions::default());
    for (site, d) in &docs {
        sequential.add_document(*site, &d.lines);
    }
    for parts in [2usize, 3, 5] {
        let mut shards: Vec<LineCounter> = (0..parts)
            .map(|_| LineCounter::new(BoilerplateOptions::default()))
            .collect();
        for (i, (site, d)) in docs.iter().enumerate() {
            shards[(i * 7) % parts].add_document(*site, &d.lines);
        }
        // Merge in reverse order, into the last shard.
        let mut merged = shards.pop().unwrap();
        while let Some(s) = shards.pop() {
            merged.merge(s);
        }
        assert_eq!(merged, sequential, "{parts} parts");
        assert_eq!(merged.documents(), 24);
        for (_, d) in &docs {
            for l in &d.lines {
                for site in [
                    Some("a.example"),
                    Some("b.example"),
                    Some("c.example"),
                    None,
                ] {
                    assert_eq!(
                        merged.is_recurring(site, l.hash),
                        sequential.is_recurring(site, l.hash)
                    );
                }
            }
        }
    }
    // Compacting keeps every answer and drops the one-off lines.
    let mut compacted = sequential.clone();
    compacted.compact();
    assert!(compacted.len() < sequential.len());
    for (site, d) in &docs {
        for l in &d.lines {
            for s in [*site, Some("c.example"), None] {
                assert_eq!(
                    compacted.is_recurring(s, l.hash),
                    sequential.is_recurring(s, l.hash)
                );
            }
        }
        assert_eq!(
            find_boilerplate(&d.text, &d.lines, &compacted, *site),
            find_boilerplate(&d.text, &d.lines, &sequential, *site)
        );
    }
}

#[test]
fn a_document_counts_once_per_line() {
    let d = doc("Advertisement\nsome words here\nAdvertisement\nADVERTISEMENT\n");
    let mut c = LineCounter::new(BoilerplateOptions::default());
    c.add_document(Some("x.example"), &d.lines);
    assert_eq!(c.document_count(d.lines[0].hash), 1);
    assert_eq!(c.site_document_count(Some("x.example"), d.lines[0].hash), 1);
    assert_eq!(c.site_document_count(None, d.lines[0].hash), 0);
    assert!(!c.is_recurring(Some("x.example"), d.lines[0].hash));
}

// ---------------------------------------------------------------- token mask

#[test]
fn token_mask_covers_exactly_the_boilerplate_lines() {
    let text = format!(
        "{}\nAdvertisement\n{}\nAdvertisement\n{}\nFollow us on Mastodon\n",
        PARAS[0], PARAS[1], PARAS[2]
    );
    let d = doc(&text);
    let found = local_boilerplate(&d.text, &d.lines);
    assert_eq!(found.len(), 3);
    let mask = token_mask(&d.lines, &found, d.tokens.len());
    assert_eq!(mask.len(), d.tokens.len());
    for (i, line) in d.lines.iter().enumerate() {
        let is_bp = found.iter().any(|b| b.line == i);
        for t in line.tokens.clone() {
            assert_eq!(mask[t], is_bp, "token {t} of line {i}");
        }
    }
    let masked: Vec<&str> = d
        .tokens
        .iter()
        .zip(&mask)
        .filter(|(_, &m)| m)
        .map(|(t, _)| &d.text[t.start as usize..t.end as usize])
        .collect();
    assert_eq!(
        masked,
        [
            "Advertisement",
            "Advertisement",
            "Follow",
            "us",
            "on",
            "Mastodon"
        ]
    );
    assert!(token_mask(&d.lines, &[], d.tokens.len())
        .iter()
        .all(|&m| !m));
}

#[test]
fn results_are_sorted_and_named() {
    assert_eq!(Recurring.as_str(), "recurring");
    assert_eq!(RepeatedMarker.as_str(), "repeated-marker");
    assert_eq!(TrailingNavigation.as_str(), "trailing-navigation");
    let text = format!(
        "{}\nAdvertisement\n{}\nAdvertisement\n{}\nFollow us\n",
        PARAS[4], PARAS[5], PARAS[6]
    );
    let d = doc(&text);
    let found = local_boilerplate(&d.text, &d.lines);
    assert!(found.windows(2).all(|w| w[0].line < w[1].line));
    // Deterministic.
    assert_eq!(found, local_boilerplate(&d.text, &d.lines));
}

#[test]
fn code_left_in_by_extraction_is_boilerplate_whatever_its_length() {
    let page = doc(
        "Le conseil municipal a voté le budget de l'année prochaine après trois heures de débat.\n\
         window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'UA-000000-1'); var s = document.createElement('script'); s.async = true; s.src = 'https://example.org/tag.js'; document.head.appendChild(s);\n\
         .article-body p{margin:0 0 1em;line-height:1.5} .share-bar{display:flex}\n\
         <div class=\"embed\"><iframe src=\"https://example.org/v/1\"></iframe></div>\n\
         L'opposition a dénoncé des hausses d'impôts (de 2 % en moyenne) ; la majorité a répondu que les services ne seraient pas réduits.\n\
         Le vote final a eu lieu peu avant minuit, en présence d'une vingtaine d'habitants.",
    );
    let found = local_boilerplate(&page.text, &page.lines);
    let named = page.named(&found);
    let code: Vec<&str> = named
        .iter()
        .filter(|(_, r)| *r == Code)
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(
        code.len(),
        3,
        "the script, the style sheet and the embed: {named:?}"
    );
    assert!(code[0].starts_with("window.dataLayer"), "{code:?}");
    assert!(
        page.lines[1].n_tokens() > BoilerplateOptions::default().max_line_tokens,
        "the script is a long line, marked all the same"
    );
    assert!(
        named
            .iter()
            .all(|(l, _)| !l.starts_with("L'opposition") && !l.starts_with("Le ")),
        "prose with a parenthesis and a semicolon stays text: {named:?}"
    );
    // The mask leaves the code out of the evidence.
    let mask = token_mask(&page.lines, &found, page.tokens.len());
    let masked: usize = mask.iter().filter(|&&m| m).count();
    let code_tokens: usize = (1..4).map(|i| page.lines[i].n_tokens()).sum();
    assert_eq!(masked, code_tokens);
}

#[test]
fn prose_with_symbols_is_not_code_and_a_page_of_code_is_kept() {
    use reprint_core::fingerprint::boilerplate::is_code_line;
    for prose in [
        "Le taux (3,5 %) reste stable ; la banque (BCE) n'a rien changé.",
        "Résultat : 2 + 2 = 4, a rappelé le professeur (en souriant).",
        "Voir l'article [en anglais] sur le site du journal.",
        "Profits rose 5% (to $3bn); analysts had expected less.",
        "P(A|B) = \\frac{P(B | A)\\, P(A)}{P(B)}.",
    ] {
        assert!(!is_code_line(prose), "{prose}");
    }
    for code in [
        "function f(a, b) { return a + b; }",
        "if (x == null) { x = []; }",
        "var n = items.length; total = n * 2;",
        "<p>Hello</p><span class=\"x\">world</span>",
        "body{font-family:sans-serif;color:#333}",
    ] {
        assert!(is_code_line(code), "{code}");
    }
    let snippet = doc("const x = load();\nif (x) { run(x); }\nexport default { x, y: [x] };");
    assert!(
        local_boilerplate(&snippet.text, &snippet.lines).is_empty(),
        "a text that is all code keeps its code"
    );
}

/// A newsletter footer written as a paragraph: longer than any short line.
const LONG_FOOTER: &str = "Every weekday morning our newsletter brings you the stories that matter in Eastbrook and the valley, from the council chamber to the football ground; sign up on our website, it is free and you can leave at any time with one click.";

#[test]
fn a_paragraph_in_many_pages_of_one_site_is_its_template_at_the_edges_only() {
    let site = Some("eastbrook-daily.example");
    let long_tokens = doc(LONG_FOOTER).tokens.len();
    assert!(long_tokens > BoilerplateOptions::default().max_line_tokens);
    let page = |paras: &[&str]| doc(&format!("{}\n{LONG_FOOTER}", paras.join("\n")));
    let (a, b, c) = (
        page(&[PARAS[0], PARAS[1]]),
        page(&[PARAS[2], PARAS[3]]),
        page(&[PARAS[4], PARAS[5]]),
    );
    // In three pages of the site: its template.
    let counter = count(&[(site, &a), (site, &b), (site, &c)]);
    for d in [&a, &b, &c] {
        assert_eq!(
            reasons_of(&d.find(&counter, site), LONG_FOOTER),
            [Recurring]
        );
    }
    assert!(counter.is_recurring_long(site, a.lines[2].hash));
    // In two: a story and its follow-up may share a paragraph; not template.
    let counter = count(&[(site, &a), (site, &b)]);
    assert!(
        a.find(&counter, site).is_empty(),
        "two pages are not a template"
    );
    // On three sites: a reprinted paragraph, evidence of reuse.
    let counter = count(&[
        (Some("one.example"), &a),
        (Some("two.example"), &b),
        (Some("three.example"), &c),
    ]);
    assert!(a.find(&counter, Some("one.example")).is_empty());
    // Without sites, long lines are never counted.
    let counter = count(&[(None, &a), (None, &b), (None, &c)]);
    assert!(a.find(&counter, None).is_empty());

    // Between two paragraphs of the page's own, the same paragraph is its text.
    let middle = doc(&format!("{}\n{LONG_FOOTER}\n{}", PARAS[6], PARAS[7]));
    let counter = count(&[(site, &a), (site, &b), (site, &middle)]);
    assert!(reasons_of(&middle.find(&counter, site), LONG_FOOTER).is_empty());
    assert_eq!(
        reasons_of(&a.find(&counter, site), LONG_FOOTER),
        [Recurring]
    );

    // A page made mostly of the recurring paragraph (the site reposting its own text)
    // keeps it: the share guard.
    let short = doc(&format!("Eastbrook.\n{LONG_FOOTER}"));
    let counter = count(&[(site, &a), (site, &b), (site, &short)]);
    assert!(
        short.find(&counter, site).is_empty(),
        "{:?}",
        short.find(&counter, site)
    );
}

#[test]
fn labelled_teasers_recur_by_their_label_whatever_the_headline() {
    let site = Some("eastbrook-daily.example");
    let teased = |i: usize, label: &str| {
        doc(&format!(
            "Harbour news\n{}\n{label} The {} other story number {i} on the river\n{}",
            PARAS[i % 4],
            ["first", "second", "third"][i % 3],
            PARAS[4 + i % 4]
        ))
    };
    let (a, b) = (teased(0, "Read also:"), teased(1, "READ ALSO :"));
    assert!(a.lines[2].label.is_some(), "a labelled teaser");
    assert_eq!(
        a.lines[2].label, b.lines[2].label,
        "one label, whatever case and spacing"
    );
    assert_ne!(a.lines[2].hash, b.lines[2].hash, "different headlines");
    let counter = count(&[(site, &a), (site, &b)]);
    for d in [&a, &b] {
        let found = d.find(&counter, site);
        assert_eq!(reasons_of(&found, d.line(2)), [Recurring], "{found:?}");
        assert_eq!(reasons_of(&found, "Harbour news"), [Recurring]);
        assert_eq!(found.len(), 2, "the paragraphs stay text: {found:?}");
    }
    // On two sites the label is not template (the corpus needs 5 documents).
    let counter = count(&[(Some("one.example"), &a), (Some("two.example"), &b)]);
    assert!(a.find(&counter, Some("one.example")).is_empty());
    // In five documents of the corpus, without sites, it is.
    let five: Vec<Doc> = (0..5).map(|i| teased(i, "Lire aussi :")).collect();
    let counter = count(&five.iter().map(|d| (None, d)).collect::<Vec<_>>());
    for d in &five {
        assert_eq!(reasons_of(&d.find(&counter, None), d.line(2)), [Recurring]);
    }
}

#[test]
fn what_is_no_label() {
    let first = |text: &str| doc(text).lines[0].label;
    let second = |text: &str| doc(&format!("Title\n{text}")).lines[1].label;
    // The first line is the page's headline, labelled or not.
    assert_eq!(first("Ukraine : the talks resume in Geneva"), None);
    assert!(second("Ukraine : the talks resume in Geneva").is_some());
    assert!(second("VIDEO - The bridge seen from the sky").is_some());
    assert!(second("READ MORE | The bridge seen from the sky").is_some());
    // A sentence, a hyphenated word, a time, a label of more than three words.
    assert_eq!(
        second("Note: the bridge will close on Monday for repairs."),
        None
    );
    assert_eq!(second("Saint-Denis votes on the budget"), None);
    assert_eq!(second("14:30 the council meets again"), None);
    assert_eq!(second("The mayor of the town: we will rebuild"), None);
    assert_eq!(second("Alone"), None);
    // One label across the ways it is written.
    assert_eq!(
        second("Lire aussi : « Le pont rouvrira-t-il ? »"),
        second("LIRE AUSSI: Les vendanges commencent")
    );
}
