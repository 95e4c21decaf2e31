//! Character classes that more than one layer needs: what renders as nothing.

/// True for characters that render as nothing (or nothing visible) in a chat UI or a
/// terminal: zero-width characters, bidi controls, Unicode tag characters, variation
/// selectors, fillers, the soft hyphen and non-whitespace control characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    ) || (c.is_control() && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_bidi_tags_and_controls_are_invisible() {
        for c in [
            '\u{200B}',
            '\u{202E}',
            '\u{E0041}',
            '\u{E0100}',
            '\u{1B}',
            '\u{AD}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', ' ', '\n', '\t', 'é', '\u{2028}'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }
}
