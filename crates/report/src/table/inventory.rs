//! The inventory section of the terminal report: what the server exposes to an agent.

use std::fmt::Write as _;

use assay_core::{Annotations, Inventory, Location, Parameter};

use super::layout::{WIDTH, heading, wrapped};
use crate::facts::location_label;
use crate::style::{Painter, Tone};
use crate::text::{one_line, truncate};

/// Longest description shown (characters); the JSON report holds the full text.
const DESCRIPTION_CHARS: usize = 400;
/// Longest parameter description shown.
const PARAMETER_CHARS: usize = 160;
/// Parameters listed per tool or prompt.
const MAX_PARAMETERS: usize = 30;
/// Indent of an item's details.
const DETAIL_INDENT: usize = 8;

/// `n noun(s)`.
fn plural(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Writes the inventory section.
pub(super) fn section(out: &mut String, inventory: &Inventory, painter: Painter) {
    if inventory.is_empty() {
        heading(
            out,
            painter,
            "Inventory — no tools, prompts, resources or instructions found",
        );
        return;
    }
    let summary = format!(
        "Inventory — {}, {}, {}, {}",
        plural(inventory.tools.len(), "tool", "tools"),
        plural(inventory.prompts.len(), "prompt", "prompts"),
        plural(inventory.resources.len(), "resource", "resources"),
        plural(inventory.instructions.len(), "instructions", "instructions"),
    );
    heading(out, painter, &summary);

    if !inventory.tools.is_empty() {
        let _ = writeln!(out, "  Tools");
        for tool in &inventory.tools {
            item_line(
                out,
                painter,
                &tool.name,
                &tool.sdk,
                &tool.location,
                tool.handler.as_ref(),
            );
            description(out, tool.description.as_deref());
            parameters(out, &tool.parameters);
            annotations(out, &tool.annotations);
        }
    }
    if !inventory.prompts.is_empty() {
        let _ = writeln!(out, "  Prompts");
        for prompt in &inventory.prompts {
            let handler = prompt.handler.as_ref();
            item_line(
                out,
                painter,
                &prompt.name,
                &prompt.sdk,
                &prompt.location,
                handler,
            );
            description(out, prompt.description.as_deref());
            parameters(out, &prompt.arguments);
            if let Some(template) = &prompt.template {
                detail(
                    out,
                    &format!("template: {}", one_line(template, DESCRIPTION_CHARS)),
                );
            }
        }
    }
    if !inventory.resources.is_empty() {
        let _ = writeln!(out, "  Resources");
        for resource in &inventory.resources {
            let handler = resource.handler.as_ref();
            item_line(
                out,
                painter,
                &resource.name,
                &resource.sdk,
                &resource.location,
                handler,
            );
            let mut facts = Vec::new();
            if let Some(uri) = &resource.uri {
                facts.push(format!("uri {}", one_line(uri, PARAMETER_CHARS)));
            }
            if let Some(mime) = &resource.mime_type {
                facts.push(format!("type {}", one_line(mime, 80)));
            }
            if !facts.is_empty() {
                detail(out, &facts.join(" · "));
            }
            description(out, resource.description.as_deref());
        }
    }
    if !inventory.instructions.is_empty() {
        let _ = writeln!(out, "  Instructions");
        for instructions in &inventory.instructions {
            let _ = writeln!(
                out,
                "    {}",
                one_line(&location_label(&instructions.location), WIDTH)
            );
            description(out, Some(&instructions.text));
        }
    }
}

/// `name  (sdk, location, handler …)`.
fn item_line(
    out: &mut String,
    painter: Painter,
    name: &str,
    sdk: &str,
    location: &Location,
    handler: Option<&Location>,
) {
    let mut where_ = vec![
        one_line(sdk, 40),
        one_line(&location_label(location), WIDTH),
    ];
    if let Some(handler) = handler {
        where_.push(format!(
            "handler {}",
            one_line(&location_label(handler), WIDTH)
        ));
    }
    let _ = writeln!(
        out,
        "    {}  ({})",
        painter.paint(Tone::Bold, &one_line(name, 80)),
        where_.join(", ")
    );
}

/// One indented detail line, wrapped.
fn detail(out: &mut String, text: &str) {
    for line in wrapped(text, DETAIL_INDENT, 0) {
        let _ = writeln!(out, "{}{line}", " ".repeat(DETAIL_INDENT));
    }
}

/// The description, flattened and truncated.
fn description(out: &mut String, description: Option<&str>) {
    if let Some(text) = description.filter(|d| !d.trim().is_empty()) {
        detail(out, &one_line(text, DESCRIPTION_CHARS));
    }
}

/// One line per parameter: `• name: type, required, default x, one of a|b — description`,
/// for the first [`MAX_PARAMETERS`].
fn parameters(out: &mut String, parameters: &[Parameter]) {
    for parameter in parameters.iter().take(MAX_PARAMETERS) {
        let mut line = format!("• {}", one_line(&parameter.name, 60));
        if let Some(ty) = &parameter.ty {
            let _ = write!(line, ": {}", one_line(ty, 40));
        }
        if parameter.required {
            line.push_str(", required");
        }
        if let Some(default) = &parameter.default {
            let _ = write!(line, ", default {}", one_line(default, 40));
        }
        if !parameter.enum_values.is_empty() {
            let values = parameter.enum_values.join("|");
            let _ = write!(line, ", one of {}", one_line(&values, 80));
        }
        if let Some(description) = parameter.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = write!(line, " — {}", one_line(description, PARAMETER_CHARS));
        }
        detail(out, &truncate(&line, DESCRIPTION_CHARS));
    }
    if parameters.len() > MAX_PARAMETERS {
        let more = parameters.len() - MAX_PARAMETERS;
        detail(out, &format!("… and {more} more parameters"));
    }
}

/// The declared annotations, if any.
fn annotations(out: &mut String, annotations: &Annotations) {
    if annotations.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if let Some(title) = &annotations.title {
        parts.push(format!("title \"{}\"", one_line(title, 80)));
    }
    let hints = [
        ("readOnlyHint", annotations.read_only_hint),
        ("destructiveHint", annotations.destructive_hint),
        ("idempotentHint", annotations.idempotent_hint),
        ("openWorldHint", annotations.open_world_hint),
    ];
    for (name, value) in hints {
        if let Some(value) = value {
            parts.push(format!("{name}={value}"));
        }
    }
    detail(out, &format!("annotations: {}", parts.join(", ")));
}
