//! HTTP clients: `requests`, `httpx` (module functions and `Client`/`AsyncClient`),
//! `aiohttp.ClientSession`, `urllib.request.urlopen`, `urllib3`. A request's response is
//! remote data; its URL is an SSRF sink unless the host is fixed (a constant
//! `scheme://host/` prefix) or allow-listed; credentials attached to a request whose host
//! the caller chose leak; data placed in the body, query or headers of a request to a
//! fixed host is outbound data.

use tree_sitter::Node;

use super::calls::{Args, Callee};
use super::engine::FnCx;
use super::value::{Kind, Origin, Trace, Value};
use crate::taint::SinkKind;

/// HTTP verbs client objects and modules expose as methods.
const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];
/// Header names that carry credentials (lowercase).
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-access-token",
    "private-token",
    "cookie",
    "x-goog-api-key",
    "x-figma-token",
];
/// Keyword arguments that carry request data.
const DATA_KEYWORDS: &[&str] = &[
    "json", "data", "params", "headers", "content", "files", "cookies",
];

/// Where a request call takes its URL.
struct Request {
    /// Positional index of the URL.
    url_index: usize,
}

impl<'t> FnCx<'_, '_, 't> {
    /// Whether a call sends an HTTP request.
    pub(super) fn is_request(&self, callee: &Callee<'t>) -> bool {
        self.request(callee).is_some()
    }

    /// The request a call makes, if it is one.
    fn request(&self, callee: &Callee<'t>) -> Option<Request> {
        let name = callee.canonical.as_str();
        let (module, function) = name.rsplit_once('.').unwrap_or(("", name));
        let library = matches!(module, "requests" | "httpx" | "aiohttp" | "urllib3");
        if library && VERBS.contains(&function) {
            return Some(Request { url_index: 0 });
        }
        if library && matches!(function, "request" | "stream") {
            return Some(Request { url_index: 1 });
        }
        if matches!(
            name,
            "urllib.request.urlopen" | "urllib.request.Request" | "urllib2.urlopen"
        ) {
            return Some(Request { url_index: 0 });
        }
        let method = callee.method?;
        let client = match callee.receiver_value.kind {
            Kind::HttpClient { .. } => true,
            _ => self.looks_like_client(callee),
        };
        if !client {
            return None;
        }
        if VERBS.contains(&method) {
            Some(Request { url_index: 0 })
        } else if matches!(method, "request" | "stream") {
            Some(Request { url_index: 1 })
        } else {
            None
        }
    }

    /// A receiver not tracked to a constructor but named like a client (`self.client`,
    /// `session`, `http`) in a module that imports an HTTP library.
    fn looks_like_client(&self, callee: &Callee<'t>) -> bool {
        let index = self.index();
        let Some(receiver) = callee.receiver.filter(|r| super::calls::is_dotted(*r)) else {
            return false;
        };
        let text = index.text_of(receiver).to_ascii_lowercase();
        let last = text.rsplit('.').next().unwrap_or(&text);
        let named = last.contains("client") || last.contains("session") || last == "http";
        named
            && ["httpx", "requests", "aiohttp", "urllib3"]
                .iter()
                .any(|l| index.imports.binds(l) || index.imports.canonical(l) != *l)
    }

