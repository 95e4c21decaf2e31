//! The output formats, parsed from and printed as their command-line names.

use std::fmt;
use std::str::FromStr;

/// A scan report output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Human-readable text for a terminal (the default).
    Table,
    /// The report as one JSON document (see `docs/report.schema.json`).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// A Markdown report for pull-request comments.
    Markdown,
    /// A CycloneDX 1.6 JSON SBOM: dependencies, the MCP surface as services, advisories.
    CycloneDx,
}

impl Format {
    /// Every format, in documentation order.
    pub const ALL: [Format; 5] = [
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::CycloneDx,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::CycloneDx => "cyclonedx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses `table`, `json`, `sarif`, `markdown`, `md` or `cyclonedx` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("md") {
            return Ok(Format::Markdown);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown format `{s}` (expected table, json, sarif, markdown, md or cyclonedx)"
                )
            })
    }
}

/// An output format of the rule list (`assay rules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RulesFormat {
    /// An aligned table.
    Table,
    /// A JSON array of rule metadata.
    Json,
}

impl RulesFormat {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            RulesFormat::Table => "table",
            RulesFormat::Json => "json",
        }
    }
}

impl fmt::Display for RulesFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RulesFormat {
    type Err = String;

    /// Parses `table` or `json` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [RulesFormat::Table, RulesFormat::Json]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown rules format `{s}` (expected table or json)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert!("html".parse::<Format>().unwrap_err().contains("html"));
        assert_eq!("JSON".parse::<RulesFormat>(), Ok(RulesFormat::Json));
        assert_eq!(RulesFormat::Table.to_string(), "table");
        assert!("sarif".parse::<RulesFormat>().is_err());
    }
}
