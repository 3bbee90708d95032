//! How deeply a page's elements nest, estimated in one linear pass before any parser
//! builds its tree.
//!
//! Deep nesting is how one hostile page takes down a crawl's scan: the HTML parser's tree
//! builder scans its stack of open elements at every tag (scope checks), and the
//! extractor walks the tree recursively, so time grows with the square of the depth (a
//! page of 10,000 nested `<div>`s took 11 s, one of 1,000,000 would take hours) and the
//! stack eventually overflows, which aborts the process. Real pages nest a few dozen
//! levels; Blink's parser caps the tree at 512. A page deeper than [`MAX_DEPTH`] is
//! refused ([`crate::WebError::TooDeep`]) and skipped like any other damaged page.
//!
//! The estimate follows the parts of the HTML tree-construction rules that change depth,
//! on the HTML the pre-pass ([`crate::prepare`]) left (scripts, SVG, forms controls are
//! gone):
//! - void elements open nothing; end tags close the nearest open element of their name
//!   unless an element that stops the search (the standard's "special" elements for an
//!   ordinary end tag, table and cell boundaries for a special one) is nearer;
//! - the implied ends: a new `<li>`, `<dd>`/`<dt>`, `<option>`, `<tr>`, `<td>`/`<th>`, a
//!   heading after a heading, a block after an open `<p>`, a `<table>` directly in a
//!   table, an `<a>` in an open `<a>`;
//! - a `<tr>` straight in a `<table>` gets its implied `<tbody>`;
//! - formatting elements (`<b>`, `<font>`...) closed by another element's end tag stay
//!   in the list of active formatting elements (at most three alike, as the standard's
//!   "Noah's ark" clause says) and are reopened at the next element or text: each
//!   reopening counts, so pages that grow the tree this way are caught too.
//!
//! - markup and text as the tokenizer reads them (each difference is a way to hide
//!   tags): comments end at `-->`, `--!>` or at once (`<!-->`); `<!x>`, `<?x>` and a
//!   `</` before no letter are bogus comments to the next `>` (`</<table>` hides a
//!   table); raw text (`<script>` with its `<!--<script>` escapes, `<style>`,
//!   `<textarea>`, `<title>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`) ends at
//!   its own end tag followed by a space, `/` or `>`;
//! - in SVG and MathML every element nests (no implied ends), `/>` closes it, nothing
//!   is raw text, and an HTML block (`<p>`, `<div>`, `<table>`...) ends the foreign
//!   content; in a `<select>` the raw-text tags are ignored but `<script>` and
//!   `<textarea>` (which closes it).
//!
//! Where the rules are not modelled the estimate errs deep, never shallow: a page it
//! refuses wrongly needs hundreds of unclosed elements. The pass stops as soon as the
//! limit is passed, so a page of a million nested elements is refused in milliseconds.
//! The extractor itself has a wide margin above the limit: 8,000 nested `<div>`s still
//! run on a 2 MiB thread stack.

use std::collections::HashMap;

use crate::charset::find_ascii_ci;

use crate::prepare::{is_raw_text, markup_end, parse_tag};

/// Deepest element nesting accepted (Blink's parser limit).
pub const MAX_DEPTH: usize = 512;

/// Most nesting a page may hold in all: the sum, over its elements, of the depth each
/// is opened at. Below [`MAX_DEPTH`], the extractor's work still grows with depth times
/// elements (500-deep nests repeated 100 times, 550 KB summing to 12.5 million, take
/// 2.6 s: about 0.2 µs per level); the 181 real pages of the article-extraction set sum
/// to 14,613 at most, and a 5 MB page of 100,000 elements 40 deep would sum to 4
/// million. At the limit a page takes about 2 s.
pub const MAX_DEPTH_SUM: u64 = 8_000_000;

/// Most attributes one tag may have: the HTML tokenizer drops duplicate attributes by
/// comparing each new one with those before it, so a tag with 100,000 of them took 26 s.
/// Real tags have a few dozen.
pub const MAX_ATTRIBUTES: usize = 2_000;

