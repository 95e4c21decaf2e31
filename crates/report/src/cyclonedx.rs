//! CycloneDX 1.6 JSON: a software bill of materials of what was scanned.
//!
//! - `metadata.component`: the scanned package (name, version, package URL and the
//!   digest its artifact was verified against, Assay's score and grade as properties);
//! - `components`: every resolved dependency (`library`), with its package URL, scope
//!   (`required`, `optional`, `excluded` for development-only), where it was declared and
//!   whether it is direct, and a `vcs`/`distribution` reference for git and URL sources;
//! - `services`: the MCP server, with one nested service per tool, prompt and resource
//!   (kind, parameters, resource URI and MIME type as `mcp:` properties) — the surface an
//!   agent gets;
//! - `dependencies`: the package's direct dependencies;
//! - `vulnerabilities`: the matched OSV advisories (ratings from their CVSS vectors,
//!   affected components, first fixed version).
//!
//! The document is deterministic: the serial number derives from the snapshot digest and
//! every list keeps the report's order.

use std::collections::BTreeSet;

use assay_core::{
    AdvisoryMatch, DependencySource, Inventory, Parameter, Report, ResolvedDependency,
    osv_ecosystem, package_url,
};
use serde_json::{Value, json};

/// Renders `report` as a CycloneDX 1.6 JSON document.
pub fn render(report: &Report) -> String {
    let root_ref = "assay:scanned-package";
    let mut seen = BTreeSet::new();
    let components: Vec<Value> = report
        .dependencies
        .iter()
        .filter(|d| seen.insert(bom_ref(d)))
        .map(component)
        .collect();
    let direct: BTreeSet<String> = report
        .dependencies
        .iter()
        .filter(|d| d.direct)
        .map(bom_ref)
        .collect();
    let mut bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(&report.target.digest),
        "version": 1,
        "metadata": {
            "timestamp": report.generated_at,
            "tools": {"components": [{
                "type": "application",
                "name": report.tool.name,
                "version": report.tool.version,
            }]},
            "component": root_component(report, root_ref),
        },
        "components": components,
        "services": [server_service(report)],
        "dependencies": [{"ref": root_ref, "dependsOn": direct}],
    });
    if !report.advisories.is_empty() {
        bom["vulnerabilities"] = report
            .advisories
            .iter()
            .map(|a| vulnerability(report, a, root_ref))
            .collect();
    }
    crate::pretty_json(&bom)
}

/// A UUID-shaped, deterministic serial number from the snapshot's `sha256:` digest.
fn serial_number(digest: &str) -> String {
    let hex: String = digest
        .trim_start_matches("sha256:")
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(32)
        .collect();
    // Version 5 (name-based) and the RFC 4122 variant, so validators accept it.
    format!(
        "urn:uuid:{}-{}-5{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        variant_digit(&hex[16..17]),
        &hex[17..20],
        &hex[20..32]
    )
}

fn variant_digit(digit: &str) -> char {
    let value = u8::from_str_radix(digit, 16).unwrap_or(0);
    char::from_digit(u32::from(0x8 | (value & 0x3)), 16).unwrap_or('8')
}

fn root_component(report: &Report, root_ref: &str) -> Value {
    let package = report.packages.iter().find(|p| !p.manifest.contains('/'));
    let resolved = report.target.resolved.as_ref();
    let name = package
        .and_then(|p| p.name.clone())
        .unwrap_or_else(|| report.target.canonical_id.clone());
    let version = resolved
        .and_then(|r| r.version.clone())
        .or_else(|| package.and_then(|p| p.version.clone()));
    let mut component = json!({
        "type": "application",
        "bom-ref": root_ref,
        "name": name,
        "properties": [
            {"name": "assay:canonical_id", "value": report.target.canonical_id},
            {"name": "assay:target_kind", "value": report.target.kind},
            {"name": "assay:snapshot_digest", "value": report.target.digest},
            {"name": "assay:score", "value": report.score.score.to_string()},
            {"name": "assay:grade", "value": report.score.grade.to_string()},
            {"name": "assay:complete", "value": report.complete.to_string()},
        ],
    });
    if let Some(version) = &version {
        component["version"] = json!(version);
    }
    if let Some(purl) = package_purl(report, &name, version.as_deref()) {
        component["purl"] = json!(purl);
    }
    if let Some(hash) = resolved
        .and_then(|r| r.artifact_digest.as_deref())
        .and_then(hash_of)
    {
        component["hashes"] = json!([hash]);
    }
    component
}

