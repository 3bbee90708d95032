//! reprint patch 8: per-thread memos of pure predicates over class and id names.
//!
//! Several passes ask the same questions of the same names (a page repeats its class
//! names on many elements): whether a name is boilerplate, always excluded, and so on.
//! Each answer depends only on the name (and, for one predicate, on a per-thread flag
//! that selects its own memo), so it is kept per thread. A memo holds at most
//! `MAX_NAMES` names, then starts over, so memory stays bounded on any input.

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

const MAX_NAMES: usize = 1 << 14;

/// One predicate's answers by name. foldhash rather than the standard SipHash: names are
/// short and looked up constantly; its per-process random seed still keeps a page from
/// choosing colliding names.
pub(crate) type Memo = RefCell<HashMap<String, bool, foldhash::fast::RandomState>>;

/// `predicate(name)`, from `memo` when it was asked before on this thread.
pub(crate) fn memoized(memo: &'static LocalKey<Memo>, name: &str, predicate: impl FnOnce(&str) -> bool) -> bool {
    if let Some(known) = memo.with(|m| m.borrow().get(name).copied()) {
        return known;
    }
    let answer = predicate(name);
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_NAMES {
            m.clear();
        }
        m.insert(name.to_owned(), answer);
    });
    answer
}