/// Why a page is refused before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Elements nested deeper than [`MAX_DEPTH`] (the estimated depth when refused).
    TooDeep(usize),
    /// Nesting summed over the elements past [`MAX_DEPTH_SUM`].
    TooMuchNesting(u64),
    /// A tag with more than [`MAX_ATTRIBUTES`] attributes (the count found).
    TooManyAttributes(usize),
}

/// Whether `html` (a prepared page) is past one of the limits above, found in the same
/// one linear pass as the depth, which stops at the first limit passed.
pub fn refusal(html: &str) -> Option<Refusal> {
    let shape = walk(html, MAX_DEPTH, MAX_DEPTH_SUM, MAX_ATTRIBUTES);
    if shape.deepest > MAX_DEPTH {
        Some(Refusal::TooDeep(shape.deepest))
    } else if shape.depth_sum > MAX_DEPTH_SUM {
        Some(Refusal::TooMuchNesting(shape.depth_sum))
    } else if shape.most_attributes > MAX_ATTRIBUTES {
        Some(Refusal::TooManyAttributes(shape.most_attributes))
    } else {
        None
    }
}

/// The estimated element depth of `html` when it exceeds `limit` (as soon as it does),
/// `None` when the whole page stays within it.
pub fn deeper_than(html: &str, limit: usize) -> Option<usize> {
    let depth = max_depth(html, limit);
    (depth > limit).then_some(depth)
}

/// The deepest estimated element depth of `html`, the pass stopping as soon as it
/// exceeds `limit` (with `usize::MAX`, the depth of the whole page).
pub fn max_depth(html: &str, limit: usize) -> usize {
    walk(html, limit, u64::MAX, usize::MAX).deepest
}

/// What [`walk`] measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// The deepest estimated depth.
    pub deepest: usize,
    /// The depth each element was opened at, summed.
    pub depth_sum: u64,
    /// Attributes of the tag that has the most.
    pub most_attributes: usize,
}

/// Measures the page's [`Shape`], stopping as soon as one of the limits is passed.
pub fn walk(html: &str, limit: usize, sum_limit: u64, attribute_limit: usize) -> Shape {
    let mut tree = Tree::new(limit);
    let mut shape = Shape::default();
    let mut deepest = 0;
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) else {
            tree.text(&b[i..]);
            break;
        };
        tree.text(&b[i..lt]);
        if let Some(markup) = markup_end(b, lt, tree.in_foreign()) {
            i = markup.end;
            continue;
        }
        let Some(tag) = parse_tag(b, lt) else {
            i = lt + 1;
            continue;
        };
        let name = lower(&b[tag.name.0..tag.name.1]);
        i = tag.close;
        let mut rest_is_text = false;
        if tag.end {
            tree.end_tag(&name);
        } else {
            let attrs = &b[tag.name.1..tag.close];
            shape.most_attributes = shape.most_attributes.max(tag.attributes);
            if shape.most_attributes > attribute_limit {
                shape.deepest = deepest;
                return shape;
            }
            // Whether the tokenizer reads what follows as text: not in foreign content
            // (`<svg><style>` holds tags), nor in a `<select>`, which ignores the tags
            // but `<script>` and `<textarea>` (the latter closing the select).
            let text_follows = (is_raw_text(name.as_bytes()) || name == "plaintext")
                && !tree.in_foreign()
                && (!tree.is_open("select") || matches!(name.as_str(), "script" | "textarea"));
            tree.start_tag(&name, attrs, tag.self_closing);
            shape.depth_sum = shape.depth_sum.saturating_add(tree.depth() as u64);
            if shape.depth_sum > sum_limit {
                shape.deepest = deepest.max(tree.depth());
                return shape;
            }
            // After `<plaintext>` the rest of the page is its text.
            rest_is_text = text_follows && name == "plaintext";
            if text_follows && !rest_is_text {
                // Its content is text; the element closes at its end tag.
                deepest = deepest.max(tree.depth());
                let end = crate::prepare::find_end_tag(b, i, name.as_bytes()).unwrap_or(b.len());
                i = crate::prepare::tag_end(b, end);
                tree.end_tag(&name);
            }
        }
        deepest = deepest.max(tree.depth());
        if tree.too_deep() {
            // (A formatting list too long for the limit counts as past it.)
            shape.deepest = deepest.max(limit.saturating_add(1));
            return shape;
        }
        if rest_is_text {
            break;
        }
    }
    shape.deepest = deepest;
    shape
}

