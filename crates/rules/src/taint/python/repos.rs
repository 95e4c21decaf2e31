//! Repository openers: GitPython, pygit2 and dulwich calls that open, create or clone a
//! git repository at a caller-chosen directory.
//!
//! * The directory (`git.Repo(path)`, `git.Repo.init(path)`, `Repo.clone_from(url,
//!   to_path)`, `pygit2.Repository(path)`, `dulwich.repo.Repo(root)`, …) is a
//!   [`SinkKind::PathAccess`] sink: every later `repo.git.*`, `repo.index` or
//!   `repo.head` call reads or writes files there, so a tool that opens whatever
//!   repository its caller names reaches every repository on the host. The path
//!   containment checks that clear `open(path)` clear these flows too.
//! * The clone source (`Repo.clone_from(url, …)`, `pygit2.clone_repository(url, …)`) is a
//!   [`SinkKind::Url`] sink, not an argument-injection one: GitPython passes the URL
//!   after `--` and refuses the `ext::` transport unless `allow_unsafe_protocols=True`,
//!   so a caller cannot inject options; what remains is that git fetches from wherever
//!   the caller says — any host the server can reach, or `file://` and bare local paths,
//!   which copy a local repository the caller could not otherwise read into the clone.
//!   A URL whose constant prefix fixes `scheme://host/` is no SSRF sink, as for HTTP
//!   clients. With `allow_unsafe_protocols=True` a tainted URL is a
//!   [`SinkKind::Command`] sink: `ext::sh -c …` runs a command.

use tree_sitter::Node;

use super::calls::{Args, Callee};
use super::engine::FnCx;
use crate::taint::SinkKind;

/// A call taking a repository directory: its canonical name, and the position and
/// keyword of the directory argument.
struct Opener {
    name: &'static str,
    path: (usize, &'static str),
    url: Option<(usize, &'static str)>,
}

/// Constructors and factories opening, creating or cloning a repository.
const OPENERS: &[Opener] = &[
    opener("git.Repo", (0, "path")),
    opener("git.repo.Repo", (0, "path")),
    opener("git.repo.base.Repo", (0, "path")),
    opener("git.Repo.init", (0, "path")),
    opener("git.repo.Repo.init", (0, "path")),
    opener("git.repo.base.Repo.init", (0, "path")),
    clone("git.Repo.clone_from", (0, "url"), (1, "to_path")),
    clone("git.repo.Repo.clone_from", (0, "url"), (1, "to_path")),
    clone("git.repo.base.Repo.clone_from", (0, "url"), (1, "to_path")),
    opener("pygit2.Repository", (0, "path")),
    opener("pygit2.init_repository", (0, "path")),
    clone("pygit2.clone_repository", (0, "url"), (1, "path")),
    opener("dulwich.repo.Repo", (0, "root")),
    opener("dulwich.repo.Repo.init", (0, "path")),
    opener("dulwich.repo.Repo.init_bare", (0, "path")),
];

/// An opener taking only a directory.
const fn opener(name: &'static str, path: (usize, &'static str)) -> Opener {
    Opener {
        name,
        path,
        url: None,
    }
}

/// A clone taking a source URL and a target directory.
const fn clone(
    name: &'static str,
    url: (usize, &'static str),
    path: (usize, &'static str),
) -> Opener {
    Opener {
        name,
        path,
        url: Some(url),
    }
}

impl<'t> FnCx<'_, '_, 't> {
    /// Records the flows into a repository opener's directory and clone source; `false`
    /// when the call opens no repository.
    pub(super) fn check_repository(
        &mut self,
        callee: &Callee<'t>,
        call: Node<'t>,
        args: &Args<'t>,
    ) -> bool {
        let Some(opener) = OPENERS.iter().find(|o| o.name == callee.canonical) else {
            return false;
        };
        let display = callee.display();
        if let Some((_, value)) = args.get(opener.path.0, opener.path.1) {
            for trace in &value.traces {
                self.hit(trace, SinkKind::PathAccess, &display, call, None);
            }
        }
        let url = opener.url.and_then(|(index, name)| args.get(index, name));
        if let Some((node, value)) = url {
            let unsafe_protocols = args
                .keyword("allow_unsafe_protocols")
                .is_some_and(|(v, _)| v.kind() == "true");
            let sink = if unsafe_protocols {
                Some(SinkKind::Command)
            } else if self.url_has_fixed_host(node, 0) {
                None
            } else {
                Some(SinkKind::Url)
            };
            if let Some(sink) = sink {
                for trace in &value.traces {
                    self.hit(trace, sink, &display, call, None);
                }
            }
        }
        true
    }
}
