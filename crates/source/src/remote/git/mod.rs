//! git targets: `github:owner/repo[@ref]`, `gitlab:group/repo[@ref]`, repository URLs.
//!
//! The git CLI (`git` on `PATH`) fetches into a private bare repository in the scan's
//! work directory, hardened as [`command`] describes; nothing is checked out. The steps:
//!
//! 1. **Where.** A hosted repository is `<host base>/<path>.git`, the base overridable
//!    for self-hosted instances ([`Endpoints`](crate::Endpoints)); a URL is used as is.
//!    Only `https`, `http` and `git://` are fetched.
//! 2. **Network guard.** The host must resolve to a public address unless private
//!    networks are allowed. git connects by itself and resolves the name again, so a
//!    DNS answer that changes between the check and git's connection (rebinding) is not
//!    caught; the check stops targets that name internal hosts or addresses.
//! 3. **Which commit.** No reference: the default branch (`ls-remote --symref HEAD`). A
//!    branch or tag: `ls-remote`, tags first (as git resolves names). A full commit id:
//!    fetched directly (the server must allow it, as GitHub and GitLab do). An
//!    abbreviated id (7+ hex digits, not a branch or tag name): a branch or tag tip it
//!    starts, else looked up in a clone of the history without trees. An unknown
//!    reference fails with a few branches and tags that exist.
//! 4. **Fetch.** `fetch --depth 1 --no-tags` of exactly that, objects checked by fsck,
//!    killed past the request timeout or when the object directory outgrows the download
//!    cap; its size is reported as `git objects` progress.
//! 5. **Tree.** The commit's tree (only the base path's part, when one is given) is
//!    written as a deterministic tarball straight from the object store ([`tree`]), kept
//!    in the cache under the repository, commit and base path, so scanning the same
//!    commit again fetches nothing (a full commit id needs no network at all).
//!
//! A credential is sent as HTTP basic auth (user: `--username`, else `x-access-token`
//! for GitHub, `oauth2` for GitLab, `git` otherwise) through git's environment only.
//!
//! The canonical id is `github:owner/repo@<commit>`, `gitlab:group/repo@<commit>` or
//! `git:<url>@<commit>`; the resolution's `commit` is the full commit id and its
//! `version` the branch or tag it was reached by (the default branch's name when no
//! reference was given, nothing for a commit id).

mod command;
mod failure;
mod refs;
mod repository;
mod tree;

use std::ffi::OsStr;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use assay_core::Resolution;

use super::{FetchContext, Fetched};
use crate::credentials::Secret;
use crate::target::{GitHost, GitRepo};
use crate::{SourceError, Target};
use command::{Git, Watch};
use refs::Wanted;
use repository::Repository;

/// The cache namespace of git tree tarballs.
const CACHE_NAMESPACE: &str = "git";

/// Fetches a git target: resolves its reference to a commit and returns that commit's
/// tree as a tarball (see the module documentation).
pub fn fetch(target: &Target, ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    let Target::Git {
        repo, reference, ..
    } = target
    else {
        return Err(SourceError::Unusable {
            what: target.to_string(),
            reason: "not a git target".into(),
        });
    };
    let repository = Repository::new(repo, ctx.endpoints)?;
    if let Some(reference) = reference {
        refs::validate(reference)?;
    }
    if let Some(id) = reference.as_deref().filter(|r| refs::is_full_id(r)) {
        let id = id.to_ascii_lowercase();
        if let Some(fetched) = cached(ctx, &repository, &id, None) {
            return Ok(fetched);
        }
    }
    repository.check_network(ctx.http.policy().allow_private_network)?;

    let work = ctx.cache.work_dir("git-")?;
    let session = Session {
        git: Git::new(
            repository.scheme,
            work.path(),
            credential(repo, ctx),
            ctx.http.policy().request_timeout,
            ctx.cancel.clone(),
        ),
        repository,
        ctx,
        work: work.path(),
    };
    let wanted = refs::resolve(&session, reference.as_deref())?;
    if let Some(commit) = &wanted.commit
        && let Some(fetched) = cached(ctx, &session.repository, commit, wanted.version.clone())
    {
        return Ok(fetched);
    }
    let (repo_dir, commit) = session.fetch_commit(&wanted)?;
    let path = session.store_tree(&repo_dir, &commit)?;
    Ok(fetched(
        &session.repository,
        commit,
        wanted.version,
        path,
        false,
    ))
}

