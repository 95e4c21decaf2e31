//! AS3xx: transport and authentication.
//!
//! | rule | finds |
//! |---|---|
//! | `AS301` [`UnauthenticatedNetworkExposure`] | MCP HTTP/SSE servers on every interface without authentication |
//! | `AS302` [`DnsRebindingUnprotected`] | MCP HTTP transports without Host/Origin validation |
//! | `AS303` [`PermissiveCors`] | CORS allowing any origin with credentials |
//! | `AS304` [`TlsVerificationDisabled`] | certificate verification turned off |
//! | `AS305` [`TokenPassthrough`] | the client's bearer token forwarded upstream |
//!
//! The first three share [`exposure`]: what a file says about the transports it serves,
//! the addresses it binds and the authentication and Host checks it does.

mod dns_rebinding_unprotected;
pub mod exposure;
mod permissive_cors;
mod tls_verification_disabled;
mod token_passthrough;
mod unauthenticated_network_exposure;

pub use dns_rebinding_unprotected::DnsRebindingUnprotected;
pub use permissive_cors::PermissiveCors;
pub use tls_verification_disabled::TlsVerificationDisabled;
pub use token_passthrough::TokenPassthrough;
pub use unauthenticated_network_exposure::UnauthenticatedNetworkExposure;

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &UnauthenticatedNetworkExposure,
    &DnsRebindingUnprotected,
    &PermissiveCors,
    &TlsVerificationDisabled,
    &TokenPassthrough,
];
