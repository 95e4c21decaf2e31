//! Damerau-Levenshtein distance in its optimal-string-alignment form: insertions,
//! deletions, substitutions and transpositions of adjacent characters each cost one,
//! and no substring is edited twice (`loadsh` is one edit from `lodash`).

/// The optimal-string-alignment distance between `a` and `b`, in bytes. Callers pass
/// folded names, which are ASCII.
pub(super) fn osa(a: &[u8], b: &[u8]) -> u32 {
    let width = b.len() + 1;
    let mut two_back = vec![0usize; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];
    for (i, &x) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != y);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && x == b[j - 1] && a[i - 1] == y {
                best = best.min(two_back[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut two_back, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    u32::try_from(previous[b.len()]).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::osa;

    #[test]
    fn counts_each_kind_of_edit_once() {
        let cases: [(&str, &str, u32); 10] = [
            ("lodash", "lodash", 0),
            ("lodash", "loadsh", 1),
            ("electron", "electorn", 1),
            ("cross-env", "crossenv", 1),
            ("requests", "reqeusts", 1),
            ("react", "preact", 1),
            ("express", "expres", 1),
            ("kitten", "sitting", 3),
            ("", "abc", 3),
            // Optimal string alignment edits no substring twice: this is 3, not 2.
            ("ca", "abc", 3),
        ];
        for (a, b, distance) in cases {
            assert_eq!(osa(a.as_bytes(), b.as_bytes()), distance, "{a} / {b}");
            assert_eq!(osa(b.as_bytes(), a.as_bytes()), distance, "{b} / {a}");
        }
    }
}
