//! Network access for remote targets: the address guard and the HTTP client.

pub mod guard;
pub mod http;

pub use http::{Auth, CappedReader, HttpClient, NetworkPolicy, Response};
