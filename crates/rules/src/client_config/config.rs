//! MCP client configuration files and their server entries, across clients: Claude
//! Desktop and Claude Code (`claude_desktop_config.json`, `.mcp.json`, `.claude.json`
//! with per-project servers), Cursor and Windsurf (`.cursor/mcp.json`,
//! `mcp_config.json`), VS Code (`.vscode/mcp.json` with `servers`, or `mcp.servers` in
//! `settings.json`), Zed (`context_servers`), Gemini CLI (`.gemini/settings.json`),
//! Cline and Roo Code (`cline_mcp_settings.json`, `mcp_settings.json`), Continue (JSON
//! configs, `experimental.modelContextProtocolServers`), and any `*mcp*.json` holding
//! `mcpServers`. JSONC comments and trailing commas are accepted.

use std::ops::Range;

use crate::container::shell;
use crate::manifest::jsonc::{self, Member, Node};
use crate::registry::FileContext;

/// Configuration files larger than this are not read.
const MAX_CONFIG_BYTES: usize = 4 * 1024 * 1024;

/// One server entry of a client configuration.
#[derive(Debug, Clone)]
pub struct Server<'a> {
    /// The server's name (its key, or its `name` field in list forms).
    pub name: String,
    /// Where the entry is named: its key, or the entry itself in list forms.
    pub name_span: Range<usize>,
    /// The entry object.
    pub entry: &'a Node,
    /// The launch object: the entry, or its `transport` / `command` object.
    launch: &'a Node,
}

/// A word of the command line with the span of the JSON string it comes from.
#[derive(Debug, Clone)]
pub struct Word {
    /// The word.
    pub text: String,
    /// The span of its JSON string.
    pub span: Range<usize>,
}

impl<'a> Server<'a> {
    /// The `command` string node (Zed's `command.path` included).
    pub fn command(&self) -> Option<&'a Node> {
        self.launch
            .get("command")
            .filter(|c| c.as_str().is_some())
            .or_else(|| self.launch.get("path"))
            .filter(|c| c.as_str().is_some())
    }

    /// The command line: the command (split into words when it holds a whole command
    /// line) followed by `args`.
    pub fn argv(&self) -> Vec<Word> {
        let mut out = Vec::new();
        if let Some(command) = self.command()
            && let Some(text) = command.as_str()
        {
            let words: Vec<String> = if text.contains(char::is_whitespace) && !looks_like_path(text)
            {
                shell::parse(text)
                    .into_iter()
                    .flat_map(|p| p.commands)
                    .flat_map(|c| c.words)
                    .collect()
            } else {
                vec![text.to_string()]
            };
            out.extend(words.into_iter().map(|text| Word {
                text,
                span: command.span.clone(),
            }));
        }
        if let Some(args) = self.launch.get("args") {
            out.extend(args.items().iter().filter_map(|a| {
                Some(Word {
                    text: a.as_str()?.to_string(),
                    span: a.span.clone(),
                })
            }));
        }
        out
    }

    /// The `env` members.
    pub fn env(&self) -> &'a [Member] {
        self.launch
            .get("env")
            .or_else(|| self.entry.get("env"))
            .map_or(&[], Node::members)
    }

    /// The HTTP `headers` members.
    pub fn headers(&self) -> &'a [Member] {
        self.launch
            .get("headers")
            .or_else(|| self.entry.get("headers"))
            .map_or(&[], Node::members)
    }

    /// The remote server URL (`url`, `serverUrl`, `httpUrl`, `uri`).
    pub fn url(&self) -> Option<&'a Node> {
        ["url", "serverUrl", "httpUrl", "uri"]
            .iter()
            .find_map(|k| self.launch.get(k).or_else(|| self.entry.get(k)))
            .filter(|n| n.as_str().is_some())
    }
}

/// A Windows path with spaces (`C:\Program Files\…\node.exe`) is a program, not a
/// command line.
fn looks_like_path(text: &str) -> bool {
    text.get(1..3) == Some(":\\") && !text.contains(" -")
}

/// A parsed client configuration.
pub struct ClientConfig {
    /// The document.
    pub root: Node,
}

impl ClientConfig {
    /// Every server entry, in document order.
    pub fn servers(&self) -> Vec<Server<'_>> {
        let mut out = Vec::new();
        let root = &self.root;
        collect(root.get("mcpServers"), &mut out);
        collect(root.get("context_servers"), &mut out);
        collect(root.get("servers"), &mut out);
        collect(root.get("mcp").and_then(|m| m.get("servers")), &mut out);
        collect(root.get("mcp.servers"), &mut out);
        collect(
            root.get("experimental")
                .and_then(|e| e.get("modelContextProtocolServers")),
            &mut out,
        );
        for project in root.get("projects").map(Node::members).unwrap_or_default() {
            collect(project.value.get("mcpServers"), &mut out);
        }
        out.sort_by_key(|s| s.name_span.start);
        out
    }
}

