//! Registry authentication: the `WWW-Authenticate` challenge of a 401, and the token
//! service a `Bearer` challenge points to.
//!
//! The token realm is chosen by the registry, so it is fetched through the same guarded
//! client (private-network guard, caps, redirects without credentials) and must be
//! `https://` — plain `http://` only on loopback with the private network allowed, as
//! for the registry itself. The scan's credential goes to the realm as Basic auth (a
//! registry that wanted it could ask for Basic itself); without one the token is
//! requested anonymously, which public images on Docker Hub and GHCR accept. Without a
//! `--username`, the user name sent is [`DEFAULT_USERNAME`]: GHCR and most registries
//! ignore it for tokens, Docker Hub needs the real one.

use serde::Deserialize;

use super::location::is_loopback_url;
use crate::credentials::Secret;
use crate::net::http::check_status;
use crate::net::{Auth, HttpClient};
use crate::{Credentials, SourceError};

/// The user name sent with a token when none was given.
pub(super) const DEFAULT_USERNAME: &str = "assay";

/// Largest token response read.
const MAX_TOKEN_RESPONSE: u64 = 1024 * 1024;

/// What a registry asked for in its `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Challenge {
    /// Get a token from `realm` for `service` and `scope`.
    Bearer {
        /// The token service's URL.
        realm: String,
        /// The `service` parameter, passed back to the token service.
        service: Option<String>,
        /// The `scope` asked for (`repository:org/img:pull`).
        scope: Option<String>,
    },
    /// Send the credential as Basic auth.
    Basic,
}

impl Challenge {
    /// Parses a `WWW-Authenticate` value; `None` for a scheme Assay does not speak or a
    /// `Bearer` challenge without a realm.
    pub fn parse(header: &str) -> Option<Challenge> {
        let header = header.trim();
        let (scheme, params) = header.split_once(' ').unwrap_or((header, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            return Some(Challenge::Basic);
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let params = parse_params(params);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        Some(Challenge::Bearer {
            realm: get("realm").filter(|r| !r.is_empty())?,
            service: get("service"),
            scope: get("scope"),
        })
    }
}

/// `key=value, key="quoted, value"` pairs.
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ',' || c.is_whitespace()).is_some() {}
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let key = key.trim().to_string();
        if key.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                value.push(c);
            }
            value = value.trim().to_string();
        }
        out.push((key, value));
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    token: Option<String>,
    access_token: Option<String>,
}

/// A `Bearer` challenge's parameters: realm, service, scope.
pub(super) struct TokenRequest<'a> {
    /// The token service's URL.
    pub realm: &'a str,
    /// The `service` parameter.
    pub service: Option<&'a str>,
    /// The scope to ask for.
    pub scope: &'a str,
}

/// Gets a token for a `Bearer` challenge; `what` names the image in errors.
pub(super) fn fetch_token(
    http: &HttpClient,
    credentials: Option<&Credentials>,
    request: &TokenRequest<'_>,
    what: &str,
) -> Result<Secret, SourceError> {
    let realm = request.realm;
    let plain_ok = http.policy().allow_private_network && is_loopback_url(realm);
    if !(realm.starts_with("https://") || realm.starts_with("http://") && plain_ok) {
        return Err(SourceError::Unusable {
            what: what.to_string(),
            reason: "the registry's token service is not an https:// URL".into(),
        });
    }
    let mut url = realm.to_string();
    let mut separator = if realm.contains('?') { '&' } else { '?' };
    for (name, value) in [("service", request.service), ("scope", Some(request.scope))] {
        if let Some(value) = value {
            url.push(separator);
            url.push_str(name);
            url.push('=');
            url.push_str(&query_escape(value));
            separator = '&';
        }
    }
    let auth = match credentials {
        Some(c) => Auth::Basic {
            username: c.username.as_deref().unwrap_or(DEFAULT_USERNAME),
            password: &c.token,
        },
        None => Auth::None,
    };
    let token_what = format!("{what}: registry token");
    let response = http.get(&url, auth, "application/json", &token_what)?;
    let response = check_status(response, &token_what, auth.is_some())?;
    let body: TokenResponse = response.json(MAX_TOKEN_RESPONSE, &token_what)?;
    body.token
        .or(body.access_token)
        .filter(|t| !t.trim().is_empty() && !t.chars().any(char::is_control))
        .map(Secret::new)
        .ok_or_else(|| SourceError::Unusable {
            what: token_what,
            reason: "the token service returned no usable token".into(),
        })
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_challenges() {
        let header = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull""#;
        assert_eq!(
            Challenge::parse(header),
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/node:pull".into()),
            })
        );
        let unquoted = "bearer realm=https://ghcr.io/token, scope=repository:a/b:pull";
        assert_eq!(
            Challenge::parse(unquoted),
            Some(Challenge::Bearer {
                realm: "https://ghcr.io/token".into(),
                service: None,
                scope: Some("repository:a/b:pull".into()),
            })
        );
        let escaped = r#"Bearer realm="https://r.example/t?a=\"b\"",service="s, t""#;
        assert!(matches!(
            Challenge::parse(escaped),
            Some(Challenge::Bearer { realm, service: Some(s), .. })
                if realm == "https://r.example/t?a=\"b\"" && s == "s, t"
        ));
    }

    #[test]
    fn basic_and_unknown_challenges() {
        assert_eq!(
            Challenge::parse(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(Challenge::parse("Negotiate abc"), None);
        assert_eq!(Challenge::parse("Bearer service=x"), None);
        assert_eq!(Challenge::parse(""), None);
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(
            query_escape("repository:org/img:pull push"),
            "repository%3Aorg%2Fimg%3Apull%20push"
        );
    }

    #[test]
    fn realms_must_be_https() {
        let http = HttpClient::new(crate::NetworkPolicy::default());
        for realm in ["http://auth.example/token", "file:///etc/passwd"] {
            let request = TokenRequest {
                realm,
                service: None,
                scope: "repository:a:pull",
            };
            let error = fetch_token(&http, None, &request, "image a").unwrap_err();
            assert_eq!(error.code(), "REMOTE_UNUSABLE");
            assert!(error.to_string().contains("https://"), "{error}");
        }
    }
}
