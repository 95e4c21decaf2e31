//! Signals several `AS5xx` rules combine: the environment sent wholesale, host
//! fingerprinting, and the credential stores of a developer machine (with the client
//! libraries whose *purpose* is to read them).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

/// The whole environment read at once (`JSON.stringify(process.env)`, `dict(os.environ)`,
/// `os.Environ()`), as opposed to one named variable.
pub static WHOLESALE_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\.\.\.process\.env\b|\b(?:stringify|entries|keys|values|assign)\(\s*(?:\{\s*\}\s*,\s*)?process\.env\s*\)|\bprocess\.env\s*[,)}\]]|\bdict\(\s*os\.environ\s*\)|\bjson\.dumps\(\s*(?:dict\()?os\.environ|\bos\.environ\.(?:copy|items)\(\)|\bos\.environ\s*[,)}\]]|\bos\.Environ\(\)",
    )
    .expect("valid regex")
});

/// Host and user fingerprinting.
pub static FINGERPRINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bos\.(?:hostname|userInfo|networkInterfaces)\(|\bsocket\.gethostname\(|\bgetpass\.getuser\(|\bplatform\.node\(|\bos\.Hostname\(|\bwhoami\b")
        .expect("valid regex")
});

/// One kind of credential store.
pub struct Store {
    /// What it is, for messages.
    pub label: &'static str,
    /// Path fragments that name it.
    pub needles: &'static [&'static str],
    /// True when the fragment is only meaningful under the home directory (`.npmrc` of
    /// the project is harmless); false for names that are credential stores wherever
    /// they are (browser password databases, wallets, keychain dumps).
    pub home_only: bool,
    /// Client libraries whose declared purpose is to use this store; their presence
    /// lowers the severity (a Kubernetes tool reading `~/.kube/config`).
    pub purpose: &'static [&'static str],
}

/// The credential stores, most specific first.
pub static STORES: &[Store] = &[
    Store {
        label: "SSH private keys",
        needles: &[
            ".ssh/id_",
            ".ssh\\id_",
            "id_rsa",
            "id_ed25519",
            "id_ecdsa",
            "id_dsa",
            ".ssh",
        ],
        home_only: true,
        purpose: &[
            "ssh2",
            "node-ssh",
            "paramiko",
            "asyncssh",
            "fabric",
            "x/crypto/ssh",
            "NodeSSH",
        ],
    },
    Store {
        label: "AWS credentials",
        needles: &[".aws/credentials", ".aws\\credentials", ".aws"],
        home_only: true,
        purpose: &["aws-sdk", "@aws-sdk", "boto3", "botocore", "aws-sdk-go"],
    },
    Store {
        label: "Google Cloud credentials",
        needles: &[
            ".config/gcloud",
            "application_default_credentials.json",
            "gcloud",
        ],
        home_only: true,
        purpose: &[
            "google-auth",
            "google.auth",
            "@google-cloud",
            "cloud.google.com/go",
        ],
    },
    Store {
        label: "Azure credentials",
        needles: &[".azure"],
        home_only: true,
        purpose: &["@azure/", "azure.identity", "azure-sdk"],
    },
    Store {
        label: "Kubernetes config",
        needles: &[".kube/config", ".kube"],
        home_only: true,
        purpose: &[
            "@kubernetes/client-node",
            "kubernetes",
            "client-go",
            "KubeConfig",
            "kubeconfig",
        ],
    },
    Store {
        label: "package-registry tokens",
        needles: &[
            ".npmrc",
            ".pypirc",
            ".yarnrc",
            ".gem/credentials",
            ".cargo/credentials",
        ],
        home_only: true,
        purpose: &[],
    },
    Store {
        label: "netrc / git credentials",
        needles: &[".netrc", ".git-credentials", "_netrc"],
        home_only: true,
        purpose: &[],
    },
    Store {
        label: "Docker registry credentials",
        needles: &[".docker/config.json", ".docker"],
        home_only: true,
        purpose: &["dockerode", "docker.from_env", "docker/client"],
    },
    Store {
        label: "browser password and cookie stores",
        needles: &[
            "Login Data",
            "Local State",
            "Web Data",
            "key4.db",
            "logins.json",
            "cookies.sqlite",
        ],
        home_only: false,
        purpose: &[],
    },
    Store {
        label: "cryptocurrency wallets",
        needles: &[
            "wallet.dat",
            "Exodus/exodus.wallet",
            "Electrum/wallets",
            "nkbihfbeogaeaoehlefnkodbefgpgknn",
            "Local Extension Settings",
            ".ethereum/keystore",
            "solana/id.json",
        ],
        home_only: false,
        purpose: &[],
    },
    Store {
        label: "the macOS keychain",
        needles: &[
            "find-generic-password",
            "find-internet-password",
            "dump-keychain",
            "Keychains/login.keychain",
        ],
        home_only: false,
        purpose: &[],
    },
];

static STORE_MATCHER: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for (i, store) in STORES.iter().enumerate() {
        for needle in store.needles {
            patterns.push(*needle);
            owners.push(i);
        }
    }
    (
        crate::text::keywords(patterns).expect("valid patterns"),
        owners,
    )
});

/// The first credential store `text` names, if any.
pub fn store_in(text: &str) -> Option<&'static Store> {
    let (matcher, owners) = &*STORE_MATCHER;
    matcher
        .find_iter(text)
        .find(|m| needle_stands_alone(text, m.start(), m.end()))
        .map(|m| &STORES[owners[m.pattern().as_usize()]])
}

/// Every needle that names a credential store (the keyword gate of the rules that look
/// for store reads).
pub fn store_needles() -> Vec<&'static str> {
    STORES
        .iter()
        .flat_map(|s| s.needles.iter().copied())
        .collect()
}

/// True when a credential store may be named in `text` (a prefilter).
pub fn may_name_store(text: &str) -> bool {
    STORE_MATCHER.0.is_match(text)
}

/// `.ssh` in `".ssh"` or `~/.ssh/x`, not in `.sshconfig-docs` or `foo.sshd`; `gcloud` only
/// as a path component.
fn needle_stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let boundary_before = before.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '.');
    let boundary_after = after.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-');
    boundary_before && boundary_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_need_whole_path_components() {
        assert_eq!(
            store_in("'.ssh'").map(|s| s.label),
            Some("SSH private keys")
        );
        assert_eq!(
            store_in("~/.kube/config").map(|s| s.label),
            Some("Kubernetes config")
        );
        assert!(store_in("project.sshconfig").is_none());
        assert!(store_in("my.npmrc.bak").is_none());
        assert!(WHOLESALE_ENV.is_match("body: JSON.stringify(process.env)"));
        assert!(!WHOLESALE_ENV.is_match("const k = process.env.API_KEY"));
        assert!(WHOLESALE_ENV.is_match("requests.post(u, json=dict(os.environ))"));
    }
}
