use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use bit_set::BitSet;
use cssparser::{CowRcStr, ParseError, SourceLocation, ToCss};
use html5ever::Namespace;
use selectors::context::SelectorCaches;
use selectors::parser::{self, SelectorList, SelectorParseErrorKind};
use selectors::{context, matching, Element};

use crate::css::{CssLocalName, CssString};
use crate::node::{DescendantNodes, NodeRef};
use crate::Tree;
/// CSS selector.
#[derive(Clone, Debug)]
pub struct Matcher {
    selector_list: SelectorList<InnerSelector>,
    // reprint patch 1: the same selector as plain tests when it is a list of compound
    // selectors of names, ids, classes and attributes (see `simple`).
    simple: Option<Arc<[Compound]>>,
}

thread_local! {
    // reprint patch 2: selectors parsed on this thread, by their text. Extraction code
    // runs the same few hundred selector strings on every page.
    static PARSED: RefCell<HashMap<Box<str>, Matcher, foldhash::fast::RandomState>> =
        RefCell::new(HashMap::default());
}

/// Most selectors kept in a thread's cache of parsed selectors (it is emptied when full,
/// in case a caller builds selector strings from page content).
const PARSED_CACHE_LIMIT: usize = 4096;

impl Matcher {
    /// creates a new CSS matcher.
    pub fn new(sel: &str) -> Result<Self, ParseError<'_, SelectorParseErrorKind<'_>>> {
        if let Some(hit) = PARSED.with(|cache| cache.borrow().get(sel).cloned()) {
            return Ok(hit);
        }
        let matcher = Self::parse(sel)?;
        PARSED.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= PARSED_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(sel.into(), matcher.clone());
        });
        Ok(matcher)
    }

    fn parse(sel: &str) -> Result<Self, ParseError<'_, SelectorParseErrorKind<'_>>> {
        let mut input = cssparser::ParserInput::new(sel);
        let mut parser = cssparser::Parser::new(&mut input);
        selectors::parser::SelectorList::parse(
            &InnerSelectorParser,
            &mut parser,
            parser::ParseRelative::No,
        )
        .map(|selector_list| {
            let simple = simple::compile(&selector_list);
            Matcher {
                selector_list,
                simple,
            }
        })
    }

    /// [`Self::match_element_with_caches`] for a node of a tree: the plain tests when the
    /// selector has them (same answer, without building a matching context per node).
    pub fn match_node(&self, node: &NodeRef, caches: &mut SelectorCaches) -> bool {
        match &self.simple {
            Some(compounds) => simple::matches(compounds, node),
            None => self.match_element_with_caches(node, caches),
        }
    }

    /// [`Self::match_node`] for a single node (caches are built only if the engine runs).
    pub fn match_node_once(&self, node: &NodeRef) -> bool {
        match &self.simple {
            Some(compounds) => simple::matches(compounds, node),
            None => self.match_element(node),
        }
    }

    /// The answer of the selector engine itself, whether or not the plain tests exist
    /// (for checking that they agree).
    #[doc(hidden)]
    pub fn match_node_by_engine(&self, node: &NodeRef) -> bool {
        let mut caches = context::SelectorCaches::default();
        self.match_element_with_caches(node, &mut caches)
    }

    #[doc(hidden)]
    pub fn has_plain_tests(&self) -> bool {
        self.simple.is_some()
    }

    /// Checks if an element matches Matcher's selection.
    pub fn match_element<E>(&self, element: &E) -> bool
    where
        E: Element<Impl = InnerSelector>,
    {
        let mut caches = context::SelectorCaches::default();
        self.match_element_with_caches(element, &mut caches)
    }

    /// Checks if an element matches Matcher's selection.
    pub fn match_element_with_caches<E>(&self, element: &E, caches: &mut SelectorCaches) -> bool
    where
        E: Element<Impl = InnerSelector>,
    {
        let mut ctx = get_matching_context(caches);
        matching::matches_selector_list(&self.selector_list, element, &mut ctx)
    }
}

