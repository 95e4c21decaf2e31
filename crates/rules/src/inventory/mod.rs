//! Static extraction of the MCP surface: the tools, prompts, resources and server
//! instructions a file declares, per SDK.
//!
//! | module | SDK patterns |
//! |---|---|
//! | [`js`] | TypeScript SDK (`server.tool`, `registerTool`, `registerPrompt`, `registerResource`, `setRequestHandler(ListToolsRequestSchema, …)`), FastMCP TS (`addTool`) |
//! | [`python`] | FastMCP (`@mcp.tool()`, `@mcp.prompt()`, `@mcp.resource()`), low-level `@server.list_tools()` returning `Tool(...)` |
//! | [`go`] | mcp-go (`mcp.NewTool(…, mcp.WithDescription(…))`), the official Go SDK (`mcp.AddTool(server, &mcp.Tool{…}, h)`) |

pub mod bindings;
pub mod common;
pub mod escapes;
pub mod go;
pub mod js;
pub mod python;
pub mod static_string;

use assay_core::Inventory;

use crate::lang::Language;
use crate::registry::FileContext;

/// A cheap prefilter: false when `text` cannot declare any MCP surface, so the file need
/// not be parsed for extraction. Parsing costs far more than scanning (tree-sitter runs at
/// a few MB/s), and most files of a package declare nothing.
pub fn might_declare(language: Language, text: &str) -> bool {
    match language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => js::might_declare(text),
        Language::Python | Language::Go => common::mentions_mcp(text),
        Language::Other => false,
    }
}

/// Extracts what `file` declares. Files without a syntax tree declare nothing.
pub fn extract(file: &FileContext<'_>) -> Inventory {
    let Some(tree) = file.tree else {
        return Inventory::default();
    };
    match file.language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => js::extract(file, tree),
        Language::Python => python::extract(file, tree),
        Language::Go => go::extract(file, tree),
        Language::Other => Inventory::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_that_can_declare_surface_are_parsed() {
        let js = Language::JavaScript;
        assert!(might_declare(js, r#"server.tool("a", "d", {}, cb)"#));
        assert!(might_declare(js, r#"e.registerTool("a",{},cb)"#));
        assert!(might_declare(
            js,
            "s.setRequestHandler(X, async () => ({ tools }))"
        ));
        assert!(might_declare(
            js,
            r#"new FastMCP({ name: "x", instructions: "…" })"#
        ));
        assert!(!might_declare(
            js,
            "export const toolbar = { resourceId: 1, prompt: 'Name?' };"
        ));
        assert!(might_declare(
            Language::Python,
            "from mcp.server.fastmcp import FastMCP"
        ));
        assert!(!might_declare(
            Language::Python,
            "def tool(x):\n    return x\n"
        ));
        assert!(might_declare(
            Language::Go,
            "import \"github.com/mark3labs/mcp-go/mcp\""
        ));
        assert!(!might_declare(Language::Other, "server.tool(\"a\")"));
    }
}
