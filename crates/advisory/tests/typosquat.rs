//! Typosquat candidates through the public API: real historical typosquats and scope
//! lookalikes are found, popular names and their legitimate neighbours are not.

use assay_advisory::typosquat::{candidates, candidates_in};
use assay_core::{DependencySource, ResolvedDependency, TyposquatCandidate};
use proptest::prelude::*;

fn flagged(ecosystem: &str, name: &str) -> Option<(String, String, u32)> {
    candidates(ecosystem, name).map(|candidate| {
        assert_eq!(candidate.ecosystem, ecosystem);
        assert_eq!(candidate.name, name);
        (candidate.resembles, candidate.technique, candidate.distance)
    })
}

fn assert_flags(ecosystem: &str, cases: &[(&str, &str, &str, u32)]) {
    for &(name, resembles, technique, distance) in cases {
        let expected = (resembles.to_owned(), technique.to_owned(), distance);
        assert_eq!(
            flagged(ecosystem, name),
            Some(expected),
            "{ecosystem} {name:?}"
        );
    }
}

#[test]
fn historical_npm_typosquats_are_found() {
    assert_flags(
        "npm",
        &[
            // The 2017 batch that stole environment variables.
            ("crossenv", "cross-env", "separator", 0),
            // Babel 7 moved babel-cli to @babel/cli, the more popular of the two now.
            ("babelcli", "@babel/cli", "scope", 0),
            ("gruntcli", "grunt-cli", "separator", 0),
            ("nodesass", "node-sass", "separator", 0),
            ("mongose", "mongoose", "edit-distance", 1),
            // Later ones, and the classic shapes.
            ("electorn", "electron", "edit-distance", 1),
            ("loadsh", "lodash", "edit-distance", 1),
            ("lodahs", "lodash", "edit-distance", 1),
            ("discord.jss", "discord.js", "edit-distance", 1),
            ("leftpad", "left-pad", "separator", 0),
            ("left_pad", "left-pad", "separator", 0),
            ("rnocha", "mocha", "confusable", 0),
            ("l0dash", "lodash", "confusable", 0),
        ],
    );
}

#[test]
fn historical_pypi_typosquats_are_found() {
    assert_flags(
        "PyPI",
        &[
            ("reqeusts", "requests", "edit-distance", 1),
            ("python3-dateutil", "python-dateutil", "edit-distance", 1),
            ("jeIlyfish", "jellyfish", "confusable", 0),
            ("urlib3", "urllib3", "edit-distance", 1),
            ("pythondateutil", "python-dateutil", "separator", 0),
            ("djang0", "django", "confusable", 0),
            ("colourama", "colorama", "edit-distance", 1),
            ("beautifulsoup5", "beautifulsoup4", "edit-distance", 1),
        ],
    );
}

#[test]
fn scope_lookalikes_of_the_mcp_sdk_are_found() {
    assert_flags(
        "npm",
        &[
            (
                "@modeicontextprotocol/sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                1,
            ),
            (
                "@modelcontextprotocoll/sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                1,
            ),
            (
                "@modelcontextprotcol/sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                1,
            ),
            (
                "@modelcontext-protocol/sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                0,
            ),
            (
                "@modelcontextprotoco1/sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                0,
            ),
            (
                "@modelcontextprotocol-sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                0,
            ),
            (
                "modelcontextprotocol-sdk",
                "@modelcontextprotocol/sdk",
                "scope",
                0,
            ),
            (
                "modelcontextprotocolsdk",
                "@modelcontextprotocol/sdk",
                "scope",
                0,
            ),
            (
                "@modelcontextprotocoi/server-filesystem",
                "@modelcontextprotocol/server-filesystem",
                "scope",
                1,
            ),
            ("@anthropic-al/sdk", "@anthropic-ai/sdk", "scope", 1),
            (
                "@typescript-eslnt/parser",
                "@typescript-eslint/parser",
                "scope",
                1,
            ),
        ],
    );
}

#[test]
fn unicode_lookalikes_are_folded() {
    assert_flags(
        "npm",
        &[
            ("lod\u{0430}sh", "lodash", "confusable", 0), // Cyrillic a
            ("\u{0435}xpress", "express", "confusable", 0), // Cyrillic e
            (
                "\u{FF4C}\u{FF4F}\u{FF44}\u{FF41}\u{FF53}\u{FF48}",
                "lodash",
                "confusable",
                0,
            ), // fullwidth
            ("lod\u{00E1}sh", "lodash", "confusable", 0), // accented
            ("lo\u{200B}dash", "lodash", "confusable", 0), // zero-width space
            ("re\u{03B1}ct", "react", "confusable", 0),   // Greek alpha
            ("cross\u{2010}env", "cross-env", "confusable", 0), // Unicode hyphen
        ],
    );
    assert_flags("PyPI", &[("n\u{1D42E}mpy", "numpy", "confusable", 0)]); // bold u
}

#[test]
fn authority_claims_on_mcp_names_are_combosquats() {
    assert_flags(
        "PyPI",
        &[
            ("fastmcp-official", "fastmcp", "combo", 0),
            ("official-mcp", "mcp", "combo", 0),
            ("mcp-server-git-verified", "mcp-server-git", "combo", 0),
        ],
    );
    assert_flags(
        "npm",
        &[
            ("mcp-remote-official", "mcp-remote", "combo", 0),
            (
                "modelcontextprotocol-sdk-official",
                "@modelcontextprotocol/sdk",
                "combo",
                0,
            ),
        ],
    );
    // Only MCP names, and only words that claim authority.
    assert_eq!(flagged("npm", "lodash-official"), None);
    assert_eq!(flagged("PyPI", "fastmcp-extensions"), None);
}

