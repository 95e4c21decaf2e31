//! AS8xx: container images and Dockerfiles.
//!
//! File rules over `Dockerfile`, `Containerfile`, `*.Dockerfile` and `Dockerfile.*`,
//! read by [`dockerfile`]. [`shell`] reads the shell commands of `RUN` lines (and of npm
//! scripts and client configurations, for the `AS4xx` and `AS7xx` rules); [`finding`]
//! builds the findings of every configuration-file rule.
//!
//! | rule | finds |
//! |---|---|
//! | `AS801` [`ContainerRunsAsRoot`] | no `USER` (or `USER root`) in the final stage |
//! | `AS802` [`CurlPipeShell`] | `RUN curl … \| sh` and other download-and-run steps |
//! | `AS803` [`SecretInImageBuild`] | secrets in `ENV` / `ARG` |
//! | `AS804` [`MutableBaseImage`] | `FROM` without a digest |
//! | `AS805` [`UnauthenticatedBindInCmd`] | an HTTP/MCP server started on all interfaces without auth |

mod container_runs_as_root;
mod curl_pipe_shell;
pub mod dockerfile;
pub mod finding;
mod mutable_base_image;
mod secret_in_image_build;
pub mod shell;
mod unauthenticated_bind_in_cmd;

pub use container_runs_as_root::ContainerRunsAsRoot;
pub use curl_pipe_shell::CurlPipeShell;
pub use mutable_base_image::MutableBaseImage;
pub use secret_in_image_build::SecretInImageBuild;
pub use unauthenticated_bind_in_cmd::UnauthenticatedBindInCmd;

use crate::Rule;
use crate::registry::FileContext;
use dockerfile::Dockerfile;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &ContainerRunsAsRoot,
    &CurlPipeShell,
    &SecretInImageBuild,
    &MutableBaseImage,
    &UnauthenticatedBindInCmd,
];

/// Dockerfiles larger than this are not read (real ones are a few KiB).
const MAX_DOCKERFILE_BYTES: usize = 1024 * 1024;

/// The parsed Dockerfile, when `file` is one.
fn dockerfile_of(file: &FileContext<'_>) -> Option<Dockerfile> {
    (dockerfile::is_dockerfile(file.path) && file.text.len() <= MAX_DOCKERFILE_BYTES)
        .then(|| dockerfile::parse(file.text))
}
