//! The shapes of a package name that the typosquat checks compare: the name as its
//! registry compares it, the name with lookalike characters folded to ASCII, and that
//! folded name without separators or scope punctuation.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Ecosystem;

/// Stands for a character with no Latin lookalike. Listed names are ASCII and never
/// contain it, so it never matches one of their characters.
const FOREIGN: u8 = b'*';

/// Characters that read as an ASCII letter, digit or separator, before lowercasing
/// (so that a capital `I` can read as `l`) and after it (Cyrillic, Greek and Armenian
/// lowercase letters, digits that pass for letters). Sorted by character.
pub(super) const LOOKALIKES: &[(char, u8)] = &[
    ('0', b'o'),
    ('1', b'l'),
    ('I', b'l'),
    ('|', b'l'),
    ('\u{00B7}', b'.'), // middle dot
    ('\u{0131}', b'i'), // dotless i
    ('\u{01C0}', b'l'), // dental click
    ('\u{0237}', b'j'), // dotless j
    ('\u{0251}', b'a'), // alpha
    ('\u{0261}', b'g'), // script g
    ('\u{0269}', b'i'), // iota
    ('\u{0391}', b'a'), // Greek capitals
    ('\u{0392}', b'b'),
    ('\u{0395}', b'e'),
    ('\u{0396}', b'z'),
    ('\u{0397}', b'h'),
    ('\u{0399}', b'l'),
    ('\u{039A}', b'k'),
    ('\u{039C}', b'm'),
    ('\u{039D}', b'n'),
    ('\u{039F}', b'o'),
    ('\u{03A1}', b'p'),
    ('\u{03A4}', b't'),
    ('\u{03A5}', b'y'),
    ('\u{03A7}', b'x'),
    ('\u{03B1}', b'a'), // Greek small letters
    ('\u{03B3}', b'y'),
    ('\u{03B9}', b'i'),
    ('\u{03BA}', b'k'),
    ('\u{03BD}', b'v'),
    ('\u{03BF}', b'o'),
    ('\u{03C1}', b'p'),
    ('\u{03C5}', b'u'),
    ('\u{03C7}', b'x'),
    ('\u{03F2}', b'c'), // lunate sigma
    ('\u{03F3}', b'j'), // yot
    ('\u{0405}', b's'), // Cyrillic capitals
    ('\u{0406}', b'l'),
    ('\u{0408}', b'j'),
    ('\u{0410}', b'a'),
    ('\u{0412}', b'b'),
    ('\u{0415}', b'e'),
    ('\u{041A}', b'k'),
    ('\u{041C}', b'm'),
    ('\u{041D}', b'h'),
    ('\u{041E}', b'o'),
    ('\u{0420}', b'p'),
    ('\u{0421}', b'c'),
    ('\u{0422}', b't'),
    ('\u{0423}', b'y'),
    ('\u{0425}', b'x'),
    ('\u{0430}', b'a'), // Cyrillic small letters
    ('\u{0435}', b'e'),
    ('\u{043A}', b'k'),
    ('\u{043E}', b'o'),
    ('\u{0440}', b'p'),
    ('\u{0441}', b'c'),
    ('\u{0443}', b'y'),
    ('\u{0445}', b'x'),
    ('\u{0455}', b's'),
    ('\u{0456}', b'i'),
    ('\u{0458}', b'j'),
    ('\u{04AE}', b'y'),
    ('\u{04BB}', b'h'),
    ('\u{04C0}', b'l'),
    ('\u{04CF}', b'l'),
    ('\u{0501}', b'd'),
    ('\u{051B}', b'q'),
    ('\u{051D}', b'w'),
    ('\u{0566}', b'q'), // Armenian
    ('\u{0570}', b'h'),
    ('\u{0578}', b'n'),
    ('\u{057D}', b'u'),
    ('\u{0581}', b'g'),
    ('\u{0585}', b'o'),
    ('\u{2010}', b'-'), // dashes
    ('\u{2012}', b'-'),
    ('\u{2013}', b'-'),
    ('\u{2014}', b'-'),
    ('\u{2015}', b'-'),
    ('\u{2017}', b'_'), // double low line
    ('\u{2212}', b'-'), // minus sign
];