/// The scanned package's own package URL, for npm and PyPI targets and manifests.
fn package_purl(report: &Report, name: &str, version: Option<&str>) -> Option<String> {
    let ecosystem = match report.target.kind.as_str() {
        "npm" => "npm",
        "pypi" => "PyPI",
        _ => osv_ecosystem(&report.packages.first()?.ecosystem).filter(|e| *e != "Go")?,
    };
    Some(package_url(ecosystem, name, version))
}

/// `sha512:<hex>` as a CycloneDX hash.
fn hash_of(digest: &str) -> Option<Value> {
    let (algorithm, content) = digest.split_once(':')?;
    let alg = match algorithm {
        "sha256" => "SHA-256",
        "sha512" => "SHA-512",
        "sha1" => "SHA-1",
        _ => return None,
    };
    Some(json!({"alg": alg, "content": content}))
}

fn bom_ref(dependency: &ResolvedDependency) -> String {
    dependency.purl()
}

fn component(dependency: &ResolvedDependency) -> Value {
    let (group, name) = match dependency.name.split_once('/') {
        Some((scope, name)) if dependency.ecosystem == "npm" && scope.starts_with('@') => {
            (Some(scope), name)
        }
        _ => (None, dependency.name.as_str()),
    };
    let scope = match dependency.scope.as_str() {
        "dev" | "build" => "excluded",
        "optional" => "optional",
        _ => "required",
    };
    let mut properties = vec![
        json!({"name": "assay:ecosystem", "value": dependency.ecosystem}),
        json!({"name": "assay:direct", "value": dependency.direct.to_string()}),
        json!({"name": "assay:scope", "value": dependency.scope}),
        json!({"name": "assay:declared_in", "value": dependency.declared_in}),
    ];
    if let Some(requirement) = &dependency.requirement {
        properties.push(json!({"name": "assay:requirement", "value": requirement}));
    }
    if dependency.version_from_range {
        properties.push(json!({"name": "assay:version_from_range", "value": "true"}));
    }
    let mut component = json!({
        "type": "library",
        "bom-ref": bom_ref(dependency),
        "name": name,
        "purl": dependency.purl(),
        "scope": scope,
        "properties": properties,
    });
    if let Some(group) = group {
        component["group"] = json!(group);
    }
    if let Some(version) = &dependency.version {
        component["version"] = json!(version);
    }
    let reference = match &dependency.source {
        DependencySource::Git { url, .. } => Some(("vcs", url)),
        DependencySource::Url { url } => Some(("distribution", url)),
        DependencySource::Registry | DependencySource::Path { .. } => None,
    };
    if let Some((kind, url)) = reference {
        component["externalReferences"] = json!([{"type": kind, "url": url}]);
    }
    component
}

/// The MCP server as a service, its tools, prompts and resources nested inside.
fn server_service(report: &Report) -> Value {
    let name = report
        .packages
        .iter()
        .find_map(|p| p.name.clone())
        .unwrap_or_else(|| report.target.canonical_id.clone());
    json!({
        "bom-ref": "assay:mcp-server",
        "name": name,
        "description": "The MCP server's surface, as Assay found it statically.",
        "properties": [
            {"name": "mcp:tools", "value": report.inventory.tools.len().to_string()},
            {"name": "mcp:prompts", "value": report.inventory.prompts.len().to_string()},
            {"name": "mcp:resources", "value": report.inventory.resources.len().to_string()},
        ],
        "services": surface_services(&report.inventory),
    })
}

