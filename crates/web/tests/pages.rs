//! `extract_page` on pages written by these tests: main text against boilerplate,
//! metadata, legacy encodings, and the refusals.

use reprint_web::{extract_page, WebError};

const ARTICLE: &str = "La rivière a débordé dans la nuit de mardi à mercredi, inondant les caves \
    de plusieurs dizaines de maisons du centre-ville. Les pompiers sont intervenus à plus de \
    quarante reprises entre minuit et six heures du matin, selon la préfecture.";
const ARTICLE_2: &str = "Le maire a annoncé l'ouverture d'un gymnase pour accueillir les familles \
    sinistrées, et la mise en place d'une cellule d'aide psychologique. Les écoles resteront \
    fermées jusqu'à la fin de la semaine, le temps de vérifier les installations électriques.";

fn news_page(body_paragraphs: &[&str]) -> String {
    let paragraphs: String = body_paragraphs
        .iter()
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Crue de la rivière, des dizaines de maisons inondées</title>
<meta property="og:site_name" content="Le Journal du Val">
<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">
<script>var ads = "<p>not text</p>";</script><style>p {{ color: red }}</style>
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>
<div class="ad">La suite après cette annonce</div>
<article><h1>Crue de la rivière, des dizaines de maisons inondées</h1>
{paragraphs}</article>
<aside><h3>Les plus lus</h3><ul><li><a href="/a">Un autre article très lu</a></li>
<li><a href="/b">Encore un autre article</a></li></ul></aside>
<footer><p>© 2024 Le Journal du Val. Tous droits réservés.</p>
<a href="/prev">PREV</a> <a href="/next">NEXT</a></footer>
</body></html>"#
    )
}

#[test]
fn main_text_and_metadata() {
    let html = news_page(&[ARTICLE, ARTICLE_2]);
    let page = extract_page(
        html.as_bytes(),
        Some("https://journal.example.fr/crue"),
        None,
    )
    .expect("extracted");
    assert!(page.text.contains("La rivière a débordé"), "{}", page.text);
    assert!(
        page.text.contains("cellule d'aide psychologique"),
        "{}",
        page.text
    );
    for boilerplate in [
        "Accueil",
        "Les plus lus",
        "PREV",
        "NEXT",
        "Tous droits",
        "not text",
    ] {
        assert!(
            !page.text.contains(boilerplate),
            "{boilerplate:?} in {}",
            page.text
        );
    }
    assert_eq!(
        page.text.lines().count(),
        2,
        "one paragraph per line: {}",
        page.text
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Crue de la rivière, des dizaines de maisons inondées")
    );
    assert_eq!(page.date.as_deref(), Some("2024-03-05"));
    assert_eq!(page.site.as_deref(), Some("Le Journal du Val"));
    assert_eq!(page.lang.as_deref(), Some("fr"));
    assert_eq!(page.url.as_deref(), Some("https://journal.example.fr/crue"));
}

const RUSSIAN: &str = "Вчера вечером в центре города прошёл концерт симфонического оркестра. \
    Музыканты исполнили произведения Чайковского и Рахманинова, а зрители долго не отпускали \
    их со сцены. Следующий концерт состоится в субботу в большом зале филармонии.";

fn russian_page(meta: &str) -> Vec<u8> {
    let html = format!(
        "<html><head>{meta}<title>Концерт оркестра</title></head><body>\
         <article><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>"
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&html);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn windows_1251_page_declared_in_meta() {
    let bytes = russian_page(
        r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#,
    );
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test page must not be UTF-8"
    );
    let page = extract_page(&bytes, None, None).expect("extracted");
    assert!(
        page.text.starts_with("Вчера вечером в центре города"),
        "{}",
        page.text
    );
    assert_eq!(page.title.as_deref(), Some("Концерт оркестра"));
}

#[test]
fn windows_1251_page_declared_by_http_or_not_at_all() {
    let bytes = russian_page("");
    let page = extract_page(&bytes, None, Some("text/html; charset=windows-1251")).unwrap();
    assert!(
        page.text.contains("Чайковского и Рахманинова"),
        "{}",
        page.text
    );
    // No declaration at all: detected.
    let page = extract_page(&bytes, Some("http://news.example.ru/a"), None).unwrap();
    assert!(
        page.text.contains("Чайковского и Рахманинова"),
        "{}",
        page.text
    );
}

#[test]
fn refusals() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10";
    assert!(matches!(
        extract_page(png, None, Some("text/html")),
        Err(WebError::NotHtml(_))
    ));
    let nul = b"<html><body>\x00\x01\x02\x03</body></html>";
    assert_eq!(
        extract_page(nul, None, None).unwrap_err().reason(),
        "not_html"
    );
    assert_eq!(
        extract_page(b"", None, None).unwrap_err().reason(),
        "no_body"
    );
    assert_eq!(
        extract_page(b" \r\n\t", None, None).unwrap_err().reason(),
        "no_body"
    );
    let head_only = b"<html><head><title>Only a title</title></head></html>";
    assert_eq!(
        extract_page(head_only, None, None).unwrap_err().reason(),
        "no_body"
    );
}

#[test]
fn a_page_with_no_main_text_is_empty_not_an_error() {
    let html =
        "<html><body><nav><a href='/'>Home</a></nav><video src='v.mp4'></video></body></html>";
    let page = extract_page(html.as_bytes(), None, None).expect("not an error");
    assert_eq!(page.text, "");
}

#[test]
fn json_ld_body_is_used_only_when_the_page_has_no_text() {
    let body = "Le texte complet de l'article, publié seulement dans les données structurées \
        de la page, parce que le site affiche son contenu par JavaScript. ";
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"H","articleBody":"{}"}}</script></head><body><div id="app"></div></body></html>"#,
        body.repeat(4)
    );
    let page = extract_page(html.as_bytes(), None, None).unwrap();
    assert!(page.text.starts_with("Le texte complet"), "{}", page.text);
}

#[test]
fn text_in_nested_tables_comes_out_once() {
    // Layout tables nested in cells, as old sites and archives have them: the
    // extractor's table reader matched the rows and cells of the nested tables too, and
    // repeated the text once per level (38 levels: 11 MB from a 290 KB page).
    let text = "The harbour committee met on Tuesday to discuss the new ferry timetable.";
    for depth in [1, 4, 38] {
        let html = format!(
            "<html><body>{}<p>{text}</p>{}</body></html>",
            "<table><tr><td>".repeat(depth),
            "</td></tr></table>".repeat(depth)
        );
        let page = extract_page(html.as_bytes(), None, None).expect("extracted");
        assert_eq!(page.text, text, "{depth} levels");
    }
    // What the fuzzer found: 120 nested tables around 300 KB of `>`. Each table was
    // written out and parsed again to count its rows (each `>` as `&gt;`): 11 s.
    let html = format!(
        "<html><body>{}<p>{}</p>{}</body></html>",
        "<table><tr><td>".repeat(120),
        ">".repeat(300_000),
        "</td></tr></table>".repeat(120)
    );
    let page = extract_page(html.as_bytes(), None, None).expect("extracted");
    assert_eq!(page.text.len(), 300_000);
}
