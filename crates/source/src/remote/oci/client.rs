//! Requests to one repository of a registry, answering its authentication challenges.

use std::cell::RefCell;

use super::auth::{self, Challenge, TokenRequest};
use super::location::ImageLocation;
use crate::credentials::Secret;
use crate::net::http::check_status;
use crate::net::{Auth, HttpClient, NetworkPolicy, Response};
use crate::remote::FetchContext;
use crate::{Credentials, SourceError};

/// How requests to the registry authenticate, once a challenge has been answered.
enum AuthState {
    /// Nothing sent (the registry has asked for nothing yet).
    Anonymous,
    /// The credential as Basic auth.
    Basic,
    /// A token from the registry's token service.
    Bearer(Secret),
}

/// A client for one repository: anonymous until the registry answers 401, then
/// authenticated as its challenge asks, for every later request too.
pub(super) struct RegistryClient<'a> {
    http: &'a HttpClient,
    credentials: Option<&'a Credentials>,
    location: &'a ImageLocation,
    state: RefCell<AuthState>,
}

impl<'a> RegistryClient<'a> {
    /// A client for `location`'s repository.
    pub fn new(ctx: &FetchContext<'a>, location: &'a ImageLocation) -> RegistryClient<'a> {
        RegistryClient {
            http: ctx.http,
            credentials: ctx.credentials,
            location,
            state: RefCell::new(AuthState::Anonymous),
        }
    }

    /// Where the image is.
    pub fn location(&self) -> &ImageLocation {
        self.location
    }

    /// The network policy (for caps).
    pub fn policy(&self) -> &NetworkPolicy {
        self.http.policy()
    }

    /// GETs `<base>/v2/<repository>/<path>` and maps a failure status to an error naming
    /// `what` (404 → not found, 401/403 once the challenge is answered → access denied).
    pub fn get(&self, path: &str, accept: &str, what: &str) -> Result<Response, SourceError> {
        let url = self.location.url(path);
        let response = self.send(&url, accept, what)?;
        if response.status != 401 {
            return check_status(response, what, self.sends_credentials());
        }
        let challenge = response
            .header("www-authenticate")
            .and_then(Challenge::parse);
        let answered = match challenge {
            Some(Challenge::Bearer {
                realm,
                service,
                scope,
            }) => {
                let default_scope = format!("repository:{}:pull", self.location.repository);
                let request = TokenRequest {
                    realm: &realm,
                    service: service.as_deref(),
                    scope: scope.as_deref().unwrap_or(&default_scope),
                };
                let token = auth::fetch_token(self.http, self.credentials, &request, what)?;
                AuthState::Bearer(token)
            }
            Some(Challenge::Basic) if self.credentials.is_some() => AuthState::Basic,
            _ => return check_status(response, what, self.sends_credentials()),
        };
        *self.state.borrow_mut() = answered;
        let retried = self.send(&url, accept, what)?;
        check_status(retried, what, self.credentials.is_some())
    }

    /// One request with the current authentication.
    fn send(&self, url: &str, accept: &str, what: &str) -> Result<Response, SourceError> {
        let state = self.state.borrow();
        let auth = match (&*state, self.credentials) {
            (AuthState::Bearer(token), _) => Auth::Bearer(token),
            (AuthState::Basic, Some(c)) => Auth::Basic {
                username: c.username.as_deref().unwrap_or(auth::DEFAULT_USERNAME),
                password: &c.token,
            },
            _ => Auth::None,
        };
        self.http.get(url, auth, accept, what)
    }

    /// Whether the current requests carry the scan's credential.
    fn sends_credentials(&self) -> bool {
        self.credentials.is_some() && !matches!(*self.state.borrow(), AuthState::Anonymous)
    }
}