/// The lower-case name of a tag (ASCII letters folded; other bytes, which no known
/// element name holds, kept as distinct characters).
fn lower(name: &[u8]) -> String {
    name.iter()
        .map(|c| c.to_ascii_lowercase() as char)
        .collect()
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "basefont", "bgsound", "frame", "image",
];

/// The standard's formatting elements (tracked in the list of active formatting
/// elements and reopened after misnested end tags).
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that push a marker on the list of active formatting elements: formatting
/// opened outside them is not reopened inside.
const MARKERS: &[&str] = &[
    "td", "th", "caption", "applet", "object", "marquee", "template",
];

/// Elements that close an open `<p>` when they start.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "li",
    "dd",
    "dt",
    "plaintext",
    "table",
    "hr",
    "xmp",
];

/// The standard's "special" elements: an ordinary end tag does not close past them.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Elements a special end tag does not close past (the standard's default scope).
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// The standard's button scope: where a new block looks for an open `<p>` to close.
const BUTTON_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];

/// The standard's list item scope: where an `</li>` looks for its element.
const LIST_ITEM_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "ol", "ul",
];

/// Elements inside SVG or MathML whose content is HTML again.
const INTEGRATION_POINTS: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
];

/// HTML start tags that end the foreign content they appear in.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// How far back an implied end looks for the element it closes: the search of a real
/// parser is bounded by scope elements, and one that finds nothing this far errs deep.
const IMPLIED_END_REACH: usize = 64;

fn is(name: &str, set: &[&str]) -> bool {
    set.contains(&name)
}

/// An entry of the list of active formatting elements.
#[derive(Clone, PartialEq, Eq)]
enum Active {
    Marker,
    /// A formatting element: its name, a key of its name and attributes (the "Noah's
    /// ark" clause compares both), and the element open on the stack for it (`None`:
    /// closed by another element's end tag, waiting to be reopened).
    Formatting {
        name: String,
        key: u64,
        element: Option<u64>,
    },
}

/// The model of the tree builder's state: its stack of open elements and its list of
/// active formatting elements.
struct Tree {
    limit: usize,
    stack: Vec<String>,
    /// A serial number of each element of `stack`, so that a formatting entry knows
    /// which element is its own.
    ids: Vec<u64>,
    next_id: u64,
    /// Open elements by name, so that an end tag with no open element of its name is
    /// ignored without a search (the search is what would make hostile input slow).
    open: HashMap<String, usize>,
    /// For each element of `stack`, whether the tags inside it follow the rules of
    /// foreign content (SVG and MathML, up to an HTML integration point).
    foreign: Vec<bool>,
    active: Vec<Active>,
    /// Formatting entries closed by another element's end tag, waiting to be reopened.
    waiting: usize,
    /// Set when the list of active formatting elements grows past what a page within
    /// the limit can hold.
    overflow: bool,
}

impl Tree {
    fn new(limit: usize) -> Tree {
        Tree {
            limit,
            stack: Vec::new(),
            ids: Vec::new(),
            next_id: 0,
            open: HashMap::new(),
            foreign: Vec::new(),
            active: Vec::new(),
            waiting: 0,
            overflow: false,
        }
    }

    fn depth(&self) -> usize {
        self.stack.len() + self.waiting
    }

