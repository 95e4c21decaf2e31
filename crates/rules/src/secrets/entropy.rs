//! Shannon entropy of candidate secrets.

/// Shannon entropy of `value` in bits per character (0 for the empty string).
///
/// Random tokens over base62 score about 5.0–5.9, hex about 3.7–4.0 for typical lengths;
/// words, identifiers and repeated characters score far lower.
pub fn shannon(value: &str) -> f64 {
    let mut counts = [0u32; 128];
    let mut other: Vec<(char, u32)> = Vec::new();
    let mut total = 0u32;
    for c in value.chars() {
        total += 1;
        match usize::try_from(u32::from(c)) {
            Ok(i) if i < counts.len() => counts[i] += 1,
            _ => match other.iter_mut().find(|(o, _)| *o == c) {
                Some((_, n)) => *n += 1,
                None => other.push((c, 1)),
            },
        }
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .copied()
        .chain(other.iter().map(|&(_, n)| n))
        .filter(|&n| n > 0)
        .map(|n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::shannon;

    #[test]
    fn entropy_orders_random_above_repetitive() {
        assert_eq!(shannon(""), 0.0);
        assert_eq!(shannon("aaaaaaaa"), 0.0);
        assert!((shannon("abab") - 1.0).abs() < 1e-9);
        assert!((shannon("0123456789abcdef") - 4.0).abs() < 1e-9);
        assert!(shannon("Zq8vN3kLm2Xw9Rt5Yp1B") > 4.0);
        assert!(shannon("password") < 3.0);
        assert!(shannon("ééaa") > 0.9);
    }
}
