//! `GET /api/v1/rules/catalog`: every rule's metadata, from the same [`RuleMeta`] that
//! `assay rules` and `docs/rules.md` are generated from.

use assay_core::{ExampleKind, RuleMeta};
use assay_store::Scope;
use axum::Extension;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Envelope, ErrorEnvelope, ok};

/// An input a rule is tested against.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleExample {
    /// Whether the rule flags it.
    flagged: bool,
    /// The file name it is analysed as.
    file: &'static str,
    /// Its text.
    code: &'static str,
}

/// One rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogRule {
    /// Stable id (`AS101`).
    id: &'static str,
    /// Stable kebab-case name.
    name: &'static str,
    /// One-line title.
    title: &'static str,
    /// Family (`metadata`, `code`, …).
    family: &'static str,
    /// The family's title.
    family_title: &'static str,
    /// Default severity (`info` … `critical`).
    severity: &'static str,
    /// CWE ids (`CWE-78`).
    cwe: Vec<String>,
    /// OWASP MCP Top 10 (2025) id, if any.
    owasp_mcp: &'static str,
    /// Default CVSS v4.0 base vector for AIVSS scoring.
    cvss_vector: &'static str,
    /// What it finds.
    description: &'static str,
    /// Why it matters for an agent.
    why: &'static str,
    /// How to fix it.
    fix: &'static str,
    /// Further reading.
    references: &'static [&'static str],
    /// The rule's section of `docs/rules.md`.
    help_uri: String,
    /// Inputs it must and must not flag.
    examples: Vec<RuleExample>,
}

impl CatalogRule {
    fn of(meta: &'static RuleMeta) -> CatalogRule {
        CatalogRule {
            id: meta.id,
            name: meta.name,
            title: meta.title,
            family: meta.family.as_str(),
            family_title: meta.family.title(),
            severity: meta.severity.as_str(),
            cwe: meta.cwe_ids(),
            owasp_mcp: meta.owasp_mcp,
            cvss_vector: meta.cvss_vector,
            description: meta.summary,
            why: meta.why,
            fix: meta.remediation,
            references: meta.references,
            help_uri: assay_report::rule_doc_url(meta.id, meta.name),
            examples: meta
                .examples
                .iter()
                .map(|e| RuleExample {
                    flagged: e.kind == ExampleKind::TruePositive,
                    file: e.file,
                    code: e.code,
                })
                .collect(),
        }
    }
}

/// `GET /api/v1/rules/catalog`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleCatalog {
    /// The engine version whose rules these are.
    engine_version: &'static str,
    /// How many rules.
    total: usize,
    /// Every rule, by id.
    rules: Vec<CatalogRule>,
}

/// `GET /api/v1/rules/catalog`.
#[utoipa::path(
    get,
    path = "/api/v1/rules/catalog",
    operation_id = "getRuleCatalog",
    tag = "registry",
    summary = "Every rule's metadata: id, name, family, severity, description, fix, CWE and OWASP",
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "The catalog.", body = Envelope<RuleCatalog>),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
    )
)]
pub async fn catalog(
    Extension(caller): Extension<Caller>,
) -> Result<Json<Envelope<RuleCatalog>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let rules: Vec<CatalogRule> = assay_engine::rule_catalog()
        .into_iter()
        .map(CatalogRule::of)
        .collect();
    Ok(ok(RuleCatalog {
        engine_version: assay_engine::VERSION,
        total: rules.len(),
        rules,
    }))
}