    fn too_deep(&self) -> bool {
        self.overflow || self.depth() > self.limit
    }

    /// Whether a tag here is read by the rules of foreign content.
    fn in_foreign(&self) -> bool {
        self.foreign.last() == Some(&true)
    }

    fn is_open(&self, name: &str) -> bool {
        self.open.get(name).is_some_and(|&n| n > 0)
    }

    /// Opens an element; returns its serial number.
    fn push(&mut self, name: &str) -> u64 {
        let in_foreign = self.in_foreign();
        self.foreign.push(match name {
            "svg" | "math" => true,
            _ if in_foreign && is(name, INTEGRATION_POINTS) => false,
            _ => in_foreign,
        });
        self.stack.push(name.to_string());
        self.next_id += 1;
        self.ids.push(self.next_id);
        *self.open.entry(name.to_string()).or_insert(0) += 1;
        self.next_id
    }

    /// Pops the current node. `by_own_end_tag`: a formatting element closed by its own
    /// end tag leaves the list; closed by another's, it waits to be reopened.
    fn pop(&mut self, by_own_end_tag: bool) {
        let (Some(name), Some(id)) = (self.stack.pop(), self.ids.pop()) else {
            return;
        };
        self.foreign.pop();
        if let Some(n) = self.open.get_mut(&name) {
            *n = n.saturating_sub(1);
        }
        if is(&name, MARKERS) {
            // Closing a cell or an object clears the formatting opened inside it.
            while let Some(entry) = self.active.pop() {
                match entry {
                    Active::Marker => break,
                    Active::Formatting { element: None, .. } => {
                        self.waiting = self.waiting.saturating_sub(1)
                    }
                    Active::Formatting { .. } => {}
                }
            }
        } else if is(&name, FORMATTING) {
            let found = self.active.iter().rposition(
                |e| matches!(e, Active::Formatting { element: Some(e), .. } if *e == id),
            );
            if let Some(at) = found {
                if by_own_end_tag {
                    self.active.remove(at);
                } else if let Active::Formatting { element, .. } = &mut self.active[at] {
                    *element = None;
                    self.waiting += 1;
                }
            }
        }
    }

    /// Pops up to and including the nearest open element named `name`.
    fn pop_to(&mut self, name: &str, by_own_end_tag: bool) {
        while let Some(top) = self.stack.last() {
            let done = top == name;
            self.pop(by_own_end_tag && done);
            if done {
                break;
            }
        }
    }

    /// Position of the nearest open element named one of `names`, searching down from
    /// the current node and stopping at any of `stop` (and after `reach` elements).
    fn find(&self, names: &[&str], stop: &[&str], reach: usize) -> Option<usize> {
        for (k, el) in self.stack.iter().enumerate().rev().take(reach) {
            if is(el, names) {
                return Some(k);
            }
            if is(el, stop) {
                return None;
            }
        }
        None
    }

    fn truncate_to(&mut self, at: usize) {
        while self.stack.len() > at {
            self.pop(false);
        }
    }

    /// Reopens the formatting elements waiting in the list (the standard's
    /// "reconstruct the active formatting elements").
    fn reconstruct(&mut self) {
        if self.waiting == 0 {
            return;
        }
        let first = self
            .active
            .iter()
            .position(|e| matches!(e, Active::Formatting { element: None, .. }));
        let Some(first) = first else {
            self.waiting = 0;
            return;
        };
        for k in first..self.active.len() {
            if let Active::Formatting {
                name,
                element: None,
                ..
            } = &self.active[k]
            {
                let name = name.clone();
                let id = self.push(&name);
                if let Active::Formatting { element, .. } = &mut self.active[k] {
                    *element = Some(id);
                }
            }
        }
        self.waiting = 0;
    }

