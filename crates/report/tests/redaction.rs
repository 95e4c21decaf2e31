//! Renderers present only what the report holds: a secret that the rules redacted never
//! reappears in any format, and hostile text from the target cannot drive a terminal or
//! inject markup.

mod common;

use assay_core::{Evidence, Report};
use assay_report::{Format, RenderOptions, render};

/// A credential that exists only in this test.
const SECRET: &str = "ghp_R3dact10nT3stT0ken9x8y7w6v5u4t3s2r1q";

/// What the secrets engine puts in a report instead of the credential: its prefix and
/// length, never its body.
fn redacted(secret: &str) -> String {
    format!(
        "{}…[redacted, {} chars]",
        &secret[..4],
        secret.chars().count()
    )
}

/// The sample report with the secret finding carrying the redacted value everywhere a
/// value can appear (snippet, message, evidence).
fn report_with_redacted_secret() -> Report {
    let mut report = common::sample_report();
    let secret_finding = report
        .findings
        .iter_mut()
        .find(|f| f.rule_id == "AS601")
        .expect("the fixture has a secret finding");
    let shown = redacted(SECRET);
    secret_finding.snippet = format!("GITHUB_TOKEN = \"{shown}\"");
    secret_finding.message = format!("A GitHub token ({shown}) is written into the source.");
    secret_finding.evidence = vec![
        Evidence::new("token", shown.clone()),
        Evidence::new("entropy", "4.9 bits/char"),
    ];
    report
}

/// Every format, with and without colour.
fn all_renderings(report: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for format in Format::ALL {
        for color in [false, true] {
            let options = RenderOptions {
                color,
                ..common::options()
            };
            out.push((
                format!("{format} (color {color})"),
                render(report, format, &options),
            ));
        }
    }
    out
}

#[test]
fn a_redacted_secret_never_reappears() {
    let report = report_with_redacted_secret();
    let body = &SECRET[4..];
    for (name, text) in all_renderings(&report) {
        assert!(!text.contains(SECRET), "{name} contains the secret");
        assert!(!text.contains(body), "{name} contains the secret's body");
        for window in body.as_bytes().windows(12) {
            let piece = std::str::from_utf8(window).expect("ascii");
            assert!(
                !text.contains(piece),
                "{name} contains part of the secret: {piece}"
            );
        }
    }
    // The redacted form itself is shown, so the check above is not vacuous: the finding
    // did reach every format that lists findings (the CycloneDX SBOM lists dependencies
    // and advisories, not findings).
    for (name, text) in all_renderings(&report)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("cyclonedx"))
    {
        assert!(
            text.contains("ghp_…"),
            "{name} does not show the redacted value"
        );
    }
}

#[test]
fn hostile_text_cannot_drive_the_terminal_or_inject_markup() {
    let mut report = common::sample_report();
    let tool = &mut report.inventory.tools[0];
    tool.name = "evil\u{1b}]8;;https://attacker.example\u{7}click\u{1b}]8;;\u{7}".to_string();
    tool.description = Some(
        "Innocent.\u{1b}[2J\u{1b}[H\u{202e}txt.exe ![pixel](https://attacker.example/p.png) \
         <img src=x onerror=alert(1)> | injected | cell"
            .to_string(),
    );
    report.findings[0].message = "Closes the comment </details><script>x()</script>".to_string();
    report.findings[0].snippet = "run(\u{1b}[31m`rm -rf`\u{1b}[0m)".to_string();

    let table = render(&report, Format::Table, &common::options());
    assert!(!table.contains('\u{1b}'), "no raw escape in the table");
    assert!(!table.contains('\u{7}'));
    assert!(
        !table.contains('\u{202e}'),
        "bidi override is shown as an escape"
    );
    assert!(table.contains("\\u{1b}[2J"));
    assert!(table.contains("\\u{202e}"));

    let coloured = render(&report, Format::Table, &common::colour_options());
    assert!(
        !coloured.contains("\u{1b}[2J") && !coloured.contains("\u{1b}]8;;"),
        "only the renderer's own colour codes reach the terminal"
    );

    let markdown = render(&report, Format::Markdown, &common::options());
    assert!(!markdown.contains("![pixel]"), "no image injection");
    assert!(!markdown.contains("<img"), "no raw HTML from the target");
    assert!(!markdown.contains("<script>"));
    assert!(!markdown.contains("</details><script"));
    assert!(!markdown.contains('\u{1b}'));
    assert!(
        !markdown.contains("| injected |"),
        "a pipe in a description cannot add table cells"
    );

    // JSON and SARIF carry the text exactly (escaped by the JSON encoder), so tools that
    // consume them see the real payload.
    let json = render(&report, Format::Json, &common::options());
    assert!(json.contains("\\u001b[2J"));
    let sarif = render(&report, Format::Sarif, &common::options());
    assert!(sarif.contains("</details><script>x()</script>"));
}
