//! The OpenAPI 3.1 document of the service (`GET /api/v1/openapi.json`, committed as
//! `docs/openapi.json`).
//!
//! It is generated, not written: the paths come from the handlers' `#[utoipa::path]`
//! annotations as the router registers them (`crate::routes`), the request and response
//! bodies from the `ToSchema` types the handlers return, and what the key middleware does
//! (its `401`, `429` and `X-RateLimit-*` headers) from [`describe_key_middleware`]. The
//! report's own types (findings, inventory, score, target) are not described again here:
//! the report's JSON Schema, which schemars generates from `assay_core`
//! (`docs/report.schema.json`), is spliced in as components (`Report`, `Finding`, …).
//!
//! utoipa stays in this crate: `assay_core` keeps one schema generator (schemars), and the
//! store's enums are described by functions that list their values (`Mode::ALL`, …), so
//! the lower layers do not depend on the web framework's documentation tools.

use std::sync::OnceLock;

use assay_source::CredentialType;
use assay_store::{Mode, ScanStatus, Visibility};
use serde_json::{Map, Value};
use utoipa::openapi::content::Content;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Ref,
    SchemaType, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::{Modify, OpenApi as _};

/// The document's fixed parts: info, tags and security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Assay",
        description = "Security scanner for MCP servers, as a service: submit a package, repository or \
            image, follow its progress, read the findings and the score. Successful answers are \
            `{success: true, data}`, errors `{success: false, error: {code, message, details}}`. \
            See docs/api.md."
    ),
    components(schemas(crate::views::ScanResults)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "scans", description = "Submitting, reading, listing and cancelling scans (`/api/v1`, \
            behind the key middleware)."),
        (name = "registry", description = "The public registry, version history, comparisons, \
            statistics and the rule catalog (`/api/v1`, anonymous or with `registry:read`)."),
        (name = "public", description = "Public scans, version history and badges without a key."),
        (name = "service", description = "Health and this document."),
    )
)]
struct ApiDoc;

/// The ways to present a key.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("assay_<10 hex>_<64 hex>")
                    .description(Some("`Authorization: Bearer <key>`."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "The same key in `X-API-Key`.",
            ))),
        );
    }
}

/// The fixed parts, for the router to add the paths to.
pub(crate) fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// What a `500` is.
const INTERNAL_ERROR: &str =
    "`INTERNAL_ERROR`: something broke on the server's side (details go to its log).";

/// The whole document (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

/// The document as committed in `docs/openapi.json`: pretty JSON and a final newline.
pub fn pretty() -> String {
    let mut text = serde_json::to_string_pretty(document()).expect("the document serialises");
    text.push('\n');
    text
}

fn build() -> Value {
    let mut api = crate::routes::openapi();
    catch_all_templates(&mut api);
    for operation in operations(&mut api) {
        add_response(operation, "500", error(INTERNAL_ERROR));
    }
    let mut document = serde_json::to_value(&api).expect("the OpenAPI document serialises");
    splice_report_schema(&mut document);
    document
}

/// Writes axum's catch-all parameters (`{*package}`: the rest of the path, `/` included)
/// as OpenAPI's plain `{package}`; their descriptions say that they take slashes.
fn catch_all_templates(api: &mut OpenApi) {
    let paths = std::mem::take(&mut api.paths.paths);
    api.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (path.replace("{*", "{"), item))
        .collect();
}

/// Every operation of every path.
fn operations(api: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    api.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
    })
}

/// Adds `response` under `status` unless the handler already describes that status.
fn add_response(operation: &mut Operation, status: &str, response: Response) {
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| RefOr::T(response));
}

/// An error answer (`ErrorEnvelope`).
fn error(description: &str) -> Response {
    error_as("ErrorEnvelope", description)
}

/// An error answer with the `schema` component as its body.
fn error_as(schema: &str, description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name(schema))),
        )
        .build()
}

/// An integer header.
fn integer_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        ))
        .description(Some(description))
        .build()
}