pub struct DescendantMatches<'a, 'b> {
    iter: DescendantNodes<'a>,
    matcher: &'b Matcher,
    caches: SelectorCaches,
    tree: &'a Tree,
}

impl<'a, 'b> DescendantMatches<'a, 'b> {
    pub fn new(root_node: NodeRef<'a>, matcher: &'b Matcher) -> Self {
        // Optimized for single-root node scenario - no duplicate checking needed
        let tree = root_node.tree;
        Self {
            iter: tree.descendant_ids_of_it(&root_node.id),
            matcher,
            caches: SelectorCaches::default(),
            tree,
        }
    }
}

impl<'a> Iterator for DescendantMatches<'a, '_> {
    type Item = NodeRef<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // reprint patch 1: plain tests read the node through the walk's own borrow of
        // the tree.
        if let Some(compounds) = &self.matcher.simple {
            while let Some(node_id) = self.iter.next() {
                let hit = self.iter.node(&node_id).is_some_and(|n| {
                    n.is_element() && simple::matches_data(compounds, &n.data)
                });
                if hit {
                    return Some(NodeRef::new(node_id, self.tree));
                }
            }
            return None;
        }
        for node_id in self.iter.by_ref() {
            let node = NodeRef::new(node_id, self.tree);
            if !node.is_element() {
                continue;
            }
            if self.matcher.match_node(&node, &mut self.caches) {
                return Some(node);
            }
        }
        None
    }
}

pub struct Matches<'a, 'b> {
    nodes: Vec<NodeRef<'a>>,
    matcher: &'b Matcher,
    seen: BitSet,
    caches: SelectorCaches,
}

impl<'a, 'b> Matches<'a, 'b> {
    pub fn new<I: Iterator<Item = NodeRef<'a>>>(root_nodes: I, matcher: &'b Matcher) -> Self {
        // Used for multiple root nodes where duplicate checking is necessary
        let nodes = root_nodes
            .flat_map(|node| node.children_it(true).filter(|n| n.is_element()))
            .collect();

        Self {
            nodes,
            matcher,
            seen: BitSet::new(),
            caches: SelectorCaches::default(),
        }
    }
}

impl<'a> Iterator for Matches<'a, '_> {
    type Item = NodeRef<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(node) = self.nodes.pop() {
            if self.seen.contains(node.id.value) {
                continue;
            }
            self.nodes
                .extend(node.children_it(true).filter(|n| n.is_element()));

            if self.matcher.match_node(&node, &mut self.caches) {
                self.seen.insert(node.id.value);
                return Some(node);
            }
        }
        None
    }
}

pub(crate) struct InnerSelectorParser;

impl<'i> parser::Parser<'i> for InnerSelectorParser {
    type Impl = InnerSelector;
    type Error = parser::SelectorParseErrorKind<'i>;

    fn parse_is_and_where(&self) -> bool {
        true
    }

    fn parse_has(&self) -> bool {
        true
    }

