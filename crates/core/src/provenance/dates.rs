//! Publication dates found in a document's text, for documents whose record has no
//! `date` field (a crawled page often carries its date only in a header line).
//!
//! A text is full of dates that are not its publication date ("Le 24 février 2022, le
//! lieutenant..." is when an event happened). So a date is taken only from the first
//! lines, and only where its shape says it is the document's own date:
//! - after a date cue (`date`, `publié le`, `published`, `updated`, `mis à jour`,
//!   `veröffentlicht`, `publicado`, `pubblicato`...), or
//! - on a short line that is little more than the date (a dateline or a byline), or
//! - in an agency dateline: a date followed on the same line by a parenthesised agency
//!   or an en dash (`PARIS, 3 octobre 2024 (AFP) -`).
//!
//! Formats: ISO `2024-10-03`, `2024-10`, `2024/10/03`; day-first numeric `03/10/2024`,
//! `03.10.2024` (month-first when the day-first reading is impossible); month names in
//! English, French, German, Spanish, Italian and Portuguese (`3 octobre 2024`,
//! `October 3, 2024`, `3. Oktober 2024`, `3 de octubre de 2024`). Dates are returned as
//! sortable `yyyymmdd` numbers with missing parts 0 (`2024-10` is `20241000`).

/// How far into the text a publication date is looked for.
const HEAD_LINES: usize = 6;
const HEAD_CHARS: usize = 600;
/// A line at most this long (in characters) that holds a date is a dateline.
const DATELINE_CHARS: usize = 80;
/// How far before a date (in characters) a cue may stand.
const CUE_WINDOW: usize = 24;

/// Words that announce the document's own date, lowercase.
const CUES: &[&str] = &[
    "date",
    "dated",
    "published",
    "posted",
    "updated",
    "publié",
    "publiée",
    "mis à jour",
    "modifié",
    "actualisé",
    "veröffentlicht",
    "aktualisiert",
    "stand",
    "publicado",
    "actualizado",
    "pubblicato",
    "aggiornato",
    "atualizado",
];

/// The document's publication date found in its first lines, as `yyyymmdd` (missing
/// parts 0), or `None` (see the module documentation for what counts).
pub fn date_in_text(text: &str) -> Option<u32> {
    let mut seen = 0usize;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEAD_LINES)
    {
        if seen >= HEAD_CHARS {
            break;
        }
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            seen += line.len();
            continue;
        }
        let line: String = line.chars().take(HEAD_CHARS - seen).collect();
        seen += line.chars().count();
        let words = words(&line);
        let line_chars = line.trim().chars().count();
        let digit_at = |k: usize| {
            words
                .get(k)
                .is_some_and(|w| w.text.starts_with(|c: char| c.is_ascii_digit()))
        };
        for (i, _) in words.iter().enumerate() {
            // Every date form holds a number in its first two words ("3 octobre",
            // "October 3", "octobre 2024", "2024-10-03"): other words start none.
            if !digit_at(i) && !digit_at(i + 1) && !digit_at(i + 2) {
                continue;
            }
            let Some((value, len)) = date_at(&words, i) else {
                continue;
            };
            let start = words[i].start;
            let end = words[i + len - 1].end;
            let before = &line[..start];
            let after = &line[end..];
            if line_chars <= DATELINE_CHARS || has_cue_before(before) || is_agency_dateline(after) {
                return Some(value);
            }
        }
    }
    None
}