    fn text(&mut self, text: &[u8]) {
        if !text.iter().all(u8::is_ascii_whitespace) {
            self.reconstruct();
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[u8], self_closing: bool) {
        if self.in_foreign() {
            let breaks_out = is(name, BREAKOUT)
                || (name == "font"
                    && ["color", "face", "size"]
                        .iter()
                        .any(|a| find_ascii_ci(attrs, a.as_bytes()).is_some()));
            if !breaks_out {
                // In foreign content an element nests in the current one whatever its
                // name (no implied ends, no tables), and `/>` closes it.
                if !self_closing {
                    let _ = self.push(name);
                    if name == "annotation-xml"
                        && ["text/html", "application/xhtml+xml"]
                            .iter()
                            .any(|e| find_ascii_ci(attrs, e.as_bytes()).is_some())
                    {
                        if let Some(last) = self.foreign.last_mut() {
                            *last = false;
                        }
                    }
                }
                return;
            }
            // An HTML element closes the foreign content it appears in.
            while self.in_foreign() {
                self.pop(false);
            }
        }
        if matches!(name, "html" | "body" | "head" | "frameset") {
            return;
        }
        // Blocks do not reopen formatting elements; the text or inline element in them
        // does.
        if !is(name, CLOSES_P) {
            self.reconstruct();
        }
        if is(name, CLOSES_P) && self.is_open("p") {
            if let Some(at) = self.find(&["p"], BUTTON_SCOPE, usize::MAX) {
                self.truncate_to(at);
            }
        }
        match name {
            "li" => self.close_implied(&["li"]),
            "dd" | "dt" => self.close_implied(&["dd", "dt"]),
            "option" | "optgroup" if self.stack.last().is_some_and(|t| t == "option") => {
                self.pop(false);
            }
            _ if is(name, HEADINGS) && self.stack.last().is_some_and(|t| is(t, HEADINGS)) => {
                self.pop(false);
            }
            "tr" | "tbody" | "thead" | "tfoot" | "td" | "th" => {
                // Rows, sections and cells close back to their table context; outside
                // a table they are ignored.
                let context: &[&str] = if matches!(name, "td" | "th") {
                    &["tr", "tbody", "thead", "tfoot", "table"]
                } else {
                    &["tbody", "thead", "tfoot", "table"]
                };
                let Some(at) = self.find(context, &["html"], usize::MAX) else {
                    return;
                };
                self.truncate_to(at + 1);
                let top = self.stack.last().map(String::as_str);
                if !matches!(name, "td" | "th" | "tr") && top != Some("table") {
                    // A new section closes the open one.
                    self.pop(false);
                }
                if matches!(name, "tr" | "td" | "th")
                    && self.stack.last().is_some_and(|t| t == "table")
                {
                    let _ = self.push("tbody");
                }
                if matches!(name, "td" | "th") && self.stack.last().is_some_and(|t| t != "tr") {
                    let _ = self.push("tr");
                }
            }
            "table" => {
                // A table straight in a table (not in a cell) closes the first.
                if let Some(at) = self.find(&["table"], &["td", "th", "caption"], usize::MAX) {
                    self.truncate_to(at);
                }
            }
            "a" | "nobr" if self.is_open(name) => {
                // The standard reconstructs again after this adoption agency: what it
                // closed inside the old `<a>` is reopened around the new one, one level
                // deeper each time (`<a>x<b>` repeated nests the `<b>`s).
                self.adoption_agency(name);
                self.reconstruct();
            }
            "button" if self.is_open(name) => self.pop_to(name, true),
            "input" | "keygen" | "textarea" if self.is_open("select") => {
                self.pop_to("select", true)
            }
            _ => {}
        }
        // A self-closing `<span/>` still opens a span in HTML; only void elements and
        // self-closing foreign (MathML) elements open nothing.
        if is(name, VOID) || (self_closing && matches!(name, "svg" | "math")) {
            return;
        }
        let id = self.push(name);
        if is(name, MARKERS) {
            self.active.push(Active::Marker);
        } else if is(name, FORMATTING) {
            let key = formatting_key(name, attrs);
            let since_marker = self
                .active
                .iter()
                .rposition(|e| *e == Active::Marker)
                .map_or(0, |m| m + 1);
            let alike: Vec<usize> = (since_marker..self.active.len())
                .filter(|&k| matches!(&self.active[k], Active::Formatting { key: k2, .. } if *k2 == key))
                .collect();
            if alike.len() >= 3 {
                if let Active::Formatting { element: None, .. } = self.active[alike[0]] {
                    self.waiting = self.waiting.saturating_sub(1);
                }
                self.active.remove(alike[0]);
            }
            self.active.push(Active::Formatting {
                name: name.to_string(),
                key,
                element: Some(id),
            });
            // A list longer than this holds more elements than a page within the limit
            // can reopen.
            self.overflow |= self.active.len() > self.limit.saturating_mul(4);
        }
    }

    /// The implied end of `names` when one of them starts: closes the nearest open one
    /// unless a special element other than `<address>`, `<div>` and `<p>` (a list, a
    /// table, a block quote...) is nearer.
    fn close_implied(&mut self, names: &[&str]) {
        if !names.iter().any(|n| self.is_open(n)) {
            return;
        }
        for (k, el) in self.stack.iter().enumerate().rev().take(IMPLIED_END_REACH) {
            if is(el, names) {
                self.truncate_to(k);
                return;
            }
            if is(el, SPECIAL) && !matches!(el.as_str(), "address" | "div" | "p") {
                return;
            }
        }
    }

    /// The end of an open formatting element `name` (the standard's adoption agency):
    /// without a block opened inside it, it closes with what is open inside it; with
    /// one, the block stays open, wrapped in a copy of the formatting element, and the
    /// depth does not change.
    fn adoption_agency(&mut self, name: &str) {
        let at = self.find(&[name], &[], usize::MAX).unwrap_or(0);
        if !self.stack[at + 1..].iter().any(|e| is(e, SPECIAL)) {
            self.pop_to(name, true);
        }
    }

    fn end_tag(&mut self, name: &str) {
        if matches!(name, "html" | "body" | "head" | "br") {
            return;
        }
        if is(name, FORMATTING) {
            if self.is_open(name) {
                self.adoption_agency(name);
            } else if let Some(at) = self.active.iter().rposition(
                |e| matches!(e, Active::Formatting { name: n, element: None, .. } if n == name),
            ) {
                self.active.remove(at);
                self.waiting = self.waiting.saturating_sub(1);
            }
            return;
        }
        // A heading end tag closes any open heading.
        let names: &[&str] = if is(name, HEADINGS) {
            HEADINGS
        } else {
            &[name]
        };
        if !names.iter().any(|n| self.is_open(n)) {
            return;
        }
        let stop: &[&str] = match name {
            "li" => LIST_ITEM_SCOPE,
            "p" => BUTTON_SCOPE,
            _ if is(name, SPECIAL) => SCOPE,
            _ => SPECIAL,
        };
        if let Some(at) = self.find(names, stop, usize::MAX) {
            self.truncate_to(at + 1);
            self.pop(true);
        }
    }
}

/// A key of a formatting element's name and attributes.
fn formatting_key(name: &str, attrs: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    attrs
        .iter()
        .filter(|c| !c.is_ascii_whitespace() && **c != b'/' && **c != b'>')
        .for_each(|c| c.to_ascii_lowercase().hash(&mut h));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        max_depth(html, usize::MAX)
    }

