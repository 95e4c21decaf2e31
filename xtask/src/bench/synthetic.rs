//! Synthetic OSV records and dependency sets in realistic shapes, deterministic for a
//! given seed.
//!
//! The mix follows osv.dev's own: most npm records are malicious-package reports
//! (`MAL-`, one package each, every version affected); GitHub advisories (`GHSA-`) have
//! a CVE alias, a CVSS vector, CWE ids, a severity label, one to three ranges and two
//! to five references; PyPI records also list every affected version explicitly (as
//! PYSEC and GHSA records do); Go records (`GO-`) carry affected imports and symbols;
//! RustSec records (`RUSTSEC-`) their affected functions. Advisories concentrate on
//! popular packages (a skewed draw), so some packages have dozens of records.

use serde_json::{Value, json};

/// A small, fast, deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `0..n`, drawn with a bias towards small values: popular packages
    /// get more advisories (with 37 000 packages, the first gets about 0.5% of them,
    /// as the most-advised real packages do).
    pub fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n) as f64 / n as f64;
        ((a * a) * n as f64) as u64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The OSV ecosystems and their share of records (percent).
pub const ECOSYSTEMS: [(&str, u64); 4] = [("npm", 62), ("PyPI", 22), ("Go", 9), ("crates.io", 7)];

/// Distinct non-malicious packages with advisories, per ecosystem, per 1 000 records.
const PACKAGES_PER_THOUSAND: u64 = 300;

const WORDS: [&str; 24] = [
    "parser", "stream", "client", "server", "auth", "token", "json", "yaml", "http", "proxy",
    "cache", "config", "schema", "router", "socket", "image", "crypto", "archive", "template",
    "logger", "mcp", "agent", "tools", "fetch",
];

const PROBLEMS: [(&str, &str); 8] = [
    ("Prototype Pollution in", "CWE-1321"),
    ("Regular Expression Denial of Service in", "CWE-1333"),
    ("Path traversal in", "CWE-22"),
    ("Server-Side Request Forgery in", "CWE-918"),
    ("Command injection in", "CWE-78"),
    ("Uncontrolled resource consumption in", "CWE-400"),
    ("Improper input validation in", "CWE-20"),
    ("Cross-site scripting in", "CWE-79"),
];

const SENTENCES: [&str; 8] = [
    "An attacker who controls the input can cause the affected function to behave in unintended ways.",
    "The issue is reachable through the package's public API when untrusted data is passed to it.",
    "Exploitation requires the application to process attacker-supplied content without validation.",
    "Users are advised to upgrade to the patched release; no workaround is known.",
    "The vulnerability was reported through the project's security policy and fixed in a minor release.",
    "Applications that expose this functionality over the network are at the highest risk.",
    "The maintainers have published a fix that validates the input before it is used.",
    "This advisory was reviewed and the affected ranges were confirmed against the release history.",
];

/// The name of package `n` of `ecosystem` (stable: the same `n` always gives the same
/// name, so dependency sets can aim at packages with advisories).
pub fn package_name(ecosystem: &str, n: u64) -> String {
    let a = WORDS[(n % 24) as usize];
    let b = WORDS[((n / 24) % 24) as usize];
    let serial = n / 576;
    match ecosystem {
        "npm" if n.is_multiple_of(5) => format!("@{a}-org{serial}/{b}"),
        "npm" => format!("{a}-{b}-{serial}"),
        "PyPI" => format!("py{a}_{b}{serial}"),
        "Go" => format!("github.com/{a}{serial}/go-{b}"),
        _ => format!("{a}-{b}{serial}"),
    }
}

/// How many distinct non-malicious packages `records` records spread over.
pub fn package_count(ecosystem: &str, records: u64) -> u64 {
    let share = ECOSYSTEMS
        .iter()
        .find(|e| e.0 == ecosystem)
        .map_or(0, |e| e.1);
    (records * share / 100 * PACKAGES_PER_THOUSAND / 1000).max(1)
}

fn version(rng: &mut Rng) -> (u64, u64, u64) {
    (rng.skewed(12), rng.below(30), rng.below(20))
}

fn text(v: (u64, u64, u64)) -> String {
    format!("{}.{}.{}", v.0, v.1, v.2)
}

fn sentences(rng: &mut Rng, n: u64) -> String {
    (0..n)
        .map(|_| *rng.pick(&SENTENCES))
        .collect::<Vec<_>>()
        .join(" ")
}

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        18 + rng.below(8),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn ghsa_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"23456789cfghjmpqrvwx";
    let mut part = || -> String {
        (0..4)
            .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    };
    format!("GHSA-{}-{}-{}", part(), part(), part())
}

/// The ranges (and, for PyPI, the explicit versions) of one affected package.
fn affected(rng: &mut Rng, ecosystem: &str, name: &str) -> Value {
    let kind = if matches!(ecosystem, "PyPI") {
        "ECOSYSTEM"
    } else {
        "SEMVER"
    };
    let mut ranges = Vec::new();
    let mut versions = Vec::new();
    for _ in 0..1 + rng.skewed(3) {
        let start = version(rng);
        let introduced = if rng.chance(40) {
            "0".to_string()
        } else {
            text(start)
        };
        let end = (start.0, start.1 + 1 + rng.below(4), rng.below(5));
        let last = if rng.chance(10) {
            json!({"last_affected": text(end)})
        } else {
            json!({"fixed": text(end)})
        };
        ranges.push(json!({"type": kind, "events": [{"introduced": introduced}, last]}));
        if ecosystem == "PyPI" {
            for minor in start.1..end.1 {
                for patch in 0..1 + rng.below(4) {
                    versions.push(format!("{}.{minor}.{patch}", start.0));
                }
            }
        }
    }
    let mut entry = json!({
        "package": {"ecosystem": ecosystem, "name": name},
        "ranges": ranges,
        "database_specific": {"source": "https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/x.json"}
    });
    if !versions.is_empty() {
        entry["versions"] = json!(versions);
    }
    match ecosystem {
        "Go" => {
            entry["ecosystem_specific"] = json!({"imports": [{"path": format!("{name}/internal"), "symbols": ["Parse", "Client.Do"]}]});
        }
        "crates.io" => {
            entry["ecosystem_specific"] =
                json!({"affects": {"functions": [format!("{}::parse", name.replace('-', "_"))]}});
        }
        _ => {}
    }
    entry
}

