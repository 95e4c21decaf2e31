//! AS5xx: malicious-behaviour indicators.
//!
//! | rule | finds |
//! |---|---|
//! | `AS501` [`ExfiltrationEndpoint`] | requests to webhook/paste/tunnel/OAST services and raw IPs |
//! | `AS502` [`CredentialStoreHarvesting`] | reads of SSH keys, cloud/registry credentials, browser stores, wallets |
//! | `AS503` [`ObfuscatedExecution`] | decoded data run as code or command |
//! | `AS504` [`DownloadAndExecute`] | downloaded scripts and binaries run |
//! | `AS505` [`PersistenceOrAgentConfigTampering`] | writes to start-up files, schedulers and AI client configs |
//! | `AS506` [`RuntimeToolDescriptionChange`] | tool descriptions from the network or changed at run time |
//!
//! [`signals`] holds what several rules combine: wholesale environment reads, host
//! fingerprinting and the table of credential stores.

mod credential_store_harvesting;
mod download_and_execute;
mod exfiltration_endpoint;
mod obfuscated_execution;
mod persistence_or_agent_config_tampering;
mod runtime_tool_description_change;
pub mod signals;

pub use credential_store_harvesting::CredentialStoreHarvesting;
pub use download_and_execute::DownloadAndExecute;
pub use exfiltration_endpoint::ExfiltrationEndpoint;
pub use obfuscated_execution::ObfuscatedExecution;
pub use persistence_or_agent_config_tampering::PersistenceOrAgentConfigTampering;
pub use runtime_tool_description_change::RuntimeToolDescriptionChange;

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &ExfiltrationEndpoint,
    &CredentialStoreHarvesting,
    &ObfuscatedExecution,
    &DownloadAndExecute,
    &PersistenceOrAgentConfigTampering,
    &RuntimeToolDescriptionChange,
];