    #[test]
    fn closed_elements_nest_as_written() {
        assert_eq!(depth("<html><body><div><p>x</p></div></body></html>"), 2);
        assert_eq!(
            depth(&format!("{}{}", "<div>".repeat(50), "</div>".repeat(50))),
            50
        );
        assert_eq!(depth("<div></div><div><span><b>x</b></span></div>"), 3);
    }

    #[test]
    fn implied_ends_do_not_nest() {
        // Unclosed list items, paragraphs, cells, rows and options are siblings.
        let list = format!("<ul>{}</ul>", "<li>item ".repeat(1000));
        assert_eq!(depth(&list), 2);
        let paras = "<p>one <p>two <p>three <div>block</div>".repeat(300);
        assert!(depth(&paras) <= 2, "{}", depth(&paras));
        let table = format!("<table>{}</table>", "<tr><td>a<td>b".repeat(500));
        assert_eq!(depth(&table), 4);
        let dl = format!("<dl>{}</dl>", "<dt>t<dd>d".repeat(500));
        assert_eq!(depth(&dl), 2);
        assert_eq!(depth(&"<h2>a<h3>b".repeat(300)), 1);
        assert_eq!(depth(&"<a href=x>link ".repeat(600)), 1);
        assert_eq!(depth(&"<option>o".repeat(600)), 1);
        // Void elements and comments open nothing.
        assert_eq!(depth(&"<br><img src=x><hr><!-- <div> -->".repeat(600)), 0);
    }

