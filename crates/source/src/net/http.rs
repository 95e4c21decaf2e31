//! The HTTP client every remote fetcher uses: the network guard on every connection,
//! redirects followed by hand (at most [`NetworkPolicy::max_redirects`], credentials
//! only ever sent to the host they were given for), timeouts, and size caps on every
//! body, per response and for the whole scan.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use assay_core::Cancel;
use base64::Engine as _;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;
use ureq::{Agent, Body};

use super::cancel::{self, CancellableConnector};
use super::guard;
use crate::SourceError;
use crate::credentials::Secret;

/// What the network side of a scan may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// Allow loopback, private, link-local and metadata addresses (off by default; for
    /// tests on loopback and registries on a private network).
    pub allow_private_network: bool,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Longest one request may take, body included.
    pub request_timeout: Duration,
    /// Most redirects followed per request.
    pub max_redirects: u32,
    /// Most bytes downloaded by the whole scan (metadata and artifacts).
    pub max_download_bytes: u64,
    /// Most bytes of one metadata document (a packument, an index page, a manifest).
    pub max_metadata_bytes: u64,
}

impl Default for NetworkPolicy {
    fn default() -> Self {
        NetworkPolicy {
            allow_private_network: false,
            connect_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(300),
            max_redirects: 5,
            max_download_bytes: 2 * 1024 * 1024 * 1024,
            max_metadata_bytes: 64 * 1024 * 1024,
        }
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No credentials.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(&'a Secret),
    /// `Authorization: Basic <user:password>`.
    Basic {
        /// The user name.
        username: &'a str,
        /// The password or token.
        password: &'a Secret,
    },
}

impl Auth<'_> {
    /// Whether any credential is sent.
    pub fn is_some(&self) -> bool {
        !matches!(self, Auth::None)
    }

    fn header(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Bearer(token) => Some(format!("Bearer {}", token.expose())),
            Auth::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{}", password.expose()))
            )),
        }
    }
}

/// A response: status, the URL it finally came from, a few headers, and the body.
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// The URL after redirects.
    pub url: String,
    headers: ureq::http::HeaderMap,
    body: Body,
    budget: Arc<AtomicU64>,
    max_download: u64,
    cancel: Cancel,
}

impl Response {
    /// A response header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body's declared size (`Content-Length`), refused up front when it is over
    /// `limit` (the body is capped while reading in any case).
    pub fn declared_size(&self, limit: u64, what: &str) -> Result<Option<u64>, SourceError> {
        let declared = self
            .header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|size| size > limit) {
            return Err(SourceError::TooLarge {
                what: what.to_string(),
                limit,
            });
        }
        Ok(declared)
    }

    /// The body as a reader capped at `limit` bytes (and by the scan's download
    /// budget): reading past a cap fails with an error naming `what`.
    pub fn into_reader(self, limit: u64, what: &str) -> CappedReader {
        CappedReader {
            inner: Box::new(self.body.into_reader()),
            limit,
            read: 0,
            budget: self.budget,
            max_download: self.max_download,
            cancel: self.cancel,
            what: what.to_string(),
        }
    }

    /// The whole body, at most `limit` bytes.
    pub fn bytes(self, limit: u64, what: &str) -> Result<Vec<u8>, SourceError> {
        let mut out = Vec::new();
        self.into_reader(limit, what)
            .read_to_end(&mut out)
            .map_err(|e| read_error(what, e))?;
        Ok(out)
    }

    /// The body parsed as JSON, at most `limit` bytes.
    pub fn json<T: serde::de::DeserializeOwned>(
        self,
        limit: u64,
        what: &str,
    ) -> Result<T, SourceError> {
        let bytes = self.bytes(limit, what)?;
        serde_json::from_slice(&bytes).map_err(|e| SourceError::Unusable {
            what: what.to_string(),
            reason: format!("invalid JSON: {e}"),
        })
    }
}

/// Turns a read error from a [`CappedReader`] into the right [`SourceError`].
pub fn read_error(what: &str, error: io::Error) -> SourceError {
    if cancel::is_cancelled(&error) {
        return SourceError::Cancelled;
    }
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<CapExceeded>())
    {
        Some(cap) => SourceError::TooLarge {
            what: what.to_string(),
            limit: cap.0,
        },
        None => SourceError::Network {
            what: what.to_string(),
            reason: format!("download interrupted: {error}"),
        },
    }
}

#[derive(Debug)]
struct CapExceeded(u64);

impl std::fmt::Display for CapExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for CapExceeded {}

