//! Which packages a source file imports, read from the text (no parse needed): npm
//! package names from `import … from '…'`, `import '…'`, `require('…')` and
//! `import('…')`; top-level Python modules from `import a.b` and `from a.b import c`;
//! Go import paths. Relative imports and Node built-ins are left out. This feeds the
//! reachability hint of dependency findings: whether a file that declares MCP tools uses
//! the affected package.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::lang::Language;

/// The packages `text` imports, sorted and deduplicated.
pub fn imported_packages(language: Language, text: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    match language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            for caps in js_pattern().captures_iter(text) {
                if let Some(name) = caps.get(1).and_then(|m| npm_package(m.as_str())) {
                    out.insert(name);
                }
            }
        }
        Language::Python => {
            for caps in python_pattern().captures_iter(text) {
                let module = caps
                    .get(1)
                    .or_else(|| caps.get(2))
                    .map_or("", |m| m.as_str());
                if let Some(top) = module.split('.').next().filter(|t| !t.is_empty()) {
                    out.insert(top.to_string());
                }
            }
        }
        Language::Go => {
            for caps in go_pattern().captures_iter(text) {
                out.insert(caps[1].to_string());
            }
        }
        _ => {}
    }
    out.into_iter().collect()
}

/// The package a module specifier names: `@scope/name/sub` → `@scope/name`,
/// `name/sub` → `name`; `None` for relative paths, URLs and Node built-ins.
fn npm_package(specifier: &str) -> Option<String> {
    if specifier.starts_with(['.', '/']) || specifier.contains(':') || specifier.is_empty() {
        return None;
    }
    let mut parts = specifier.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') {
        format!("{first}/{}", parts.next()?)
    } else {
        first.to_string()
    };
    (!is_node_builtin(&name)).then_some(name)
}

fn is_node_builtin(name: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "assert",
        "buffer",
        "child_process",
        "cluster",
        "crypto",
        "dgram",
        "dns",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "module",
        "net",
        "os",
        "path",
        "process",
        "querystring",
        "readline",
        "stream",
        "string_decoder",
        "timers",
        "tls",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "worker_threads",
        "zlib",
    ];
    BUILTINS.contains(&name)
}

fn js_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r#"(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'\n]{1,214})["']"#)
            .expect("valid pattern")
    })
}

fn python_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?m)^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([A-Za-z_][\w.]*))")
            .expect("valid pattern")
    })
}

fn go_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    // Quoted paths with a dot in the first element are module imports (the standard
    // library's have none).
    PATTERN.get_or_init(|| {
        Regex::new(r#"(?m)^\s*(?:import\s+)?(?:[\w.]+\s+)?"([a-z0-9.-]+\.[a-z]+/[^"\s]+)""#)
            .expect("valid pattern")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_imports() {
        let text = r#"
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import fs from 'node:fs';
            import path from "path";
            const axios = require('axios');
            const local = require("./local");
            const lazy = await import("undici");
            import "dotenv/config";
        "#;
        assert_eq!(
            imported_packages(Language::TypeScript, text),
            ["@modelcontextprotocol/sdk", "axios", "dotenv", "undici"]
        );
    }

    #[test]
    fn python_imports() {
        let text = "import os\nfrom mcp.server.fastmcp import FastMCP\nimport yaml, json\n    from httpx import AsyncClient\nx = 'from fake import y'\n";
        assert_eq!(
            imported_packages(Language::Python, text),
            ["httpx", "mcp", "os", "yaml"]
        );
    }

    #[test]
    fn go_imports() {
        let text = "import (\n\t\"fmt\"\n\t\"github.com/mark3labs/mcp-go/server\"\n\tmcp \"github.com/mark3labs/mcp-go/mcp\"\n)\n";
        assert_eq!(
            imported_packages(Language::Go, text),
            [
                "github.com/mark3labs/mcp-go/mcp",
                "github.com/mark3labs/mcp-go/server"
            ]
        );
    }
}
