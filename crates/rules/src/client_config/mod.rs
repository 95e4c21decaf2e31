//! AS7xx: MCP client configuration files.
//!
//! File rules over the client configurations [`config`] recognises, one finding per
//! problem per server entry, named after the server (the finding's `tool`) and located
//! at the offending key or value. [`launch`] reads what a server's command line starts.
//!
//! | rule | finds |
//! |---|---|
//! | `AS701` [`UnpinnedLauncher`] | `npx`/`uvx`/`docker run` of an unpinned package or image |
//! | `AS702` [`InlineShellCommand`] | `bash -c`, `cmd /c`, `curl … \| sh` as the server command |
//! | `AS703` [`PlaintextSecretInConfig`] | secrets in `env`, `headers`, `args` or the URL |
//! | `AS704` [`DangerousDockerFlags`] | `--privileged`, host mounts, `docker.sock`, host namespaces |
//! | `AS705` [`InsecureRemoteServerUrl`] | plain-http or IP-literal remote server URLs |
//! | `AS706` [`AutoApproveEnabled`] | `autoApprove`, `alwaysAllow`, `trust`, approval bypasses |

mod auto_approve_enabled;
pub mod config;
mod dangerous_docker_flags;
mod inline_shell_command;
mod insecure_remote_server_url;
pub mod launch;
mod plaintext_secret_in_config;
mod unpinned_launcher;

pub use auto_approve_enabled::AutoApproveEnabled;
pub use dangerous_docker_flags::DangerousDockerFlags;
pub use inline_shell_command::InlineShellCommand;
pub use insecure_remote_server_url::InsecureRemoteServerUrl;
pub use plaintext_secret_in_config::PlaintextSecretInConfig;
pub use unpinned_launcher::UnpinnedLauncher;

use std::ops::Range;

use assay_core::{Finding, RuleMeta};

use crate::Rule;
use crate::container::finding;
use crate::registry::FileContext;
use config::Server;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &UnpinnedLauncher,
    &InlineShellCommand,
    &PlaintextSecretInConfig,
    &DangerousDockerFlags,
    &InsecureRemoteServerUrl,
    &AutoApproveEnabled,
];

/// A finding of `meta` about `server`, at `range` of `file`.
fn server_finding(
    meta: &RuleMeta,
    file: &FileContext<'_>,
    server: &Server<'_>,
    range: Range<usize>,
    message: impl Into<String>,
) -> Finding {
    let mut f = finding::at(meta, file, range, message);
    f.tool = Some(server.name.clone());
    f
}

/// Runs `check` on every server of `file`, when it is a client configuration.
fn for_each_server(file: &FileContext<'_>, mut check: impl FnMut(&Server<'_>)) {
    if let Some(config) = config::read(file) {
        for server in config.servers() {
            check(&server);
        }
    }
}