fn surface_services(inventory: &Inventory) -> Vec<Value> {
    let tools = inventory.tools.iter().map(|t| {
        let mut properties = vec![
            json!({"name": "mcp:kind", "value": "tool"}),
            json!({"name": "mcp:sdk", "value": t.sdk}),
            json!({"name": "mcp:declared_at", "value": format!("{}:{}", t.location.path, t.location.line)}),
        ];
        properties.extend(t.parameters.iter().map(parameter));
        surface_service("tool", &t.name, t.description.as_deref(), properties)
    });
    let prompts = inventory.prompts.iter().map(|p| {
        let mut properties = vec![
            json!({"name": "mcp:kind", "value": "prompt"}),
            json!({"name": "mcp:declared_at", "value": format!("{}:{}", p.location.path, p.location.line)}),
        ];
        properties.extend(p.arguments.iter().map(parameter));
        surface_service("prompt", &p.name, p.description.as_deref(), properties)
    });
    let resources = inventory.resources.iter().map(|r| {
        let mut properties = vec![
            json!({"name": "mcp:kind", "value": "resource"}),
            json!({"name": "mcp:declared_at", "value": format!("{}:{}", r.location.path, r.location.line)}),
        ];
        if let Some(uri) = &r.uri {
            properties.push(json!({"name": "mcp:uri", "value": uri}));
        }
        if let Some(mime) = &r.mime_type {
            properties.push(json!({"name": "mcp:mime_type", "value": mime}));
        }
        surface_service("resource", &r.name, r.description.as_deref(), properties)
    });
    tools.chain(prompts).chain(resources).collect()
}

fn surface_service(
    kind: &str,
    name: &str,
    description: Option<&str>,
    properties: Vec<Value>,
) -> Value {
    let mut service = json!({
        "bom-ref": format!("assay:mcp-{kind}:{name}"),
        "name": name,
        "properties": properties,
    });
    if let Some(description) = description {
        service["description"] = json!(description);
    }
    service
}

/// A parameter as `mcp:parameter` = `name: type (required)`.
fn parameter(p: &Parameter) -> Value {
    let ty = p.ty.as_deref().unwrap_or("any");
    let required = if p.required { ", required" } else { "" };
    json!({"name": "mcp:parameter", "value": format!("{}: {ty}{required}", p.name)})
}

fn vulnerability(report: &Report, advisory: &AdvisoryMatch, root_ref: &str) -> Value {
    let affects: Vec<Value> = report
        .dependencies
        .iter()
        .filter(|d| {
            d.ecosystem == advisory.ecosystem
                && d.name == advisory.package
                && d.version.as_deref() == Some(advisory.version.as_str())
        })
        .map(bom_ref)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|r| json!({"ref": r}))
        .collect();
    // No dependency at that version: the advisory is about the package itself.
    let affects = if affects.is_empty() {
        vec![json!({"ref": root_ref})]
    } else {
        affects
    };
    let mut vulnerability = json!({
        "bom-ref": format!("assay:advisory:{}:{}@{}", advisory.id, advisory.package, advisory.version),
        "id": advisory.id,
        "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{}", advisory.id)},
        "ratings": [rating(advisory)],
        "affects": affects,
    });
    if !advisory.aliases.is_empty() {
        vulnerability["references"] = advisory
            .aliases
            .iter()
            .map(|alias| json!({"id": alias, "source": {"name": alias_source(alias)}}))
            .collect();
    }
    if let Some(summary) = &advisory.summary {
        vulnerability["description"] = json!(summary);
    }
    if let Some(fixed) = &advisory.fixed {
        vulnerability["recommendation"] =
            json!(format!("Upgrade {} to {fixed} or later.", advisory.package));
    }
    if !advisory.references.is_empty() {
        vulnerability["advisories"] = advisory
            .references
            .iter()
            .map(|url| json!({"url": url}))
            .collect();
    }
    if advisory.malicious {
        vulnerability["properties"] = json!([{"name": "assay:malicious", "value": "true"}]);
    }
    vulnerability
}

fn alias_source(alias: &str) -> &'static str {
    if alias.starts_with("CVE-") {
        "NVD"
    } else if alias.starts_with("GHSA-") {
        "GitHub"
    } else {
        "OSV"
    }
}

fn rating(advisory: &AdvisoryMatch) -> Value {
    let severity = advisory.severity.map_or("unknown", |s| s.as_str());
    let mut rating = json!({"severity": severity});
    if let Some(vector) = &advisory.cvss_vector {
        let method = if vector.starts_with("CVSS:4.0") {
            "CVSSv4"
        } else if vector.starts_with("CVSS:3.1") {
            "CVSSv31"
        } else if vector.starts_with("CVSS:3.0") {
            "CVSSv3"
        } else {
            "other"
        };
        rating["method"] = json!(method);
        rating["vector"] = json!(vector);
    }
    rating
}
