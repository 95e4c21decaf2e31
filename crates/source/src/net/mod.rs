//! Network access for remote targets: the address guard, the HTTP client and
//! connections that give up when the scan is cancelled.

mod cancel;
pub mod guard;
pub mod http;

pub use http::{Auth, CappedReader, HttpClient, NetworkPolicy, Response};