#[test]
fn the_most_popular_lookalike_comes_first() {
    // One edit from both `colors` and `color`: `colors` has more dependents.
    assert_eq!(
        flagged("npm", "colos"),
        Some(("colors".to_owned(), "edit-distance".to_owned(), 1))
    );
    // One edit from both `psycopg2` and `psycopg`: `psycopg2` is downloaded more.
    assert_eq!(
        flagged("PyPI", "psycopg3"),
        Some(("psycopg2".to_owned(), "edit-distance".to_owned(), 1))
    );
}

fn listed_names(file: &str) -> Vec<String> {
    let path = format!("{}/data/typosquat/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn listed_names_are_clean_in_every_spelling_their_registry_accepts() {
    for (ecosystem, files) in [
        ("npm", ["npm-popular.txt", "npm-mcp.txt"]),
        ("PyPI", ["pypi-popular.txt", "pypi-mcp.txt"]),
    ] {
        for name in files.iter().flat_map(|file| listed_names(file)) {
            assert_eq!(candidates(ecosystem, &name), None, "{ecosystem} {name}");
            let spellings = match ecosystem {
                "PyPI" => vec![
                    name.to_uppercase(),
                    name.replace('-', "_"),
                    name.replace('-', "."),
                ],
                _ => vec![name.to_uppercase()],
            };
            for spelling in spellings {
                assert_eq!(
                    candidates(ecosystem, &spelling),
                    None,
                    "{ecosystem} {spelling}"
                );
            }
        }
    }
}

#[test]
fn popular_neighbours_and_unrelated_names_are_not_flagged() {
    let clean = [
        // Popular names close to each other.
        ("npm", "react"),
        ("npm", "preact"),
        ("npm", "color"),
        ("npm", "colors"),
        ("npm", "request"),
        ("npm", "safe-buffer"),
        ("npm", "safer-buffer"),
        ("npm", "babel-core"),
        ("npm", "@babel/core"),
        ("npm", "rollup-plugin-commonjs"),
        ("PyPI", "requests"),
        ("PyPI", "scipy"),
        ("PyPI", "scapy"),
        ("PyPI", "pyyaml"),
        ("PyPI", "pyaml"),
        ("PyPI", "psycopg"),
        ("PyPI", "psycopg2"),
        // Short names are not compared by distance.
        ("npm", "wss"),
        ("npm", "vuex2"),
        ("PyPI", "six2"),
        // Family members differ in their own short word.
        ("PyPI", "mcp-server-gis"),
        ("PyPI", "pytest-cover"),
        ("npm", "eslint-plugin-foo"),
        ("npm", "react-dnd-html5"),
        // Published under a listed scope: only its owner can.
        ("npm", "@modelcontextprotocol/server-newthing"),
        ("npm", "@types/reactt"),
        ("npm", "@babel/cor"),
        // Unrelated names.
        ("npm", "my-internal-package"),
        ("npm", "@acme/sdk"),
        ("PyPI", "acme-billing-client"),
        // Ecosystems without a list.
        ("Go", "github.com/gorilla/muxx"),
        ("crates.io", "serde_jsonn"),
    ];
    for (ecosystem, name) in clean {
        assert_eq!(candidates(ecosystem, name), None, "{ecosystem} {name}");
    }
}

fn dependency(ecosystem: &str, name: &str) -> ResolvedDependency {
    ResolvedDependency {
        ecosystem: ecosystem.to_owned(),
        name: name.to_owned(),
        version: Some("1.0.0".to_owned()),
        requirement: None,
        version_from_range: false,
        direct: true,
        scope: "runtime".to_owned(),
        source: DependencySource::Registry,
        declared_in: "package-lock.json".to_owned(),
        line: None,
    }
}

#[test]
fn batches_report_each_suspicious_name_once_in_order() {
    let dependencies = [
        dependency("npm", "express"),
        dependency("npm", "loadsh"),
        dependency("PyPI", "reqeusts"),
        dependency("npm", "loadsh"),
        dependency("PyPI", "loadsh"),
        dependency("npm", "crossenv"),
    ];
    let found: Vec<(String, String)> = candidates_in(&dependencies)
        .into_iter()
        .map(
            |TyposquatCandidate {
                 ecosystem, name, ..
             }| (ecosystem, name),
        )
        .collect();
    let expected = [("npm", "loadsh"), ("PyPI", "reqeusts"), ("npm", "crossenv")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|&(ecosystem, name)| (ecosystem.to_owned(), name.to_owned()))
        .collect();
    assert_eq!(found, expected);
}

proptest! {
    #[test]
    fn any_input_gives_a_listed_name_that_differs_from_it(
        name in "\\PC{0,40}",
        npm in any::<bool>(),
    ) {
        let ecosystem = if npm { "npm" } else { "PyPI" };
        if let Some(candidate) = candidates(ecosystem, &name) {
            prop_assert_ne!(candidate.resembles.to_lowercase(), name.to_lowercase());
            prop_assert_eq!(candidates(ecosystem, &candidate.resembles), None);
            prop_assert!(candidate.distance <= 2);
        }
    }
}
