//! Malformed files: one clear line, with the line number when the format knows it.

use assay_advisory::deps::{self, ParseError};

/// The error `parse` gives for `text` at `path`.
fn error(path: &str, text: &str) -> ParseError {
    match deps::parse(path, text.as_bytes()) {
        Some(Err(error)) => error,
        Some(Ok(found)) => panic!("{path} parsed: {found:?}"),
        None => panic!("{path} is not a dependency file"),
    }
}

/// Asserts the error is one line, mentions `needle` and sits on `line`.
fn assert_error(path: &str, text: &str, needle: &str, line: Option<u32>) {
    let error = error(path, text);
    let shown = error.to_string();
    assert!(!shown.contains('\n'), "{path}: {shown:?}");
    assert!(shown.contains(needle), "{path}: {shown:?} lacks {needle:?}");
    assert_eq!(error.line, line, "{path}: {shown}");
}

#[test]
fn json_formats() {
    assert_error(
        "package-lock.json",
        "{\n  \"packages\": {\n    \"\": {,\n",
        "invalid JSON",
        Some(3),
    );
    assert_error("package-lock.json", "[1, 2]", "not a JSON object", None);
    assert_error(
        "package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": 7}}",
        "`node_modules/a` is not an object",
        None,
    );
    assert_error(
        "npm-shrinkwrap.json",
        "{\"dependencies\": {\"a\": \"1.0.0\"}}",
        "`a` is not an object",
        None,
    );
    assert_error(
        "package.json",
        "{\"dependencies\": [\"zod\"]}",
        "`dependencies` is not an object",
        None,
    );
    assert_error(
        "package.json",
        "{\"dependencies\": {\"zod\": 3}}",
        "`dependencies.zod` is not a string",
        None,
    );
    assert_error(
        "Pipfile.lock",
        "{\"default\": {\"requests\": \"==2.0\"}}",
        "`default.requests`",
        None,
    );
    assert_error(
        "node_modules/zod/package.json",
        "{\"name\": \"zod\",",
        "invalid JSON",
        Some(1),
    );
}

#[test]
fn yarn_lockfiles() {
    assert_error(
        "yarn.lock",
        "# yarn lockfile v1\n\nzod@^3.0.0\n  version \"3.23.8\"\n",
        "entry header",
        Some(3),
    );
    assert_error(
        "yarn.lock",
        "  version \"1.0.0\"\n",
        "before any entry",
        Some(1),
    );
    assert_error(
        "yarn.lock",
        "zod@^3.0.0:\n  resolved \"x\"\n",
        "has no version",
        Some(1),
    );
    assert_error(
        "yarn.lock",
        "\"zod@^3.0.0:\n  version \"1\"\n",
        "unterminated",
        Some(1),
    );
    assert_error(
        "yarn.lock",
        "__metadata:\n  version: 8\n\n\"zod@npm:^3\":\n  version: 3.23.8\n",
        "has no resolution",
        Some(4),
    );
    assert_error(
        "yarn.lock",
        "__metadata:\n  version: 8\n\"zod@npm:^3\":\n  resolution: \"zod@npm:3.23.8\n",
        "unterminated quoted string",
        Some(4),
    );
}

#[test]
fn pnpm_lockfiles() {
    assert_error(
        "pnpm-lock.yaml",
        "packages:\n  /a@1.0.0: {}\n",
        "lockfileVersion",
        None,
    );
    assert_error(
        "pnpm-lock.yaml",
        "lockfileVersion: banana\n",
        "unreadable lockfileVersion",
        None,
    );
    assert_error(
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\npackages:\n  zod@3.23.8:\n    resolution: {integrity: sha512-x\n",
        "unterminated flow collection",
        Some(4),
    );
    assert_error(
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\nimporters:\n  .:\n     dependencies: {}\n    devDependencies: {}\n",
        "indentation",
        Some(5),
    );
    assert_error(
        "pnpm-lock.yaml",
        "- just\n- a list\n",
        "not a YAML mapping",
        None,
    );
}

#[test]
fn python_formats() {
    assert_error(
        "requirements.txt",
        "requests==2.0\n\n==1.0 # no name\n",
        "unreadable requirement `==1.0`",
        Some(3),
    );
    assert_error(
        "pyproject.toml",
        "[project]\ndependencies = [\"a\",\n",
        "invalid TOML: unclosed array",
        Some(2),
    );
    assert_error(
        "pyproject.toml",
        "[project]\ndependencies = \"mcp\"\n",
        "invalid TOML",
        Some(2),
    );
    assert_error(
        "poetry.lock",
        "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[[package]]\nversion = \"1.0\"\n",
        "missing field `name`",
        Some(5),
    );
    assert_error(
        "uv.lock",
        "version = 1\n[[package]\nname = \"x\"\n",
        "invalid TOML",
        Some(2),
    );
    assert_error(
        "x.dist-info/METADATA",
        "Metadata-Version: 2.1\nSummary: nothing\n",
        "no Name and Version",
        None,
    );
}

#[test]
fn go_and_cargo() {
    assert_error(
        "go.mod",
        "module m\n\nrequire (\n\tgithub.com/a/b v1.0.0\n",
        "not closed",
        Some(3),
    );
    assert_error(
        "go.mod",
        "module m\nrequire github.com/a/b\n",
        "require module version",
        Some(2),
    );
    assert_error(
        "go.mod",
        "module m\nreplace github.com/a/b v1\n",
        "replace old => new",
        Some(2),
    );
    assert_error(
        "go.sum",
        "github.com/a/b v1.0.0 h1:x=\ngarbage\n",
        "module version hash",
        Some(2),
    );
    assert_error(
        "Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"serde\"\nsource = \"registry+x\"\n",
        "missing field `version`",
        Some(3),
    );
}