    fn parse_non_ts_pseudo_class(
        &self,
        location: SourceLocation,
        name: CowRcStr<'i>,
    ) -> Result<NonTSPseudoClass, ParseError<'i, Self::Error>> {
        use self::NonTSPseudoClass::*;
        if name.eq_ignore_ascii_case("any-link") {
            Ok(AnyLink)
        } else if name.eq_ignore_ascii_case("link") {
            Ok(Link)
        } else if name.eq_ignore_ascii_case("visited") {
            Ok(Visited)
        } else if name.eq_ignore_ascii_case("active") {
            Ok(Active)
        } else if name.eq_ignore_ascii_case("focus") {
            Ok(Focus)
        } else if name.eq_ignore_ascii_case("hover") {
            Ok(Hover)
        } else if name.eq_ignore_ascii_case("enabled") {
            Ok(Enabled)
        } else if name.eq_ignore_ascii_case("disabled") {
            Ok(Disabled)
        } else if name.eq_ignore_ascii_case("checked") {
            Ok(Checked)
        } else if name.eq_ignore_ascii_case("indeterminate") {
            Ok(Indeterminate)
        } else if name.eq_ignore_ascii_case("only-text") {
            Ok(OnlyText)
        } else {
            Err(
                location.new_custom_error(SelectorParseErrorKind::UnsupportedPseudoClassOrElement(
                    name,
                )),
            )
        }
    }

    fn parse_non_ts_functional_pseudo_class<'t>(
        &self,
        name: CowRcStr<'i>,
        parser: &mut cssparser::Parser<'i, 't>,
        _after_part: bool,
    ) -> Result<<Self::Impl as parser::SelectorImpl>::NonTSPseudoClass, ParseError<'i, Self::Error>>
    {
        if name.eq_ignore_ascii_case("has-text") {
            let s = parser.expect_string()?.as_ref();
            Ok(NonTSPseudoClass::HasText(CssString::from(s)))
        } else if name.eq_ignore_ascii_case("contains") {
            {
                let s = parser.expect_string()?.as_ref();
                Ok(NonTSPseudoClass::Contains(CssString::from(s)))
            }
        } else {
            Err(
                parser.new_custom_error(SelectorParseErrorKind::UnsupportedPseudoClassOrElement(
                    name,
                )),
            )
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerSelector;

impl parser::SelectorImpl for InnerSelector {
    type ExtraMatchingData<'a> = ();
    type AttrValue = CssString;
    type Identifier = CssLocalName;
    type LocalName = CssLocalName;
    type NamespaceUrl = Namespace;
    type NamespacePrefix = CssLocalName;
    type BorrowedLocalName = CssLocalName;
    type BorrowedNamespaceUrl = Namespace;

    type NonTSPseudoClass = NonTSPseudoClass;
    type PseudoElement = PseudoElement;
}

/// Non-tree-structural pseudo-classes.
#[derive(PartialEq, Eq, Clone, Debug)]
pub enum NonTSPseudoClass {
    /// `:any-link` means one of the a, area, or link elements that has an href attribute.
    AnyLink,
    /// `:link` means same as `:any-link`
    Link,
    Visited,
    Active,
    Focus,
    Hover,
    Enabled,
    Disabled,
    Checked,
    Indeterminate,
    /// `:only-text` pseudo-class allows selecting a node with no child elements except a single **text** child node.
    OnlyText,
    /// `:has-text` pseudo-class represents a selection for the element or one of its descendant element that contains the specified text.
    HasText(CssString),
    /// `:contains` pseudo-class represents a selection for the element that contains the specified text (it's own text and text of all his descendant elements).
    Contains(CssString),
}

impl ToCss for NonTSPseudoClass {
    fn to_css<W>(&self, dest: &mut W) -> fmt::Result
    where
        W: fmt::Write,
    {
        match self {
            NonTSPseudoClass::AnyLink => dest.write_str(":any-link"),
            NonTSPseudoClass::Link => dest.write_str(":link"),
            NonTSPseudoClass::Visited => dest.write_str(":visited"),
            NonTSPseudoClass::Active => dest.write_str(":active"),
            NonTSPseudoClass::Focus => dest.write_str(":focus"),
            NonTSPseudoClass::Hover => dest.write_str(":hover"),
            NonTSPseudoClass::Enabled => dest.write_str(":enabled"),
            NonTSPseudoClass::Disabled => dest.write_str(":disabled"),
            NonTSPseudoClass::Checked => dest.write_str(":checked"),
            NonTSPseudoClass::Indeterminate => dest.write_str(":indeterminate"),
            NonTSPseudoClass::OnlyText => dest.write_str(":only-text"),
            NonTSPseudoClass::HasText(s) => {
                dest.write_str(":has-text(")?;
                s.to_css(dest)?;
                dest.write_str(")")
            }
            NonTSPseudoClass::Contains(s) => {
                dest.write_str(":contains(")?;
                s.to_css(dest)?;
                dest.write_str(")")
            }
        }
    }
}

impl parser::NonTSPseudoClass for NonTSPseudoClass {
    type Impl = InnerSelector;

    fn is_active_or_hover(&self) -> bool {
        false
    }

    fn is_user_action_state(&self) -> bool {
        false
    }
}

#[derive(Clone, Eq, PartialEq, Debug)]
pub struct PseudoElement;

impl ToCss for PseudoElement {
    fn to_css<W>(&self, dest: &mut W) -> fmt::Result
    where
        W: fmt::Write,
    {
        dest.write_str("")
    }
}

impl parser::PseudoElement for PseudoElement {
    type Impl = InnerSelector;

    fn accepts_state_pseudo_classes(&self) -> bool {
        false
    }

    fn valid_after_slotted(&self) -> bool {
        false
    }
}

fn get_matching_context(
    caches: &mut context::SelectorCaches,
) -> matching::MatchingContext<'_, InnerSelector> {
    let ctx = matching::MatchingContext::new(
        matching::MatchingMode::Normal,
        None,
        caches,
        matching::QuirksMode::NoQuirks,
        matching::NeedsSelectorFlags::No,
        context::MatchingForInvalidation::No,
    );
    ctx
}

/// reprint patch 1: plain tests for simple selectors.
///
/// Extraction code runs selector lists such as `[class*="share"], [id*="share"]` or
/// `time[datetime]` over whole documents. The selector engine builds a matching context
/// for every node and goes through its general machinery; for a list of compound
/// selectors made only of type, universal, id, class and no-namespace attribute
/// selectors, the same answer is a few comparisons on the element. Each test below
/// mirrors what `selectors::matching::matches_simple_selector` asks of `NodeRef` (this
/// crate's `selectors::Element` impl) for that component, in `NoQuirks` mode as
/// `get_matching_context` sets it; any other component (combinators, pseudo-classes,
/// namespaces...) leaves the selector to the engine.
mod simple {
    use std::sync::Arc;

    use html5ever::{local_name, ns, LocalName};
    use selectors::attr::{AttrSelectorOperator, CaseSensitivity, ParsedCaseSensitivity};
    use selectors::parser::{Component, SelectorList};

    use super::InnerSelector;
    use crate::css::CssString;
    use crate::node::{NodeData, NodeRef};

    /// One compound selector: every test must pass.
    pub(super) type Compound = Box<[Test]>;

    pub(super) enum Test {
        /// `*`: true for any node.
        Any,
        /// A type selector; `lower` is used on HTML elements.
        Name { name: LocalName, lower: LocalName },
        /// `#id`: any attribute named `id` whose value equals it (case-sensitive).
        Id(LocalName),
        /// `.class`: the first `class` attribute has it as a word (case-sensitive).
        Class(LocalName),
        /// `[name]`: an attribute in no namespace with that name (`lower` on HTML
        /// elements).
        HasAttr { name: LocalName, lower: LocalName },
        /// `[name op value]` for a lowercase name, in no namespace.
        AttrValue {
            name: LocalName,
            operator: AttrSelectorOperator,
            value: CssString,
            case: ParsedCaseSensitivity,
        },
    }

    impl std::fmt::Debug for Test {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Test::Any => f.write_str("*"),
                Test::Name { name, .. } => write!(f, "{name}"),
                Test::Id(id) => write!(f, "#{id}"),
                Test::Class(class) => write!(f, ".{class}"),
                Test::HasAttr { name, .. } => write!(f, "[{name}]"),
                Test::AttrValue { name, value, .. } => write!(f, "[{name} op {:?}]", &**value),
            }
        }
    }

    /// The plain tests of `list`, if every selector in it is one compound of the
    /// components above.
    pub(super) fn compile(list: &SelectorList<InnerSelector>) -> Option<Arc<[Compound]>> {
        let mut compounds = Vec::with_capacity(list.len());
        for selector in list.slice() {
            let mut tests = Vec::new();
            for component in selector.iter_raw_match_order() {
                tests.push(match component {
                    Component::ExplicitUniversalType | Component::ExplicitAnyNamespace => {
                        Test::Any
                    }
                    Component::LocalName(n) => Test::Name {
                        name: (*n.name).clone(),
                        lower: (*n.lower_name).clone(),
                    },
                    Component::ID(id) => Test::Id((**id).clone()),
                    Component::Class(class) => Test::Class((**class).clone()),
                    Component::AttributeInNoNamespaceExists {
                        local_name,
                        local_name_lower,
                    } => Test::HasAttr {
                        name: (**local_name).clone(),
                        lower: (**local_name_lower).clone(),
                    },
                    Component::AttributeInNoNamespace {
                        local_name,
                        operator,
                        value,
                        case_sensitivity,
                    } => Test::AttrValue {
                        name: (**local_name).clone(),
                        operator: *operator,
                        value: value.clone(),
                        case: *case_sensitivity,
                    },
                    _ => return None,
                });
            }
            compounds.push(tests.into_boxed_slice());
        }
        Some(compounds.into())
    }

    /// Whether `node` matches any of the compounds.
    pub(super) fn matches(compounds: &[Compound], node: &NodeRef) -> bool {
        node.query_or(false, |n| matches_data(compounds, &n.data))
    }

    /// [`matches`] on a node's data.
    pub(super) fn matches_data(compounds: &[Compound], data: &NodeData) -> bool {
        match data {
            NodeData::Element(e) => {
                // `is_html_element_in_html_document`.
                let html = e.name.ns == ns!(html);
                compounds.iter().any(|tests| {
                    tests.iter().all(|test| match test {
                        Test::Any => true,
                        Test::Name { name, lower } => {
                            // `select_name`, then `has_local_name`.
                            let wanted = if name == lower || html { lower } else { name };
                            e.name.local == *wanted
                        }
                        Test::Id(id) => e.attrs.iter().any(|a| {
                            a.name.local == local_name!("id")
                                && CaseSensitivity::CaseSensitive
                                    .eq(id.as_bytes(), a.value.as_bytes())
                        }),
                        Test::Class(class) => {
                            e.has_class_bytes(class.as_bytes(), CaseSensitivity::CaseSensitive)
                        }
                        Test::HasAttr { name, lower } => {
                            let wanted = if name == lower || html { lower } else { name };
                            e.attrs
                                .iter()
                                .any(|a| a.name.ns == ns!() && a.name.local == *wanted)
                        }
                        Test::AttrValue {
                            name,
                            operator,
                            value,
                            case,
                        } => {
                            // `to_unconditional_case_sensitivity`.
                            let case = match case {
                                ParsedCaseSensitivity::CaseSensitive
                                | ParsedCaseSensitivity::ExplicitCaseSensitive => {
                                    CaseSensitivity::CaseSensitive
                                }
                                ParsedCaseSensitivity::AsciiCaseInsensitive => {
                                    CaseSensitivity::AsciiCaseInsensitive
                                }
                                ParsedCaseSensitivity::AsciiCaseInsensitiveIfInHtmlElementInHtmlDocument => {
                                    if html {
                                        CaseSensitivity::AsciiCaseInsensitive
                                    } else {
                                        CaseSensitivity::CaseSensitive
                                    }
                                }
                            };
                            e.attrs.iter().any(|a| {
                                a.name.ns == ns!()
                                    && a.name.local == *name
                                    && operator.eval_str(&a.value, value.as_ref(), case)
                            })
                        }
                    })
                })
            }
            // Only `*` matches a node that is not an element.
            _ => compounds
                .iter()
                .any(|tests| tests.iter().all(|test| matches!(test, Test::Any))),
        }
    }
}
use simple::Compound;