/// The tree tarball of `commit` from the cache, if there.
fn cached(
    ctx: &FetchContext<'_>,
    repository: &Repository,
    commit: &str,
    version: Option<String>,
) -> Option<Fetched> {
    let path = ctx.cache.get_keyed(
        CACHE_NAMESPACE,
        &cache_key(repository, commit, ctx.base_path),
    )?;
    Some(fetched(repository, commit.to_string(), version, path, true))
}

/// The cache key of a tree tarball: format version, repository URL, commit, base path.
fn cache_key(repository: &Repository, commit: &str, base_path: Option<&str>) -> String {
    format!(
        "git-tree-v1\n{}\n{commit}\n{}",
        repository.url,
        base_path.unwrap_or_default()
    )
}

fn fetched(
    repository: &Repository,
    commit: String,
    version: Option<String>,
    path: PathBuf,
    from_cache: bool,
) -> Fetched {
    Fetched {
        canonical_id: format!("{}@{commit}", repository.name),
        resolution: Resolution {
            version,
            commit: Some(commit),
            ..Resolution::default()
        },
        path,
        from_cache,
        work: None,
    }
}

/// The user name and token sent as HTTP basic auth, if a credential was given.
fn credential<'a>(repo: &GitRepo, ctx: &FetchContext<'a>) -> Option<(&'a str, &'a Secret)> {
    let credentials = ctx.credentials?;
    let default_user = match repo {
        GitRepo::Hosted {
            host: GitHost::GitHub,
            ..
        } => "x-access-token",
        GitRepo::Hosted {
            host: GitHost::GitLab,
            ..
        } => "oauth2",
        GitRepo::Url(_) => "git",
    };
    let user = credentials.username.as_deref().unwrap_or(default_user);
    Some((user, &credentials.token))
}

/// One fetch: the repository, the hardened git, the work directory.
struct Session<'a> {
    ctx: &'a FetchContext<'a>,
    repository: Repository,
    git: Git,
    work: &'a Path,
}