/// Formats a `yyyymmdd` value (missing parts 0) as ISO 8601: `2024`, `2024-10`,
/// `2024-10-03`.
pub fn format_date(value: u32) -> String {
    let (y, m, d) = (value / 10_000, value / 100 % 100, value % 100);
    match (m, d) {
        (0, _) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Orders two `yyyymmdd` dates at the precision both have (`2024-10` and `2024-10-05`
/// are not ordered); `None` when they cannot be told apart.
pub fn compare_dates(a: u32, b: u32) -> Option<std::cmp::Ordering> {
    // Missing month or day are 0: compare in units of what both dates have.
    let precision = |v: u32| match (v / 100 % 100, v % 100) {
        (0, _) => 10_000,
        (_, 0) => 100,
        _ => 1,
    };
    let unit = precision(a).max(precision(b));
    let order = (a / unit).cmp(&(b / unit));
    (order != std::cmp::Ordering::Equal).then_some(order)
}

/// A word of a line: a run of letters or a run of digits and date separators.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut current: Option<(usize, bool)> = None; // (byte start, numeric)
    for (i, c) in line.char_indices() {
        let continues = match current {
            Some((_, true)) => c.is_ascii_digit() || "-/.".contains(c),
            Some((_, false)) => c.is_alphabetic(),
            None => false,
        };
        if continues {
            continue;
        }
        if let Some((s, _)) = current.take() {
            push_word(&mut out, line, s, i);
        }
        if c.is_ascii_digit() {
            current = Some((i, true));
        } else if c.is_alphabetic() {
            current = Some((i, false));
        }
    }
    if let Some((s, _)) = current {
        push_word(&mut out, line, s, line.len());
    }
    out
}

fn push_word<'a>(out: &mut Vec<Word<'a>>, line: &'a str, start: usize, end: usize) {
    // A numeric run ends a sentence as often as a date: "en 2024." keeps "2024".
    let text = line[start..end].trim_end_matches(['-', '/', '.']);
    out.push(Word {
        text,
        start,
        end: start + text.len(),
    });
}

fn year(s: &str) -> Option<u32> {
    let y: u32 = s.parse().ok()?;
    (s.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
}

fn month_name(s: &str) -> Option<u32> {
    crate::normalise::lexicon::month_number(s).map(u32::from)
}

fn day(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let d: u32 = s.parse().ok()?;
    (s.len() <= 2 && (1..=31).contains(&d)).then_some(d)
}

/// A date starting at word `i`: its value and how many words it spans.
fn date_at(words: &[Word<'_>], i: usize) -> Option<(u32, usize)> {
    let w = words[i].text;
    if let Some(v) = numeric_date(w) {
        return Some((v, 1));
    }
    let next = |k: usize| words.get(i + k).map(|w| w.text);
    // Skips Spanish/Portuguese "de" between parts.
    let skip_de = |k: usize| if next(k) == Some("de") { k + 1 } else { k };
    // "3 octobre 2024", "3. Oktober 2024", "3 de octubre de 2024"
    if let Some(d) = day(w) {
        let k = skip_de(1);
        if let Some(m) = next(k).and_then(month_name) {
            let k2 = skip_de(k + 1);
            let y = next(k2).and_then(year)?;
            return Some((y * 10_000 + m * 100 + d, k2 + 1));
        }
    }
    // "October 3, 2024", "Oct 3 2024", "octobre 2024"
    if let Some(m) = month_name(w) {
        if let Some(d) = next(1).and_then(day) {
            let y = next(2).and_then(year)?;
            return Some((y * 10_000 + m * 100 + d, 3));
        }
        let k = skip_de(1);
        if let Some(y) = next(k).and_then(year) {
            return Some((y * 10_000 + m * 100, k + 1));
        }
    }
    None
}

/// `2024-10-03`, `2024-10`, `2024/10/03`, `03/10/2024`, `03.10.2024`, `3-10-2024`.
fn numeric_date(w: &str) -> Option<u32> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = w.split(['-', '/', '.']).collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2)
            .then(|| s.parse().ok())
            .flatten()
    };
    let valid = |m: u32, d: u32| (1..=12).contains(&m) && d <= 31;
    match parts.as_slice() {
        [y, m] if w.contains('-') => {
            let (y, m) = (year(y)?, num(m)?);
            valid(m, 0).then_some(y * 10_000 + m * 100)
        }
        [y, m, d] if year(y).is_some() => {
            let (y, m, d) = (year(y)?, num(m)?, num(d)?);
            (valid(m, d) && d > 0).then_some(y * 10_000 + m * 100 + d)
        }
        [d, m, y] => {
            let (y, a, b) = (year(y)?, num(d)?, num(m)?);
            // Day first as in most of the world; month first when that is impossible.
            let (d, m) = if b <= 12 { (a, b) } else { (b, a) };
            (valid(m, d) && d > 0).then_some(y * 10_000 + m * 100 + d)
        }
        _ => None,
    }
}

