//! Snapshots of the human-facing formats and SARIF for a fixed report. Review changes
//! with `INSTA_UPDATE=always cargo test -p assay-report --test snapshots` and read the
//! `.snap` files.

mod common;

use assay_report::{Format, render};

#[test]
fn table_snapshot() {
    let text = render(&common::sample_report(), Format::Table, &common::options());
    insta::assert_snapshot!("table", text);
}

#[test]
fn clean_table_snapshot() {
    let text = render(&common::clean_report(), Format::Table, &common::options());
    insta::assert_snapshot!("table_clean", text);
}

#[test]
fn clean_markdown_says_so() {
    let text = render(
        &common::clean_report(),
        Format::Markdown,
        &common::options(),
    );
    assert!(text.starts_with("## 🟢 Assay: grade A (100/100)"));
    assert!(text.contains("No findings."));
    assert!(text.contains("No tools, prompts, resources or instructions were found"));
    assert!(
        !text.contains("[!CAUTION]"),
        "a complete scan has no warning"
    );
    assert!(!text.contains("### Suppressions"));
}

#[test]
fn long_lists_are_cut_with_a_note() {
    let mut report = common::sample_report();
    let template = report.inventory.tools[0].parameters[0].clone();
    report.inventory.tools[0].parameters = (0..45)
        .map(|i| assay_core::Parameter {
            name: format!("p{i}"),
            ..template.clone()
        })
        .collect();
    let table = render(&report, Format::Table, &common::options());
    assert!(table.contains("• p29: string"));
    assert!(!table.contains("• p30: string"));
    assert!(table.contains("… and 15 more parameters"));
    let markdown = render(&report, Format::Markdown, &common::options());
    assert!(markdown.contains("`p19`\\*, and 25 more"));
}

#[test]
fn markdown_snapshot() {
    let text = render(
        &common::sample_report(),
        Format::Markdown,
        &common::options(),
    );
    insta::assert_snapshot!("markdown", text);
}

#[test]
fn sarif_snapshot() {
    let text = render(&common::sample_report(), Format::Sarif, &common::options());
    insta::assert_snapshot!("sarif", text);
}

#[test]
fn colour_is_all_or_nothing() {
    let report = common::sample_report();
    let plain = render(&report, Format::Table, &common::options());
    assert!(!plain.contains('\u{1b}'), "no escape codes with colour off");
    let coloured = render(&report, Format::Table, &common::colour_options());
    assert!(
        coloured.contains("\u{1b}[1;31mgrade F\u{1b}[0m"),
        "grade coloured"
    );
    assert!(coloured.contains("\u{1b}[1;31mCRITICAL · 1\u{1b}[0m"));
    // Apart from the escape codes the two outputs are the same text.
    let stripped = strip_sgr(&coloured);
    assert_eq!(stripped, plain);
    for format in [Format::Json, Format::Sarif, Format::Markdown] {
        let text = render(&report, format, &common::colour_options());
        assert!(
            !text.contains('\u{1b}'),
            "{format} never holds escape codes"
        );
    }
}

/// Removes `ESC [ … m` sequences.
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