impl Session<'_> {
    fn had_credentials(&self) -> bool {
        self.ctx.credentials.is_some()
    }

    /// The cap on listings git prints (refs, trees).
    fn metadata_cap(&self) -> u64 {
        self.ctx.http.policy().max_metadata_bytes
    }

    /// What is left of the scan's download budget.
    fn download_cap(&self) -> u64 {
        self.ctx
            .http
            .policy()
            .max_download_bytes
            .saturating_sub(self.ctx.http.downloaded())
    }

    /// Runs a git command that needs no output beyond success.
    fn run_quiet(
        &self,
        repo: Option<&Path>,
        args: &[&str],
        watch: Option<&Watch<'_>>,
        what: &str,
        had_credentials: bool,
    ) -> Result<(), SourceError> {
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        self.git
            .output(repo, &args, self.metadata_cap(), what, watch)?
            .into_result(what, had_credentials)
            .map(drop)
    }

    /// An empty bare repository at `dir` for objects of `format`.
    fn init(&self, dir: &Path, format: &str) -> Result<(), SourceError> {
        let dir = dir.to_string_lossy();
        let format = format!("--object-format={format}");
        let args = [
            "init",
            "--bare",
            "--quiet",
            "--template=",
            &format,
            "--",
            &dir,
        ];
        self.run_quiet(None, &args, None, "a private git repository", false)
    }

    /// Fetches what `wanted` names (depth 1) into a new repository; returns the
    /// repository and the commit.
    fn fetch_commit(&self, wanted: &Wanted) -> Result<(PathBuf, String), SourceError> {
        let repo = self.work.join("repo.git");
        self.init(&repo, wanted.format)?;
        let refspec = format!("+{}:{}", wanted.source, refs::TARGET_REF);
        let objects = repo.join("objects");
        let watch = Watch {
            dir: &objects,
            limit: self.download_cap(),
            progress: self.ctx.progress,
        };
        let args = [
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--depth=1",
            "--",
            &self.repository.url,
            &refspec,
        ];
        self.run_quiet(
            Some(&repo),
            &args,
            Some(&watch),
            &wanted.what,
            self.had_credentials(),
        )?;
        let peel = format!("{}^{{commit}}", refs::TARGET_REF);
        let args = ["rev-parse", "--verify", "--end-of-options", &peel].map(OsStr::new);
        let out = self
            .git
            .output(Some(&repo), &args, 1024, &wanted.what, None)?;
        if !out.succeeded() {
            return Err(SourceError::Unusable {
                what: wanted.what.clone(),
                reason: "it does not name a commit".into(),
            });
        }
        let commit = String::from_utf8_lossy(&out.into_result(&wanted.what, false)?)
            .trim()
            .to_ascii_lowercase();
        if !refs::is_full_id(&commit) {
            return Err(SourceError::Unusable {
                what: wanted.what.clone(),
                reason: "git rev-parse printed no commit id".into(),
            });
        }
        Ok((repo, commit))
    }

    /// The full id of the commit `prefix` abbreviates, from a clone of the history
    /// without trees; `missing` is the error when there is none.
    fn find_in_history(
        &self,
        prefix: &str,
        missing: impl FnOnce() -> SourceError,
    ) -> Result<String, SourceError> {
        let probe = self.work.join("history.git");
        let probe_path = probe.to_string_lossy();
        let objects = probe.join("objects");
        let watch = Watch {
            dir: &objects,
            limit: self.download_cap(),
            progress: self.ctx.progress,
        };
        let args = [
            "clone",
            "--bare",
            "--quiet",
            "--filter=tree:0",
            "--template=",
            "--",
            &self.repository.url,
            &probe_path,
        ];
        let what = format!("the history of {}", self.repository.name);
        self.run_quiet(None, &args, Some(&watch), &what, self.had_credentials())?;
        let peel = format!("{prefix}^{{commit}}");
        let args = ["rev-parse", "--verify", "--end-of-options", &peel].map(OsStr::new);
        let out = self.git.output(Some(&probe), &args, 1024, &what, None)?;
        if out.stderr.contains("ambiguous") {
            return Err(refs::ambiguous(prefix, &self.repository.name));
        }
        if !out.succeeded() {
            return Err(missing());
        }
        let id = String::from_utf8_lossy(&out.into_result(&what, false)?)
            .trim()
            .to_ascii_lowercase();
        if refs::is_full_id(&id) {
            Ok(id)
        } else {
            Err(missing())
        }
    }

    /// Writes `commit`'s tree (under the base path) as a tarball and stores it in the
    /// cache; returns the cached file.
    fn store_tree(&self, repo: &Path, commit: &str) -> Result<PathBuf, SourceError> {
        let what = format!("{}@{commit}", self.repository.name);
        let base_path = self.ctx.base_path;
        let entries = tree::list(self, repo, commit, base_path, &what)?;
        if let Some(base) = base_path
            && entries.is_empty()
        {
            return Err(SourceError::RemoteNotFound {
                what: format!("`{}` in {what}", base.escape_default()),
                hint: None,
            });
        }
        let total: u64 = entries.iter().map(|e| e.size).sum();
        let limit = self.ctx.http.policy().max_download_bytes;
        if total > limit {
            return Err(SourceError::TooLarge {
                what: format!("the tree of {what}"),
                limit,
            });
        }
        let tar_path = self.work.join("tree.tar");
        let cache_error = |e: std::io::Error| SourceError::Cache {
            path: tar_path.display().to_string(),
            reason: e.to_string(),
        };
        let file = File::create(&tar_path).map_err(cache_error)?;
        tree::write(self, repo, &entries, BufWriter::new(file), &what)?;
        let mut tar = File::open(&tar_path).map_err(cache_error)?;
        let key = cache_key(&self.repository, commit, base_path);
        self.ctx
            .cache
            .put_keyed(CACHE_NAMESPACE, &key, &mut tar, &what)
    }
}