    /// The value of a call that builds a client or returns a response.
    pub(super) fn http_value(
        &mut self,
        callee: &Callee<'t>,
        call: Node<'t>,
        args: &Args<'t>,
    ) -> Option<Value<'t>> {
        let name = callee.canonical.as_str();
        if matches!(
            name,
            "httpx.Client"
                | "httpx.AsyncClient"
                | "requests.Session"
                | "requests.session"
                | "aiohttp.ClientSession"
                | "urllib3.PoolManager"
        ) {
            let credentials = args.keyword("auth").is_some() || self.has_credential_headers(args);
            return Some(Value::of_kind(Kind::HttpClient { credentials }));
        }
        if matches!(name, "urllib.request.Request") {
            return None;
        }
        self.request(callee)?;
        let step = self.step(call, format!("HTTP response: `{}`", self.short(call)));
        let mut value = Value::of_kind(Kind::Response);
        value.add(Trace::new(
            Origin::Remote {
                what: "HTTP response body".to_string(),
            },
            step,
        ));
        Some(value)
    }

    /// SSRF, credentials to a caller-chosen host, and outbound data at a request call.
    pub(super) fn check_request(&mut self, callee: &Callee<'t>, call: Node<'t>, args: &Args<'t>) {
        let Some(request) = self.request(callee) else {
            return;
        };
        let display = callee.display();
        let url = args.get(request.url_index, "url");
        let fixed = url.is_none_or(|(node, _)| self.url_has_fixed_host(node, 0));
        let mut url_tainted = false;
        if let Some((node, value)) = url {
            let credentials = args.keyword("auth").is_some()
                || self.has_credential_headers(args)
                || matches!(
                    callee.receiver_value.kind,
                    Kind::HttpClient { credentials: true }
                );
            for trace in &value.traces {
                if fixed {
                    if !matches!(trace.origin, Origin::Remote { .. }) {
                        self.hit(trace, SinkKind::OutboundData, &display, call, None);
                    }
                    continue;
                }
                url_tainted |= trace.reaches(SinkKind::Url);
                self.hit(trace, SinkKind::Url, &display, call, None);
                if credentials {
                    let note = (
                        node,
                        "the request carries credentials (an `Authorization` header or `auth=`)"
                            .to_string(),
                        assay_core::Confidence::High,
                    );
                    self.hit(
                        trace,
                        SinkKind::CredentialToHost,
                        &display,
                        call,
                        Some(note),
                    );
                }
            }
        }
        if url_tainted {
            return;
        }
        for keyword in DATA_KEYWORDS {
            if let Some((_, value)) = args.keyword(keyword) {
                for trace in &value.traces {
                    if !matches!(trace.origin, Origin::Remote { .. }) {
                        self.hit(trace, SinkKind::OutboundData, &display, call, None);
                    }
                }
            }
        }
    }

    /// `headers={"Authorization": …}` (a literal or a local dict) with a credential header.
    fn has_credential_headers(&self, args: &Args<'t>) -> bool {
        let Some((headers, _)) = args.keyword("headers") else {
            return false;
        };
        let index = self.index();
        let dict = index.statics.value(headers);
        if dict.kind() != "dictionary" {
            return false;
        }
        let mut cursor = dict.walk();
        dict.named_children(&mut cursor)
            .filter(|p| p.kind() == "pair")
            .filter_map(|p| p.child_by_field_name("key"))
            .filter_map(|k| index.const_str(k))
            .any(|k| CREDENTIAL_HEADERS.contains(&k.to_ascii_lowercase().as_str()))
    }

    /// Whether the URL expression starts with a constant `scheme://host/` (so the caller
    /// only chooses the path or query).
    fn url_has_fixed_host(&self, node: Node<'t>, depth: usize) -> bool {
        depth < 6
            && self.constant_prefix(node, depth).is_some_and(|p| {
                // A path relative to a client's `base_url` cannot change the host either.
                fixes_host(&p) || (p.starts_with('/') && !p.starts_with("//"))
            })
    }

    /// The constant text a string expression starts with.
    fn constant_prefix(&self, node: Node<'t>, depth: usize) -> Option<String> {
        if depth > 6 {
            return None;
        }
        let index = self.index();
        if let Some(text) = index.const_str(node) {
            return Some(text);
        }
        let node = index.statics.value(node);
        match node.kind() {
            "string" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for part in node.named_children(&mut cursor) {
                    match part.kind() {
                        "string_content" => out.push_str(index.text_of(part)),
                        "interpolation" => {
                            let constant = part
                                .child_by_field_name("expression")
                                .and_then(|e| index.const_str(e));
                            match constant {
                                Some(text) => out.push_str(&text),
                                None => break,
                            }
                        }
                        _ => {}
                    }
                }
                Some(out)
            }
            "binary_operator" => {
                let left = node.child_by_field_name("left")?;
                let prefix = self.constant_prefix(left, depth + 1)?;
                match (index.const_str(left), node.child_by_field_name("right")) {
                    (Some(_), Some(right)) => {
                        Some(prefix + &self.constant_prefix(right, depth + 1).unwrap_or_default())
                    }
                    _ => Some(prefix),
                }
            }
            "call" => {
                let function = node.child_by_field_name("function")?;
                if function.kind() != "attribute" {
                    return None;
                }
                let method = index.text_of(function.child_by_field_name("attribute")?);
                let receiver = function.child_by_field_name("object")?;
                match method {
                    "format" => {
                        let template = index.const_str(receiver)?;
                        Some(template.split('{').next().unwrap_or("").to_string())
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Whether a URL prefix fixes the host: `scheme://host` followed by `/`, `?` or `#`.
pub(super) fn fixes_host(prefix: &str) -> bool {
    let Some((scheme, rest)) = prefix.split_once("://") else {
        return false;
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let Some(end) = rest.find(['/', '?', '#']) else {
        return false;
    };
    let host = &rest[..end];
    scheme_ok && !host.is_empty() && !host.contains(['{', '@', '%'])
}

#[cfg(test)]
mod tests {
    use super::fixes_host;

    #[test]
    fn a_host_is_fixed_only_when_terminated() {
        assert!(fixes_host("https://api.github.com/repos/"));
        assert!(fixes_host("https://api.example.com?q="));
        assert!(!fixes_host("https://api.github.com"));
        assert!(!fixes_host("https://"));
        assert!(!fixes_host("api.github.com/"));
        assert!(!fixes_host("https://{host}/x"));
    }
}
