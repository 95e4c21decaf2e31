//! Static extraction of the MCP surface: the tools, prompts, resources and server
//! instructions a file declares, per SDK.
//!
//! | module | SDK patterns |
//! |---|---|
//! | [`js`] | TypeScript SDK (`server.tool`, `registerTool`, `registerPrompt`, `registerResource`, `setRequestHandler(ListToolsRequestSchema, …)`), FastMCP TS (`addTool`) |
//! | [`python`] | FastMCP (`@mcp.tool()`, `@mcp.prompt()`, `@mcp.resource()`), low-level `@server.list_tools()` returning `Tool(...)` |
//! | [`go`] | mcp-go (`mcp.NewTool(…, mcp.WithDescription(…))`), the official Go SDK (`mcp.AddTool(server, &mcp.Tool{…}, h)`) |

pub mod common;
pub mod go;
pub mod js;
pub mod python;

use assay_core::Inventory;

use crate::lang::Language;
use crate::registry::FileContext;

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