/// A response body that fails once it passes its size cap or the scan's download budget,
/// or once the scan is cancelled.
pub struct CappedReader {
    inner: Box<dyn Read + Send>,
    limit: u64,
    read: u64,
    budget: Arc<AtomicU64>,
    max_download: u64,
    cancel: Cancel,
    what: String,
}

impl CappedReader {
    /// What is being read, for error messages.
    pub fn what(&self) -> &str {
        &self.what
    }
}

impl Read for CappedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = match self.inner.read(buf) {
            _ if self.cancel.is_cancelled() => Err(cancel::cancelled()),
            read => read,
        };
        let n = read?;
        self.read += n as u64;
        let total = self.budget.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(CapExceeded(self.limit)));
        }
        if total > self.max_download {
            return Err(io::Error::other(CapExceeded(self.max_download)));
        }
        Ok(n)
    }
}

/// The HTTP client of one scan (cheap to share by reference across fetchers).
pub struct HttpClient {
    agent: Agent,
    policy: NetworkPolicy,
    downloaded: Arc<AtomicU64>,
    cancel: Cancel,
}

impl HttpClient {
    /// A client under `policy`, trusting the platform's certificate store (which honours
    /// `SSL_CERT_FILE` and corporate roots).
    pub fn new(policy: NetworkPolicy) -> HttpClient {
        HttpClient::cancellable(policy, Cancel::default())
    }

    /// Like [`HttpClient::new`], with requests and bodies that fail with
    /// [`SourceError::Cancelled`] within a fraction of a second of `cancel` being set,
    /// even while the server stalls.
    pub fn cancellable(policy: NetworkPolicy, cancel: Cancel) -> HttpClient {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(policy.connect_timeout))
            .timeout_global(Some(policy.request_timeout))
            .user_agent(concat!("assay/", env!("CARGO_PKG_VERSION")))
            .tls_config(
                TlsConfig::builder()
                    .root_certs(RootCerts::PlatformVerifier)
                    .build(),
            )
            .build();
        let resolver = GuardedResolver {
            inner: DefaultResolver::default(),
            allow_private: policy.allow_private_network,
        };
        HttpClient {
            agent: Agent::with_parts(config, CancellableConnector::new(cancel.clone()), resolver),
            policy,
            downloaded: Arc::new(AtomicU64::new(0)),
            cancel,
        }
    }

    /// The policy this client enforces.
    pub fn policy(&self) -> &NetworkPolicy {
        &self.policy
    }

    /// Bytes downloaded so far by this client.
    pub fn downloaded(&self) -> u64 {
        self.downloaded.load(Ordering::Relaxed)
    }

    /// GETs `url`, following redirects; credentials go only to `url`'s own host and port.
    /// Any status is returned; see [`HttpClient::get_ok`] for the usual mapping.
    pub fn get(
        &self,
        url: &str,
        auth: Auth<'_>,
        accept: &str,
        what: &str,
    ) -> Result<Response, SourceError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(SourceError::Network {
                what: what.to_string(),
                reason: "only http and https URLs are fetched".into(),
            });
        }
        let origin = parts_of(&parse_uri(url, what)?, what)?;
        let mut current = url.to_string();
        for _ in 0..=self.policy.max_redirects {
            self.cancel.check()?;
            let uri = parse_uri(&current, what)?;
            let parts = parts_of(&uri, what)?;
            let (_, host, port) = &parts;
            // The resolver refuses internal addresses at connect time too; checking
            // here first gives a precise error.
            guard::resolve_allowed(host, *port, self.policy.allow_private_network)?;
            let mut request = self.agent.get(&current).header("Accept", accept);
            if parts == origin
                && let Some(header) = auth.header()
            {
                request = request.header("Authorization", header);
            }
            let response = request.call().map_err(|e| match e {
                _ if self.cancel.is_cancelled() => SourceError::Cancelled,
                e => network_error(what, &e),
            })?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| SourceError::Network {
                        what: what.to_string(),
                        reason: format!("HTTP {status} without a Location"),
                    })?;
                current = resolve_location(&uri, location, what)?;
                continue;
            }
            let (parts, body) = response.into_parts();
            return Ok(Response {
                status,
                url: current,
                headers: parts.headers,
                body,
                budget: Arc::clone(&self.downloaded),
                max_download: self.policy.max_download_bytes,
                cancel: self.cancel.clone(),
            });
        }
        Err(SourceError::Network {
            what: what.to_string(),
            reason: format!("more than {} redirects", self.policy.max_redirects),
        })
    }

    /// GETs `url` and maps failures: 404/410 to [`SourceError::RemoteNotFound`], 401/403
    /// to [`SourceError::AccessDenied`], any other non-2xx to [`SourceError::Network`].
    pub fn get_ok(
        &self,
        url: &str,
        auth: Auth<'_>,
        accept: &str,
        what: &str,
    ) -> Result<Response, SourceError> {
        let response = self.get(url, auth, accept, what)?;
        check_status(response, what, auth.is_some())
    }
}

