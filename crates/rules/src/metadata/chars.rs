//! Character classes the metadata rules share: tags, variation selectors, scripts,
//! emoji, what folds to ASCII. What is invisible is [`assay_core::is_invisible`].

/// True for Unicode tag characters (U+E0000–U+E007F).
pub(crate) fn is_tag(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

/// True for variation selectors (VS1–VS16 and the supplement VS17–VS256).
pub(crate) fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// True for characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and
/// their presentation forms), whose text legitimately carries bidi marks.
pub(crate) fn is_rtl_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}'
            | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}'
    )
}

/// True for characters of scripts that use zero-width joiners and non-joiners in normal
/// writing (Arabic, Persian, Indic and South-East Asian scripts) or zero-width spaces as
/// word separators (Thai, Lao, Khmer, Myanmar, CJK).
pub(crate) fn uses_zero_width_in_writing(c: char) -> bool {
    is_rtl_letter(c)
        || matches!(
            c,
            '\u{0900}'..='\u{0DFF}'
                | '\u{0E00}'..='\u{0EFF}'
                | '\u{1000}'..='\u{109F}'
                | '\u{1780}'..='\u{17FF}'
                | '\u{3040}'..='\u{30FF}'
                | '\u{3400}'..='\u{4DBF}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{AC00}'..='\u{D7AF}'
        )
}

/// True for characters that can be part of an emoji sequence (pictographs, dingbats,
/// regional indicators, skin-tone modifiers, keycaps, VS16 and the joiner itself).
pub(crate) fn is_emoji_component(c: char) -> bool {
    matches!(
        c,
        '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{20E3}' | '\u{2122}'
            | '\u{2139}' | '\u{2194}'..='\u{21AA}' | '\u{231A}'..='\u{23FF}'
            | '\u{24C2}' | '\u{25AA}'..='\u{27BF}' | '\u{2934}' | '\u{2935}'
            | '\u{2B05}'..='\u{2B55}' | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
            | '\u{FE0F}' | '\u{200D}' | '\u{1F000}'..='\u{1FAFF}'
    )
}

/// Folds compatibility look-alikes to ASCII, NFKC-style: full-width forms, mathematical
/// alphanumerics, circled letters, typographic quotes and dashes, and the Cyrillic and
/// Greek letters that are commonly swapped into English words to dodge filters.
pub(crate) fn fold(c: char) -> char {
    let cp = u32::from(c);
    let folded = match cp {
        0xFF01..=0xFF5E => cp - 0xFEE0,
        0x1D400..=0x1D6A3 => {
            let letter = (cp - 0x1D400) % 52;
            if letter < 26 {
                u32::from(b'A') + letter
            } else {
                u32::from(b'a') + letter - 26
            }
        }
        0x1D7CE..=0x1D7FF => u32::from(b'0') + (cp - 0x1D7CE) % 10,
        0x24B6..=0x24CF => u32::from(b'A') + cp - 0x24B6,
        0x24D0..=0x24E9 => u32::from(b'a') + cp - 0x24D0,
        _ => {
            return match c {
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                'а' => 'a',
                'е' => 'e',
                'о' | 'ο' => 'o',
                'р' | 'ρ' => 'p',
                'с' => 'c',
                'х' => 'x',
                'у' => 'y',
                'і' | 'ι' => 'i',
                'ј' => 'j',
                'ѕ' => 's',
                'ԁ' => 'd',
                'һ' => 'h',
                'ӏ' => 'l',
                'α' => 'a',
                'ε' => 'e',
                'ν' => 'v',
                'А' => 'A',
                'Е' => 'E',
                'О' | 'Ο' => 'O',
                'Р' | 'Ρ' => 'P',
                'С' => 'C',
                'Т' | 'Τ' => 'T',
                'Х' | 'Χ' => 'X',
                'І' | 'Ι' => 'I',
                'К' | 'Κ' => 'K',
                'М' | 'Μ' => 'M',
                'Н' | 'Η' => 'H',
                'В' | 'Β' => 'B',
                _ => c,
            };
        }
    };
    char::from_u32(folded).unwrap_or(c)
}

/// `U+200B`-style name of a code point.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use assay_core::is_invisible;

    use super::*;

    #[test]
    fn folds_look_alikes() {
        let s: String = "ＩＧＮＯＲＥ 𝐫𝐞𝐚𝐝 ⓢⓢⓗ іgnоrе “x” –"
            .chars()
            .map(fold)
            .collect();
        assert_eq!(s, "IGNORE read ssh ignore \"x\" -");
    }

    #[test]
    fn classifies_invisibles() {
        assert!(is_invisible('\u{200B}'));
        assert!(is_invisible('\u{E0041}'));
        assert!(is_invisible('\u{1B}'));
        assert!(!is_invisible('\n'));
        assert!(!is_invisible('a'));
        assert!(is_tag('\u{E007F}'));
        assert!(is_variation_selector('\u{E0100}'));
        assert!(is_rtl_letter('ש') && is_rtl_letter('ع'));
        assert!(is_emoji_component('👩'));
    }
}
