//! PyPI targets: the index from configuration ([`config`]), the project's page of the
//! simple repository API (PEP 691 JSON or PEP 503 HTML, [`simple`]), the version and
//! file the spec names ([`select`]: the sdist when there is one), and that file,
//! verified against the index's sha256 and cached by it.
//!
//! A credential is sent with HTTP basic auth (user `__token__` unless a user name is
//! given, the token as password), to the index's own origin only: files hosted
//! elsewhere are fetched without it.

mod config;
mod html;
mod select;
mod simple;
mod url;

use super::artifact::{self, Artifact};
use super::{FetchContext, Fetched};
use crate::net::Auth;
use crate::{SourceError, Target};
use simple::IndexFile;

/// The user name sent with a token when none is given (PyPI's API tokens).
const TOKEN_USER: &str = "__token__";

/// Resolves a PyPI target and fetches its sdist or wheel (from the cache when it is
/// there).
pub fn fetch(target: &Target, ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    let Target::Pypi { name, spec } = target else {
        return Err(SourceError::Unusable {
            what: target.to_string(),
            reason: "not a PyPI target".into(),
        });
    };
    let project = select::normalize(name);
    let index = config::index_url(ctx.endpoints)?;
    let auth = ctx
        .credentials
        .map_or(Auth::None, |credentials| Auth::Basic {
            username: credentials.username.as_deref().unwrap_or(TOKEN_USER),
            password: &credentials.token,
        });
    let files = project_files(ctx, &index, &project, auth)?;
    let chosen = select::choose(&files, &project, spec.as_deref())?;
    artifact::fetch_package(
        ctx,
        &Artifact {
            url: &chosen.file.url,
            digest: chosen.digest,
            file_name: &chosen.file.filename,
            auth: artifact::auth_for(&chosen.file.url, &index, auth),
        },
        format!("pypi:{project}=={}", chosen.version),
        chosen.version.to_string(),
    )
}

/// The files the index lists for `project` (normalised).
fn project_files(
    ctx: &FetchContext<'_>,
    index: &str,
    project: &str,
    auth: Auth<'_>,
) -> Result<Vec<IndexFile>, SourceError> {
    let what = format!("PyPI project {project}");
    let response = ctx
        .http
        .get_ok(&format!("{index}/{project}/"), auth, simple::ACCEPT, &what)?;
    let content_type = response.header("content-type").map(str::to_string);
    let page_url = response.url.clone();
    let body = response.bytes(ctx.http.policy().max_metadata_bytes, &what)?;
    simple::parse(&body, content_type.as_deref(), &page_url, &what)
}