/// The shapes of one name.
pub(super) struct Shape {
    /// The name as its registry compares names: lowercase, and for PyPI with runs of
    /// `-`, `_` and `.` made one `-` (PEP 503).
    pub canonical: String,
    /// The name with lookalike characters folded to ASCII and lowercased, separators
    /// kept (made canonical for PyPI): what edit distances are measured on.
    pub folded: Vec<u8>,
    /// `folded` without separators, `@` or `/`, with letter pairs that read as one
    /// letter (`rn`, `vv`) folded: names that look the same have the same flat form.
    pub flat: Vec<u8>,
}

impl Shape {
    /// The shapes of `name` in `ecosystem`.
    pub fn of(ecosystem: Ecosystem, name: &str) -> Self {
        let lower = name.to_lowercase();
        let mut folded = fold(name);
        let canonical = match ecosystem {
            Ecosystem::Npm => lower,
            Ecosystem::PyPI => {
                folded = pep503(&folded);
                String::from_utf8(pep503(lower.as_bytes())).unwrap_or(lower)
            }
        };
        let flat = flatten(&folded);
        Self {
            canonical,
            folded,
            flat,
        }
    }
}

/// True for the characters that separate words in package names.
pub(super) fn is_separator(byte: u8) -> bool {
    matches!(byte, b'-' | b'_' | b'.')
}

/// `@scope/package` split into scope and package; `None` for unscoped names (and for
/// malformed ones such as `@scope-package`).
pub(super) fn split_scope(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = name.strip_prefix(b"@")?;
    let slash = rest.iter().position(|&byte| byte == b'/')?;
    let (scope, package) = (&rest[..slash], &rest[slash + 1..]);
    (!scope.is_empty() && !package.is_empty()).then_some((scope, package))
}

/// `name` without separators and scope punctuation: `cross-env` and `crossenv`, or
/// `@scope/name` and `scope-name`, give the same bytes.
pub(super) fn without_punctuation(name: &[u8]) -> impl Iterator<Item = u8> + '_ {
    name.iter()
        .copied()
        .filter(|&byte| !is_separator(byte) && byte != b'@' && byte != b'/')
}

/// The flat form of an already folded name (see [`Shape::flat`]).
pub(super) fn flatten(folded: &[u8]) -> Vec<u8> {
    let bare: Vec<u8> = without_punctuation(folded).collect();
    let mut flat = Vec::with_capacity(bare.len());
    let mut rest = bare.as_slice();
    while let Some((&first, tail)) = rest.split_first() {
        let pair = tail.first().map(|&second| (first, second));
        let (byte, skip) = match pair {
            Some((b'r', b'n')) => (b'm', 2),
            Some((b'v', b'v')) => (b'w', 2),
            _ => (first, 1),
        };
        flat.push(byte);
        rest = &rest[skip..];
    }
    flat
}

/// Compatibility-decomposes `name`, drops invisible characters and combining marks,
/// and maps every character to the ASCII character it reads as ([`FOREIGN`] when none).
fn fold(name: &str) -> Vec<u8> {
    if name.is_ascii() {
        // ASCII is its own decomposition and has no marks or invisible characters.
        let byte = |byte: u8| lookalike(char::from(byte)).unwrap_or(byte.to_ascii_lowercase());
        return name.bytes().map(byte).collect();
    }
    let mut folded = Vec::with_capacity(name.len());
    for character in name.nfkd() {
        if is_combining_mark(character) || assay_core::is_invisible(character) {
            continue;
        }
        if let Some(byte) = lookalike(character) {
            folded.push(byte);
            continue;
        }
        for lower in character.to_lowercase() {
            let ascii = lower.is_ascii().then_some(lower as u8);
            folded.push(lookalike(lower).or(ascii).unwrap_or(FOREIGN));
        }
    }
    folded
}

fn lookalike(character: char) -> Option<u8> {
    LOOKALIKES
        .binary_search_by_key(&character, |&(from, _)| from)
        .ok()
        .map(|index| LOOKALIKES[index].1)
}

/// PEP 503: runs of `-`, `_` and `.` become one `-`.
fn pep503(name: &[u8]) -> Vec<u8> {
    let mut normalised = Vec::with_capacity(name.len());
    for &byte in name {
        if !is_separator(byte) {
            normalised.push(byte);
        } else if normalised.last() != Some(&b'-') {
            normalised.push(b'-');
        }
    }
    normalised
}
