//! `AS402` bundled-native-binary: ELF, Mach-O or PE executables and native libraries
//! (`.node`, `.so`, `.dylib`, `.dll`, `.exe`) shipped inside the package, which no
//! source-level review covers.

use assay_core::{Confidence, Evidence, Example, Family, Finding, Location, RuleMeta, Severity};

use super::binary_format::{NativeBinary, identify};
use crate::PathContext;
use crate::registry::{Rule, new_finding};

/// The rule.
pub struct BundledNativeBinary;

static META: RuleMeta = RuleMeta {
    id: "AS402",
    name: "bundled-native-binary",
    title: "Package ships a native binary",
    family: Family::SupplyChain,
    severity: Severity::Medium,
    cwe: &[506, 912],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Reports every file whose header is an ELF, Mach-O (thin or universal) or PE \
        binary — with its format, CPU architecture and kind — and binary files named \
        `*.node`, `*.so`, `*.dylib`, `*.dll` or `*.exe`. Java class files, which share the \
        universal Mach-O magic, are told apart. Severity is low for the usual shape of a \
        native extension (`build/Release/*.node`, `prebuilds/…`, CPython `*.cpython-*.so` / \
        `*.abi3.so` / `*.pyd`), medium elsewhere, and high when the binary hides: named \
        like a text or web file, hidden (`.x`), or an executable in `dist/`, `lib/` or \
        `src/`.",
    why: "A compiled binary is opaque to review and to every source-level rule: whatever \
        it does runs with the MCP server's rights when the server loads or spawns it. \
        Malicious packages hide droppers and stealers this way, sometimes named like a \
        font or a source map.",
    remediation: "Build native code from source during packaging in CI and publish its \
        provenance (npm provenance, PyPI trusted publishing, reproducible builds), or \
        download platform binaries from a pinned, checksummed release instead of \
        committing them. Remove binaries the server does not need.",
    references: &[
        "https://cwe.mitre.org/data/definitions/506.html",
        "https://docs.npmjs.com/generating-provenance-statements",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "prebuilds/linux-x64/watcher.node",
            "\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        ),
        Example::flags(
            "dist/fonts/inter.woff2.js",
            "\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        ),
        Example::flags(
            "bin/helper.exe",
            "MZ\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x40\0\0\0PE\0\0\x4c\x01\x03\0\0\0\0\0\0\0\0\0\0\0\0\0\x60\0\x02\x01",
        ),
        Example::allows(
            "assets/logo.png",
            "\u{1}PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0",
        ),
        Example::allows(
            "lib/wasm/parser.wasm",
            "\0asm\x01\0\0\0\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f",
        ),
        Example::allows(
            "lib/libc.so",
            "/* GNU ld script */\nOUTPUT_FORMAT(elf64-x86-64)\nGROUP ( /lib/x86_64-linux-gnu/libc.so.6 )\n",
        ),
    ],
};

/// Extensions of native libraries and executables.
const NATIVE_EXTENSIONS: &[&str] = &["node", "so", "dylib", "dll", "exe", "bundle"];

/// Extensions of text, source, data and web files: a binary named so is hiding.
const DECOY_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "ts", "json", "map", "txt", "md", "py", "css", "html", "svg", "png", "jpg",
    "jpeg", "gif", "ico", "woff", "woff2", "ttf", "yaml", "yml", "xml", "csv", "lock",
];

/// Directories of JavaScript/Python sources and bundles, where executables have no
/// business.
const SOURCE_DIRS: &[&str] = &["dist", "lib", "src", "esm", "cjs"];

impl Rule for BundledNativeBinary {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_binary(&self, path: &str, bytes: &[u8], out: &mut Vec<Finding>) {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
        let native = identify(bytes);
        if native.is_none() && !NATIVE_EXTENSIONS.contains(&extension) && !is_versioned_so(&name) {
            return;
        }
        let description = native.as_ref().map_or_else(
            || format!("native binary (`.{extension}`)"),
            NativeBinary::describe,
        );
        let (severity, placement) = placement(path, &name, extension, native.as_ref());
        let mut f = new_finding(
            &META,
            Location::point(path, 1, 1),
            description.clone(),
            format!("The package ships a native binary ({description}): {placement}"),
        );
        f.severity = severity;
        if let Some(native) = &native {
            f.evidence.push(Evidence::new("format", native.format));
            f.evidence
                .push(Evidence::new("architecture", native.arch.clone()));
            f.evidence.push(Evidence::new("kind", native.kind));
        }
        f.evidence
            .push(Evidence::new("size", format!("{} bytes", bytes.len())));
        let context = PathContext::of(path);
        if context.is_non_production() {
            f.confidence = Confidence::Low;
            f.evidence.push(Evidence::new(
                "path context",
                "test, example or docs file: lower confidence",
            ));
        }
        out.push(f);
    }
}

/// `libfoo.so.1.2`: a versioned shared library name.
fn is_versioned_so(name: &str) -> bool {
    name.split_once(".so.").is_some_and(|(_, version)| {
        version
            .split('.')
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The severity of a binary at `path`, and why.
fn placement(
    path: &str,
    name: &str,
    extension: &str,
    native: Option<&NativeBinary>,
) -> (Severity, &'static str) {
    let lower = path.to_ascii_lowercase();
    let dirs: Vec<&str> = lower.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    if DECOY_EXTENSIONS.contains(&extension) {
        return (
            Severity::High,
            "it is named like a text or web file, hiding what it is",
        );
    }
    if name.starts_with('.') || dirs.iter().any(|d| d.len() > 1 && d.starts_with('.')) {
        return (Severity::High, "it is a hidden file");
    }
    let executable = native.is_some_and(NativeBinary::is_executable);
    if executable && dirs.iter().any(|d| SOURCE_DIRS.contains(d)) {
        return (
            Severity::High,
            "an executable among the package's sources or bundles",
        );
    }
    let addon_dir = lower.contains("build/release/") || dirs.contains(&"prebuilds");
    let python_extension =
        name.contains(".cpython-") || name.contains(".abi3.") || extension == "pyd";
    if (extension == "node" && addon_dir) || python_extension {
        return (
            Severity::Low,
            "the usual place of a compiled native extension, still unreviewable",
        );
    }
    (Severity::Medium, "compiled code no source review covers")
}