    #[test]
    fn end_tags_close_what_a_parser_closes() {
        // An end tag closes unclosed inline elements inside its element.
        let sloppy = "<div><span><span>text</div>".repeat(600);
        assert!(depth(&sloppy) <= 3, "{}", depth(&sloppy));
        // An ordinary end tag does not close past a special element: these nest.
        let misnested = "<span><div></span>".repeat(300);
        assert_eq!(depth(&misnested), 600);
        // Stray end tags are ignored.
        assert_eq!(depth(&"</div></span></li>".repeat(1000)), 0);
    }

    #[test]
    fn formatting_closed_by_a_new_link_is_reopened_around_it() {
        // `<a>x<b>` repeated: each `<a>` closes the open one and what is in it, and the
        // `<b>` is reopened around the new `<a>`, one level deeper each time (html5ever
        // builds 1,002 levels for 1,000 repeats; the estimate was 6, and such a page
        // took 49 s to parse).
        let page = format!(
            "<html><body><p>{}</p></body></html>",
            "<a href=x>link <b>>".repeat(1000)
        );
        assert_eq!(depth(&page), 1002);
    }

    #[test]
    fn reopened_formatting_elements_count() {
        // `<p><b>x</p>` again and again: one `<b>` reopened at a time (same attributes:
        // at most three alike are kept).
        let same = "<p><b>bold</p>".repeat(1000);
        assert!(depth(&same) <= 6, "{}", depth(&same));
        // Distinct attributes: every one is kept and reopened in the next block.
        let distinct: String = (0..1000)
            .map(|k| format!("<div><font size={k}>x</div>"))
            .collect();
        assert!(depth(&distinct) > 512, "{}", depth(&distinct));
    }

    #[test]
    fn hostile_nesting_is_refused_early() {
        let tables = "<table><tr><td>".repeat(5000);
        assert!(deeper_than(&tables, MAX_DEPTH).is_some());
        let lists = "<ul><li>item ".repeat(5000);
        assert!(deeper_than(&lists, MAX_DEPTH).is_some());
        let divs = "<div>".repeat(1_000_000);
        let started = std::time::Instant::now();
        assert!(deeper_than(&divs, MAX_DEPTH).is_some());
        assert!(started.elapsed().as_millis() < 500);
        // A deep but ordinary page passes.
        let page = format!(
            "<html><body>{}<p>text</p>{}</body></html>",
            "<div class=wrap>".repeat(200),
            "</div>".repeat(200)
        );
        assert_eq!(deeper_than(&page, MAX_DEPTH), None);
    }

    #[test]
    fn raw_text_and_odd_input() {
        assert_eq!(depth("<title><div><div></title><p>x"), 1);
        for odd in [
            "<",
            "</",
            "<div",
            "<!--",
            "<plaintext><div><div>",
            "é<é>",
            "",
        ] {
            let _ = deeper_than(odd, 1);
        }
        assert_eq!(depth("<plaintext><div><div>"), 1);
    }
}
