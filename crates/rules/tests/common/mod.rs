//! Helpers shared by the surface-extraction tests: parse and extract a source or a
//! fixture under `fixtures/inventory/`, look tools up, list names and parameters.

#![allow(dead_code)] // each test binary uses a different subset

use assay_core::{Inventory, Tool};
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::{FileContext, inventory};

/// Extracts the inventory of `source`, parsed as the language of `path`.
pub fn extract_source(path: &str, source: &str) -> Inventory {
    let language = Language::from_path(path);
    let tree = lang::parse(language, source, &ParseBudget::default()).expect("source parses");
    let file = FileContext::new(path, source, language, Some(&tree));
    inventory::extract(&file)
}

/// The text of fixture `name` under `tests/fixtures/inventory/{language}/`.
pub fn fixture(language: &str, name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/inventory/{language}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("fixture exists")
}

/// The tool named `name`; panics with the names there are when it is missing.
pub fn tool<'i>(inventory: &'i Inventory, name: &str) -> &'i Tool {
    inventory
        .tools
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("tool {name} not found in {:?}", tool_names(inventory)))
}

/// The tool names, in inventory order.
pub fn tool_names(inventory: &Inventory) -> Vec<&str> {
    inventory.tools.iter().map(|t| t.name.as_str()).collect()
}

/// The tool names, sorted.
pub fn sorted_tool_names(inventory: &Inventory) -> Vec<&str> {
    let mut names = tool_names(inventory);
    names.sort_unstable();
    names
}

/// `(name, type or "", required)` of each parameter of `tool`.
pub fn typed_params(tool: &Tool) -> Vec<(&str, &str, bool)> {
    tool.parameters
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref().unwrap_or(""), p.required))
        .collect()
}

/// `(name, required)` of each parameter of `tool`.
pub fn required_params(tool: &Tool) -> Vec<(&str, bool)> {
    tool.parameters
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect()
}