/// Adds the servers of a `{name: entry}` object or an `[entry]` list.
fn collect<'a>(container: Option<&'a Node>, out: &mut Vec<Server<'a>>) {
    let Some(container) = container else {
        return;
    };
    for member in container.members() {
        if member.value.is_object() {
            out.push(server(
                member.key.clone(),
                member.key_span.clone(),
                &member.value,
            ));
        }
    }
    for (i, item) in container.items().iter().enumerate() {
        if item.is_object() {
            let name = item
                .get("name")
                .and_then(Node::as_str)
                .map_or_else(|| format!("#{}", i + 1), str::to_string);
            out.push(server(name, item.span.clone(), item));
        }
    }
}

fn server(name: String, name_span: Range<usize>, entry: &Node) -> Server<'_> {
    let launch = entry
        .get("transport")
        .filter(|t| t.is_object())
        .or_else(|| entry.get("command").filter(|c| c.is_object()))
        .unwrap_or(entry);
    Server {
        name,
        name_span,
        entry,
        launch,
    }
}

/// Directories whose `settings.json` can hold MCP servers or approval settings.
const SETTINGS_DIRS: &[&str] = &[
    ".zed", "zed", ".gemini", ".vscode", ".claude", ".cursor", "user",
];

/// True when `path` names an MCP client configuration file.
pub fn is_client_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or("");
    let parent = parts.next().unwrap_or("");
    let json = name.ends_with(".json") || name.ends_with(".jsonc");
    json && (name.contains("mcp")
        || name == "claude_desktop_config.json"
        || name == ".claude.json"
        || (matches!(name, "settings.json" | "settings.local.json")
            && SETTINGS_DIRS.contains(&parent))
        || (parent == ".continue" && name.starts_with("config.")))
}

/// Reads `file` as a client configuration, when it is one.
pub fn read(file: &FileContext<'_>) -> Option<ClientConfig> {
    if !is_client_config(file.path) || file.text.len() > MAX_CONFIG_BYTES {
        return None;
    }
    let root = jsonc::parse(file.text)?;
    root.is_object().then_some(ClientConfig { root })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lang::Language;

    fn servers_of(path: &str, text: &str) -> Vec<(String, Vec<String>)> {
        let file = FileContext::new(path, text, Language::Other, None);
        let config = read(&file).expect("a client config");
        config
            .servers()
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.argv().into_iter().map(|w| w.text).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_each_clients_layout() {
        assert_eq!(
            servers_of(
                ".cursor/mcp.json",
                "{\"mcpServers\": {\"a\": {\"command\": \"npx\", \"args\": [\"-y\", \"x\"]}}}"
            ),
            vec![(
                "a".to_string(),
                vec!["npx".to_string(), "-y".into(), "x".into()]
            )]
        );
        assert_eq!(
            servers_of(
                ".vscode/mcp.json",
                "{\n // c\n \"servers\": {\"b\": {\"type\": \"stdio\", \"command\": \"uvx pkg\",},},}"
            ),
            vec![("b".to_string(), vec!["uvx".to_string(), "pkg".into()])]
        );
        assert_eq!(
            servers_of(
                ".zed/settings.json",
                "{\"context_servers\": {\"z\": {\"command\": {\"path\": \"node\", \"args\": [\"s.js\"]}}}}"
            ),
            vec![("z".to_string(), vec!["node".to_string(), "s.js".into()])]
        );
        assert_eq!(
            servers_of(
                ".continue/config.json",
                "{\"experimental\": {\"modelContextProtocolServers\": [{\"transport\": {\"type\": \"stdio\", \"command\": \"uvx\", \"args\": [\"m\"]}}]}}"
            ),
            vec![("#1".to_string(), vec!["uvx".to_string(), "m".into()])]
        );
        assert_eq!(
            servers_of(
                "home/.claude.json",
                "{\"projects\": {\"/w\": {\"mcpServers\": {\"p\": {\"command\": \"docker\"}}}}}"
            ),
            vec![("p".to_string(), vec!["docker".to_string()])]
        );
        assert!(!is_client_config("package.json"));
        assert!(!is_client_config("src/settings.json"));
        assert!(is_client_config("claude_desktop_config.json"));
    }
}