/// Maps a non-2xx response to an error (see [`HttpClient::get_ok`]).
pub fn check_status(
    response: Response,
    what: &str,
    had_credentials: bool,
) -> Result<Response, SourceError> {
    match response.status {
        200..=299 => Ok(response),
        404 | 410 => Err(SourceError::RemoteNotFound {
            what: what.to_string(),
            hint: None,
        }),
        401 | 403 => Err(SourceError::AccessDenied {
            what: what.to_string(),
            status: response.status,
            had_credentials,
        }),
        status => Err(SourceError::Network {
            what: what.to_string(),
            reason: format!("HTTP {status}"),
        }),
    }
}

/// `(scheme, host, port)` of a URL; only http and https are fetched.
fn parts_of(uri: &Uri, what: &str) -> Result<(String, String, u16), SourceError> {
    let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
    let port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => {
            return Err(SourceError::Network {
                what: what.to_string(),
                reason: "only http and https URLs are fetched".into(),
            });
        }
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| SourceError::Network {
            what: what.to_string(),
            reason: "the URL has no host".into(),
        })?
        .to_ascii_lowercase();
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(SourceError::Network {
            what: what.to_string(),
            reason: "URLs with credentials are refused".into(),
        });
    }
    Ok((scheme, host, uri.port_u16().unwrap_or(port)))
}

fn parse_uri(url: &str, what: &str) -> Result<Uri, SourceError> {
    url.parse().map_err(|_| SourceError::Network {
        what: what.to_string(),
        reason: "invalid URL".into(),
    })
}

/// An absolute URL for a `Location` header relative to `base`.
fn resolve_location(base: &Uri, location: &str, what: &str) -> Result<String, SourceError> {
    if location.contains("://") {
        return Ok(location.to_string());
    }
    let scheme = base.scheme_str().unwrap_or("https");
    let authority = base.authority().map(|a| a.as_str()).unwrap_or_default();
    if let Some(rest) = location.strip_prefix("//") {
        return Ok(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    let path = base.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    if authority.is_empty() {
        return Err(SourceError::Network {
            what: what.to_string(),
            reason: "a redirect could not be followed".into(),
        });
    }
    Ok(format!("{scheme}://{authority}{dir}{location}"))
}

fn network_error(what: &str, error: &ureq::Error) -> SourceError {
    let reason = match error {
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            "refused: the host resolves to a non-public address".to_string()
        }
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        other => other.to_string(),
    };
    SourceError::Network {
        what: what.to_string(),
        reason,
    }
}

/// Resolves names with the system resolver and drops the addresses the guard refuses,
/// at connect time: the addresses connected to are the addresses checked.
#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.inner.resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(resolved);
        }
        let mut kept = self.empty();
        for addr in resolved.iter() {
            if guard::classify(addr.ip()).is_none() {
                kept.push(*addr);
            }
        }
        if kept.is_empty() {
            return Err(ureq::Error::Io(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the host resolves only to non-public addresses",
            )));
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_headers_never_debug_print_the_secret() {
        let secret = Secret::new("hunter2");
        let auth = Auth::Bearer(&secret);
        assert!(!format!("{auth:?}").contains("hunter2"));
        assert_eq!(auth.header().unwrap(), "Bearer hunter2");
    }

    #[test]
    fn relative_redirects_resolve_against_the_base() {
        let base: Uri = "https://a.example/x/y/z?q".parse().unwrap();
        assert_eq!(
            resolve_location(&base, "/abs", "t").unwrap(),
            "https://a.example/abs"
        );
        assert_eq!(
            resolve_location(&base, "rel", "t").unwrap(),
            "https://a.example/x/y/rel"
        );
        assert_eq!(
            resolve_location(&base, "//b.example/p", "t").unwrap(),
            "https://b.example/p"
        );
    }

    #[test]
    fn loopback_is_refused_before_connecting() {
        let client = HttpClient::new(NetworkPolicy::default());
        let error = match client.get("http://127.0.0.1:9/", Auth::None, "*/*", "probe") {
            Err(e) => e,
            Ok(_) => panic!("loopback must be refused"),
        };
        assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED");
        let error = match client.get("file:///etc/passwd", Auth::None, "*/*", "probe") {
            Err(e) => e,
            Ok(_) => panic!("file URLs must be refused"),
        };
        assert!(error.to_string().contains("only http and https"));
    }
}
