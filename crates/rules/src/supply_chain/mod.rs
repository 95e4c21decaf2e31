//! AS4xx: supply chain (package-level: install scripts, bundled binaries, non-registry
//! sources).
//!
//! | rule | finds |
//! |---|---|
//! | `AS401` [`InstallTimeExecution`] | npm install scripts, `setup.py` hooks, in-tree build backends |
//! | `AS402` [`BundledNativeBinary`] | ELF / Mach-O / PE binaries and native libraries in the package |
//! | `AS403` [`NonRegistryDependency`] | git, URL and path dependencies, extra indexes, `replace` |

mod binary_format;
mod bundled_native_binary;
mod install_time_execution;
mod non_registry_dependency;
mod setup_py;
pub mod source;

pub use bundled_native_binary::BundledNativeBinary;
pub use install_time_execution::InstallTimeExecution;
pub use non_registry_dependency::NonRegistryDependency;

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &InstallTimeExecution,
    &BundledNativeBinary,
    &NonRegistryDependency,
];
