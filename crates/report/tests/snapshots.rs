//! Snapshots of the human-facing formats and SARIF for a fixed report. Review changes
//! with `INSTA_UPDATE=always cargo test -p assay-report --test snapshots` and read the
//! `.snap` files.

mod common;

use assay_report::{Format, RenderOptions, render};

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
    let coloured = render(
        &report,
        Format::Table,
        &RenderOptions {
            color: true,
            ..common::options()
        },
    );
    assert!(
        coloured.contains("\u{1b}[1;31mgrade F\u{1b}[0m"),
        "grade coloured"
    );
    assert!(coloured.contains("\u{1b}[1;31mCRITICAL · 1\u{1b}[0m"));
    // Apart from the escape codes the two outputs are the same text.
    let stripped = strip_sgr(&coloured);
    assert_eq!(stripped, plain);
    for format in [Format::Json, Format::Sarif, Format::Markdown] {
        let text = render(
            &report,
            format,
            &RenderOptions {
                color: true,
                ..common::options()
            },
        );
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
