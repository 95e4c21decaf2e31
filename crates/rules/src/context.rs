//! Where in a package a file lives, which tempers confidence: a secret under `tests/` is
//! less likely to be live than one in `src/`.

/// The role of a file in its package, judged from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathContext {
    /// Shipped, running code.
    Production,
    /// Test code or fixtures.
    Test,
    /// Examples, samples, demos.
    Example,
    /// Documentation.
    Docs,
}

impl PathContext {
    /// Classifies a `/`-separated snapshot path.
    pub fn of(path: &str) -> PathContext {
        let lower = path.to_ascii_lowercase();
        let mut dirs = lower.split('/').collect::<Vec<_>>();
        let file = dirs.pop().unwrap_or("");
        let has_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));
        if has_dir(&[
            "test",
            "tests",
            "__tests__",
            "spec",
            "specs",
            "testdata",
            "fixtures",
            "__mocks__",
            "e2e",
        ]) || file.contains(".test.")
            || file.contains(".spec.")
            || file.starts_with("test_")
            || file.ends_with("_test.go")
            || file.ends_with("_test.py")
            || file == "conftest.py"
        {
            PathContext::Test
        } else if has_dir(&["example", "examples", "sample", "samples", "demo", "demos"]) {
            PathContext::Example
        } else if has_dir(&["doc", "docs", "documentation"])
            || file.ends_with(".md")
            || file.ends_with(".rst")
            || file.ends_with(".txt") && file.starts_with("readme")
        {
            PathContext::Docs
        } else {
            PathContext::Production
        }
    }

    /// True for anything but production code.
    pub fn is_non_production(self) -> bool {
        self != PathContext::Production
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(PathContext::of("src/index.ts"), PathContext::Production);
        assert_eq!(PathContext::of("dist/index.js"), PathContext::Production);
        assert_eq!(PathContext::of("src/__tests__/a.ts"), PathContext::Test);
        assert_eq!(PathContext::of("pkg/server_test.go"), PathContext::Test);
        assert_eq!(PathContext::of("lib/a.spec.js"), PathContext::Test);
        assert_eq!(PathContext::of("tests/test_server.py"), PathContext::Test);
        assert_eq!(PathContext::of("examples/client.py"), PathContext::Example);
        assert_eq!(PathContext::of("docs/setup.md"), PathContext::Docs);
        assert_eq!(PathContext::of("README.md"), PathContext::Docs);
        assert_eq!(PathContext::of("contest/main.go"), PathContext::Production);
    }
}