/// Record number `n` of `records`: a malicious-package report or an advisory.
pub fn record(rng: &mut Rng, n: u64, records: u64) -> Value {
    let mut roll = rng.below(100);
    let ecosystem = ECOSYSTEMS
        .iter()
        .find(|(_, share)| {
            let hit = roll < *share;
            roll = roll.saturating_sub(*share);
            hit
        })
        .map_or("npm", |e| e.0);
    let modified = timestamp(rng);
    if ecosystem == "npm" && rng.chance(70) {
        let name = format!("{}-{}-{n}", rng.pick(&WORDS), rng.pick(&WORDS));
        return json!({
            "schema_version": "1.7.0",
            "id": format!("MAL-20{}-{n}", 22 + rng.below(4)),
            "modified": modified,
            "published": modified,
            "summary": format!("Malicious code in {name} (npm)"),
            "details": format!("\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ghsa-malware\n{}", sentences(rng, 2)),
            "affected": [{
                "package": {"ecosystem": "npm", "name": name},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
                "database_specific": {"source": "https://github.com/ossf/malicious-packages/blob/main/osv/malicious/npm/x.json"}
            }],
            "references": [{"type": "WEB", "url": format!("https://socket.dev/npm/package/{name}")}],
            "database_specific": {"malicious-packages-origins": [{"source": "ghsa-malware", "import_time": modified}]}
        });
    }
    let package = package_name(ecosystem, rng.skewed(package_count(ecosystem, records)));
    let (problem, cwe) = *rng.pick(&PROBLEMS);
    let id = match ecosystem {
        "PyPI" if rng.chance(40) => format!("PYSEC-20{}-{n}", 18 + rng.below(8)),
        "Go" => format!("GO-20{}-{n}", 20 + rng.below(6)),
        "crates.io" => format!("RUSTSEC-20{}-{n:04}", 18 + rng.below(8)),
        _ => ghsa_id(rng),
    };
    let mut affected_packages = vec![affected(rng, ecosystem, &package)];
    if rng.chance(8) {
        let other = package_name(ecosystem, rng.below(package_count(ecosystem, records)));
        affected_packages.push(affected(rng, ecosystem, &other));
    }
    let references: Vec<Value> = (0..2 + rng.below(4))
        .map(|i| {
            let kind = ["ADVISORY", "WEB", "FIX", "PACKAGE", "REPORT"][i as usize];
            let url = format!("https://github.com/{package}/security/advisories/{id}/{i}");
            json!({"type": kind, "url": url})
        })
        .collect();
    let length = 3 + rng.below(8);
    let details = sentences(rng, length);
    json!({
        "schema_version": "1.7.3",
        "id": id,
        "modified": modified,
        "published": modified,
        "aliases": [format!("CVE-20{}-{}", 18 + rng.below(8), 10_000 + rng.below(60_000))],
        "summary": format!("{problem} {package}"),
        "details": details,
        "severity": [{"type": "CVSS_V3", "score": format!("CVSS:3.1/AV:N/AC:{}/PR:N/UI:{}/S:U/C:H/I:{}/A:{}", rng.pick(&["L", "H"]), rng.pick(&["N", "R"]), rng.pick(&["H", "L", "N"]), rng.pick(&["H", "L", "N"]))}],
        "affected": affected_packages,
        "references": references,
        "database_specific": {"cwe_ids": [cwe], "severity": rng.pick(&["LOW", "MODERATE", "HIGH", "CRITICAL"]), "github_reviewed": true, "github_reviewed_at": modified, "nvd_published_at": null}
    })
}

/// `count` dependencies as a large monorepo's lockfiles list them: mostly npm, the
/// ecosystems in the records' proportions; one in six names a package with advisories
/// (drawn as the advisories were, so popular ones come up more), the others packages
/// with none.
pub fn dependencies(rng: &mut Rng, count: u64, records: u64) -> Vec<(String, String, String)> {
    (0..count)
        .map(|i| {
            let (ecosystem, _) = *rng.pick(&ECOSYSTEMS);
            let ecosystem = if rng.chance(50) { "npm" } else { ecosystem };
            let name = if rng.chance(16) {
                package_name(ecosystem, rng.skewed(package_count(ecosystem, records)))
            } else {
                format!("{}-clean-{i}", rng.pick(&WORDS))
            };
            let v = text(version(rng));
            let v = if ecosystem == "Go" {
                format!("v{v}")
            } else {
                v
            };
            (ecosystem.to_string(), name, v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_valid_osv_for_the_advisory_model() {
        let mut rng = Rng::new(7);
        for n in 0..500 {
            let record: assay_advisory::osv::Record =
                serde_json::from_value(record(&mut rng, n, 1000)).unwrap();
            assert!(!record.affected.is_empty());
            assert!(!record.modified.is_empty());
        }
        let deps = dependencies(&mut Rng::new(7), 100, 1000);
        assert_eq!(deps.len(), 100);
        assert!(deps.iter().any(|d| !d.1.contains("-clean-")));
    }
}
