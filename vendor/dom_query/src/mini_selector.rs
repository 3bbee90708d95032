mod extension;
mod parser;
mod selector;

pub use parser::{parse_mini_selector, parse_selector_list};
pub use selector::MiniSelector;
