//! The lowest version a Python requirement allows: PEP 440 specifiers (`>=1.2,<2`,
//! `~=1.4.2`, `==1.2.*`, `===1.0`) and Poetry constraints (`^1.2`, `~1.2`, `1.2.3`,
//! `>=1 <2 || ^3`).

use std::str::FromStr;

use pep440_rs::Version;

use super::common::MAX_REQUIREMENT_LEN;

/// The lowest version `spec` allows, and whether `spec` is one exact version. `None`
/// when nothing bounds it from below (`*`, `<2`, `>1.0` — whose lowest version is not
/// known).
pub(super) fn lowest(spec: &str) -> Option<(String, bool)> {
    let spec = spec.trim();
    if spec.is_empty() || spec.len() > MAX_REQUIREMENT_LEN {
        return None;
    }
    let alternatives: Vec<&str> = spec
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    if let [single] = alternatives.as_slice() {
        return alternative_lowest(single);
    }
    let mut best: Option<(Version, String, bool)> = None;
    for alternative in &alternatives {
        let (version_text, exact) = alternative_lowest(alternative)?;
        let version = Version::from_str(&version_text).ok()?;
        if best.as_ref().is_none_or(|(b, _, _)| version < *b) {
            best = Some((version, version_text, exact));
        }
    }
    let (_, text, exact) = best?;
    Some((text, exact && alternatives.len() == 1))
}

/// The lowest version of one alternative (clauses joined by `,` or spaces): the
/// highest of its lower bounds.
fn alternative_lowest(alternative: &str) -> Option<(String, bool)> {
    let clauses = clauses_of(alternative);
    if let [clause] = clauses.as_slice()
        && let Some(arbitrary) = clause.strip_prefix("===")
    {
        // Arbitrary equality compares text; the version need not follow PEP 440.
        return Some((arbitrary.trim().to_string(), true)).filter(|(v, _)| !v.is_empty());
    }
    let mut best: Option<(Version, String, bool)> = None;
    for clause in &clauses {
        let Some((text, exact)) = clause_lowest(clause) else {
            continue;
        };
        let Ok(version) = Version::from_str(&text) else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _, _)| version > *b) {
            best = Some((version, text, exact));
        }
    }
    let (_, text, exact) = best?;
    Some((text, exact && clauses.len() == 1))
}

/// Clauses with any space between operator and version removed (`>= 1.2` → `>=1.2`).
fn clauses_of(alternative: &str) -> Vec<String> {
    let mut clauses: Vec<String> = Vec::new();
    let mut pending_operator = false;
    for token in alternative.split([',', ' ']).filter(|t| !t.is_empty()) {
        if pending_operator && let Some(last) = clauses.last_mut() {
            last.push_str(token);
        } else {
            clauses.push(token.to_string());
        }
        pending_operator = token.chars().all(|c| "<>=!~^".contains(c));
    }
    clauses
}

/// The lower bound one clause sets, and whether it pins an exact version.
fn clause_lowest(clause: &str) -> Option<(String, bool)> {
    let operator_end = clause
        .find(|c: char| !"<>=!~^".contains(c))
        .unwrap_or(clause.len());
    let (operator, version) = clause.split_at(operator_end);
    let version = version.trim().trim_start_matches('v');
    if version.is_empty() || version == "*" {
        return None;
    }
    match operator {
        "===" => Some((version.to_string(), true)),
        "==" | "" => match version.strip_suffix(".*") {
            Some(prefix) => Some((prefix.to_string(), false)),
            None => Some((version.to_string(), true)),
        },
        ">=" | "~=" | "^" | "~" => Some((version.trim_end_matches(".*").to_string(), false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep440_and_poetry_lower_bounds() {
        for (spec, expected) in [
            ("==2.31.0", Some(("2.31.0", true))),
            ("===1.0-custom", Some(("1.0-custom", true))),
            (">=1.2,<2", Some(("1.2", false))),
            (">=1.0, >=1.5, !=1.6", Some(("1.5", false))),
            ("~=1.4.2", Some(("1.4.2", false))),
            ("==1.2.*", Some(("1.2", false))),
            ("^1.2.3", Some(("1.2.3", false))),
            ("~2.0", Some(("2.0", false))),
            ("1.2.3", Some(("1.2.3", true))),
            (">= 1.2 < 2.0", Some(("1.2", false))),
            ("^2.0 || ^1.5", Some(("1.5", false))),
            ("==1.0 || ==2.0", Some(("1.0", false))),
            (">1.0", None),
            ("<2", None),
            ("*", None),
            ("", None),
            ("^2.0 || <1", None),
            ("==not a version", None),
        ] {
            let got = lowest(spec);
            assert_eq!(
                got.as_ref().map(|(v, e)| (v.as_str(), *e)),
                expected,
                "{spec}"
            );
        }
    }
}
