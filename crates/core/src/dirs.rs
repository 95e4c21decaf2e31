//! Where Assay keeps state by convention (DESIGN.md, "Conventions users rely on"): the
//! data directory holds the advisory database and the service's SQLite file.

use std::ffi::OsString;
use std::path::PathBuf;

/// The data directory: `ASSAY_DATA_DIR`, else `$XDG_DATA_HOME/assay`, else
/// `~/.local/share/assay`; `None` when none of these variables is set (empty counts as
/// unset).
pub fn data_dir() -> Option<PathBuf> {
    data_dir_from(|name| std::env::var_os(name))
}

/// [`data_dir`] with the environment read through `var`.
pub fn data_dir_from(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let non_empty = |name: &str| var(name).filter(|v| !v.is_empty());
    non_empty("ASSAY_DATA_DIR").map(PathBuf::from).or_else(|| {
        non_empty("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| non_empty("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .map(|d| d.join("assay"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_data_dir_follows_the_conventions() {
        let all = [
            ("ASSAY_DATA_DIR", "/data"),
            ("XDG_DATA_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(data_dir_from(env(&all)), Some(PathBuf::from("/data")));
        assert_eq!(
            data_dir_from(env(&all[1..])),
            Some(PathBuf::from("/xdg/assay"))
        );
        assert_eq!(
            data_dir_from(env(&[("ASSAY_DATA_DIR", ""), ("HOME", "/home/u")])),
            Some(PathBuf::from("/home/u/.local/share/assay"))
        );
        assert_eq!(data_dir_from(env(&[])), None);
    }
}