/// The `X-RateLimit-*` headers of keyed answers.
fn rate_limit_headers() -> [(&'static str, Header); 3] {
    [
        (
            "X-RateLimit-Limit",
            integer_header(
                "Keyed requests: the size of the tightest bucket the request counted against.",
            ),
        ),
        (
            "X-RateLimit-Remaining",
            integer_header("Keyed requests: what is left in that bucket."),
        ),
        (
            "X-RateLimit-Reset",
            integer_header("Keyed requests: when that bucket resets (Unix seconds)."),
        ),
    ]
}

/// What the key middleware adds to the operations behind it: the `X-RateLimit-*` headers
/// on every answer (`Retry-After` too on `429`), `401` for a presented key that is
/// invalid, revoked or expired, and `429` when a bucket is full.
pub(crate) fn describe_key_middleware(api: &mut OpenApi) {
    describe_key_middleware_with(api, "ErrorEnvelope");
}

/// [`describe_key_middleware`] for routes that answer errors in another API's shapes:
/// the `error_schema` component (a compatibility dialect's error body).
pub(crate) fn describe_key_middleware_with(api: &mut OpenApi, error_schema: &str) {
    for operation in operations(api) {
        add_response(
            operation,
            "401",
            error_as(
                error_schema,
                "`UNAUTHORIZED`: the key presented is malformed, unknown, revoked or expired.",
            ),
        );
        add_response(
            operation,
            "429",
            error_as(
                error_schema,
                "`RATE_LIMITED`: a bucket is full (`details {window, tier, current, limit, \
                 retry_after_seconds}`).",
            ),
        );
        add_response(operation, "500", error_as(error_schema, INTERNAL_ERROR));
        for (status, response) in operation.responses.responses.iter_mut() {
            let RefOr::T(response) = response else {
                continue;
            };
            for (name, header) in rate_limit_headers() {
                response.headers.insert(name.into(), header.into());
            }
            if status == "429" {
                response.headers.insert(
                    "Retry-After".into(),
                    integer_header("Seconds until the bucket has room.").into(),
                );
            }
        }
    }
}

/// Moves the report schema's `$defs` into `components/schemas` (the report itself as
/// `Report`), pointing its references there.
fn splice_report_schema(document: &mut Value) {
    let mut report = assay_report::report_json_schema();
    let root = report
        .as_object_mut()
        .expect("the report schema is an object");
    root.remove("$schema");
    let defs = match root.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    let schemas = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("the API has schemas");
    for (name, mut schema) in defs.into_iter().chain([("Report".to_string(), report)]) {
        retarget(&mut schema);
        assert!(
            schemas.insert(name.clone(), schema).is_none(),
            "the report's `{name}` has the name of an API schema"
        );
    }
    schemas.sort_keys();
}

/// Rewrites `#/$defs/X` references to `#/components/schemas/X`.
fn retarget(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, item) in object.iter_mut() {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            *target = format!("#/components/schemas/{name}");
                        }
                    }
                    (_, item) => retarget(item),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(retarget),
        _ => {}
    }
}

/// A string that takes one of `values`.
fn names(values: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

/// A boolean that is always `value`.
fn constant(value: bool) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([value]))
        .build()
}

/// `success` of a successful answer.
pub(crate) fn always_true() -> Object {
    constant(true)
}

/// `success` of an error.
pub(crate) fn always_false() -> Object {
    constant(false)
}

/// A scan's state.
pub(crate) fn scan_status() -> Object {
    names(ScanStatus::ALL.iter().map(|s| s.as_str()))
}

/// The state after a cancellation.
pub(crate) fn cancelled() -> Object {
    names([ScanStatus::Cancelled.as_str()])
}

/// A scan mode.
pub(crate) fn mode() -> Object {
    names(Mode::ALL.iter().map(|m| m.as_str()))
}

/// A visibility.
pub(crate) fn visibility() -> Object {
    names(Visibility::ALL.iter().map(|v| v.as_str()))
}

/// `scan_visibility` of a view: present on private scans only.
pub(crate) fn private_only() -> Object {
    names([Visibility::Private.as_str()])
}

/// The `credentials` object of a submission.
pub(crate) fn credentials() -> Object {
    let text = |description: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
    };
    let kind = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(CredentialType::ALL.iter().map(|t| t.as_str())))
        .description(Some(
            "The target's kind; recognised from the token when left out.",
        ));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .property("type", kind)
        .property(
            "token",
            text("The read-only token or password.").min_length(Some(1)),
        )
        .required("token")
        .property(
            "username",
            text("For registries and git hosts that want one."),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build()
}

/// The results of a scan view: all of `ScanResults` once the scan succeeded, none before.
pub(crate) fn results_once_succeeded() -> AnyOfBuilder {
    AnyOfBuilder::new()
        .item(Ref::from_schema_name("ScanResults"))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some("Not succeeded (yet): none of the results.")),
        )
}

/// `findings`: the report's `Finding`s.
pub(crate) fn report_findings() -> ArrayBuilder {
    ArrayBuilder::new().items(Ref::from_schema_name("Finding"))
}

/// `inventory`: the report's `Inventory`.
pub(crate) fn report_inventory() -> Ref {
    Ref::from_schema_name("Inventory")
}

/// `findings` that are `null` until known.
pub(crate) fn report_findings_or_null() -> OneOfBuilder {
    OneOfBuilder::new().item(report_findings()).item(null())
}

/// `inventory` that is `null` until known.
pub(crate) fn report_inventory_or_null() -> OneOfBuilder {
    OneOfBuilder::new().item(report_inventory()).item(null())
}

/// `null`.
fn null() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Null)
}

/// `score`: the report's `ScoreSummary`.
pub(crate) fn report_score() -> Ref {
    Ref::from_schema_name("ScoreSummary")
}

/// `target`: the report's `TargetInfo`.
pub(crate) fn report_target() -> Ref {
    Ref::from_schema_name("TargetInfo")
}