fn has_cue_before(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(CUE_WINDOW)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    CUES.iter().any(|cue| {
        tail.match_indices(cue).any(|(i, _)| {
            // The cue must be a word of its own: "update" is no cue inside "candidate".
            let starts_word = tail[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphabetic());
            let rest = &tail[i + cue.len()..];
            let ends_word = rest.chars().next().is_none_or(|c| !c.is_alphabetic());
            starts_word && ends_word
        })
    })
}

/// Whether what follows a date looks like the rest of an agency dateline:
/// `(AFP) -`, `(Reuters) —`, or a dash opening the text.
fn is_agency_dateline(after: &str) -> bool {
    let after = after.trim_start_matches([' ', ',', '\u{a0}']);
    let after = after.trim_start();
    if let Some(rest) = after.strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            let inside = &rest[..close];
            return !inside.is_empty()
                && inside.chars().count() <= 24
                && inside.chars().next().is_some_and(|c| c.is_uppercase());
        }
    }
    after.starts_with(['—', '–'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_after_cues_and_on_datelines() {
        assert_eq!(date_in_text(" date 2024-10 Selon une longue phrase qui continue et continue encore bien au-delà de quatre-vingts caractères de long."), Some(20241000));
        assert_eq!(
            date_in_text("Titre\nPublié le 3 octobre 2024 à 10h12\nTexte."),
            Some(20241003)
        );
        assert_eq!(date_in_text("October 3, 2024\nBody text."), Some(20241003));
        assert_eq!(
            date_in_text("Stand: 03.10.2024, 12:00 Uhr\nText."),
            Some(20241003)
        );
        assert_eq!(date_in_text("3 de octubre de 2024\nTexto."), Some(20241003));
        assert_eq!(date_in_text("MOSCOU, 3 octobre 2024 (AFP) - Le texte commence ici et il est long, très long, assez long pour ne pas être une ligne de date seule."), Some(20241003));
        assert_eq!(date_in_text("Updated 2024/10/03 - a story about something that happened, told at a length well beyond a dateline."), Some(20241003));
    }

    #[test]
    fn event_dates_in_sentences_are_not_publication_dates() {
        assert_eq!(date_in_text("Le 24 février 2022, le lieutenant Alexandre participe, horrifié, à l'invasion du pays voisin, dit-il."), None);
        assert_eq!(date_in_text("l1\nl2\nl3\nl4\nl5\nl6\n2024-10-03"), None);
        assert_eq!(date_in_text("Candidate 2024-10-03 was picked from a very long list of things that go on and on and on here."), None);
    }

    #[test]
    fn numeric_shapes() {
        assert_eq!(numeric_date("2024-10-03"), Some(20241003));
        assert_eq!(numeric_date("03/10/2024"), Some(20241003));
        assert_eq!(numeric_date("10/23/2024"), Some(20241023));
        assert_eq!(numeric_date("2024-13"), None);
        assert_eq!(numeric_date("12.5"), None);
    }

    #[test]
    fn format_and_compare() {
        assert_eq!(format_date(20241000), "2024-10");
        assert_eq!(format_date(20241003), "2024-10-03");
        assert_eq!(format_date(20240000), "2024");
        use std::cmp::Ordering::*;
        assert_eq!(compare_dates(20241000, 20241005), None);
        assert_eq!(compare_dates(20241000, 20241105), Some(Less));
        assert_eq!(compare_dates(20241003, 20241002), Some(Greater));
    }
}
