use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Location;

/// What an MCP server exposes to an agent, found statically.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inventory {
    /// Tools (`tools/list`).
    pub tools: Vec<Tool>,
    /// Prompts (`prompts/list`).
    pub prompts: Vec<Prompt>,
    /// Resources and resource templates (`resources/list`).
    pub resources: Vec<Resource>,
    /// Server-level `instructions` strings sent at initialisation.
    pub instructions: Vec<Instructions>,
}

impl Inventory {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
            && self.prompts.is_empty()
            && self.resources.is_empty()
            && self.instructions.is_empty()
    }

    /// Appends everything from `other`.
    pub fn extend(&mut self, other: Inventory) {
        self.tools.extend(other.tools);
        self.prompts.extend(other.prompts);
        self.resources.extend(other.resources);
        self.instructions.extend(other.instructions);
    }

    /// Sorts every list by (location, name) so reports are deterministic.
    pub fn sort(&mut self) {
        self.tools
            .sort_by(|a, b| (&a.location, &a.name).cmp(&(&b.location, &b.name)));
        self.prompts
            .sort_by(|a, b| (&a.location, &a.name).cmp(&(&b.location, &b.name)));
        self.resources
            .sort_by(|a, b| (&a.location, &a.name).cmp(&(&b.location, &b.name)));
        self.instructions
            .sort_by(|a, b| a.location.cmp(&b.location));
    }
}

/// The kind of surface item a finding or document is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SurfaceKind {
    /// A tool.
    Tool,
    /// A prompt.
    Prompt,
    /// A resource or resource template.
    Resource,
    /// Server instructions.
    Instructions,
}

/// MCP tool annotations (`ToolAnnotations`), as declared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Annotations {
    /// Human title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `readOnlyHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    /// `destructiveHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    /// `idempotentHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    /// `openWorldHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

impl Annotations {
    /// True when no hint was declared.
    pub fn is_empty(&self) -> bool {
        *self == Annotations::default()
    }
}

/// A parameter of a tool or an argument of a prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Parameter {
    /// Parameter name.
    pub name: String,
    /// Declared type (`string`, `number`, `boolean`, `object`, `array`, … or the source
    /// language's type name when that is all there is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Description shown to the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the parameter is required.
    pub required: bool,
    /// Default value, rendered as source text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Allowed values when the parameter is an enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
}

/// A tool the server declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// Tool name as the agent sees it.
    pub name: String,
    /// Description shown to the model (constants, concatenations and template literals
    /// resolved where the data is literal; unresolved parts appear as `${…}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Input parameters.
    pub parameters: Vec<Parameter>,
    /// Declared annotations.
    #[serde(default, skip_serializing_if = "Annotations::is_empty")]
    pub annotations: Annotations,
    /// Which SDK pattern declared it, e.g. `ts-sdk`, `fastmcp-py`, `mcp-go`.
    pub sdk: String,
    /// Where the declaration is.
    pub location: Location,
    /// Where the handler function is, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<Location>,
}

/// A prompt the server declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Prompt {
    /// Prompt name.
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Arguments.
    pub arguments: Vec<Parameter>,
    /// Literal template text the prompt returns, when statically known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Which SDK pattern declared it.
    pub sdk: String,
    /// Where the declaration is.
    pub location: Location,
    /// Where the handler function is, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<Location>,
}

/// A resource or resource template the server declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Resource {
    /// Resource name.
    pub name: String,
    /// URI or URI template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// MIME type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Which SDK pattern declared it.
    pub sdk: String,
    /// Where the declaration is.
    pub location: Location,
    /// Where the handler function is, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<Location>,
}

/// Server-level instructions (sent to the client at `initialize`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Instructions {
    /// The text.
    pub text: String,
    /// Where it is declared.
    pub location: Location,
}
