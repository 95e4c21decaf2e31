//! npm targets: the registry from configuration ([`config`]), the packument, the version
//! the spec names ([`packument`]), and the tarball, verified against the packument's
//! `dist.integrity` (else `dist.shasum`) and cached by that digest.
//!
//! A credential is sent as a bearer token, to the registry's own origin only: a tarball
//! hosted elsewhere is fetched without it.

mod config;
mod packument;

use super::artifact::{self, Artifact};
use super::{FetchContext, Fetched};
use crate::net::Auth;
use crate::{SourceError, Target};
use packument::Packument;

/// What the packument is asked for: npm's abbreviated form when the registry has it.
const PACKUMENT_ACCEPT: &str =
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";

/// Resolves an npm target and fetches its tarball (from the cache when it is there).
pub fn fetch(target: &Target, ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    let Target::Npm { name, spec } = target else {
        return Err(SourceError::Unusable {
            what: target.to_string(),
            reason: "not an npm target".into(),
        });
    };
    let registry = config::registry_for(name, ctx.endpoints)?;
    let auth = ctx
        .credentials
        .map_or(Auth::None, |credentials| Auth::Bearer(&credentials.token));
    let packument = get_packument(ctx, &registry, name, auth)?;
    let chosen = packument.choose(name, spec.as_deref())?;
    let file_name = artifact::file_name_of(&chosen.tarball).unwrap_or_else(|| {
        let bare = name.rsplit('/').next().unwrap_or(name);
        format!("{bare}-{}.tgz", chosen.version)
    });
    artifact::fetch_package(
        ctx,
        &Artifact {
            url: &chosen.tarball,
            digest: &chosen.digest,
            file_name: &file_name,
            auth: artifact::auth_for(&chosen.tarball, &registry, auth),
        },
        format!("npm:{name}@{}", chosen.version),
        chosen.version,
    )
}

/// The packument of `name` (a scoped name's `/` is escaped, as npm does).
fn get_packument(
    ctx: &FetchContext<'_>,
    registry: &str,
    name: &str,
    auth: Auth<'_>,
) -> Result<Packument, SourceError> {
    let url = format!("{registry}/{}", name.replace('/', "%2f"));
    let what = format!("npm package {name}");
    let limit = ctx.http.policy().max_metadata_bytes;
    ctx.http
        .get_ok(&url, auth, PACKUMENT_ACCEPT, &what)?
        .json(limit, &what)
}
