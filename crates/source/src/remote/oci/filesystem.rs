//! The image's filesystem as its layers leave it, indexed without extracting anything:
//! which layer (and which entry of it) provides each surviving path.
//!
//! Layers apply bottom first. An entry replaces the same path from lower layers (a
//! non-directory replacing a directory hides everything under it); a whiteout
//! `<dir>/.wh.<name>` deletes `<dir>/<name>` and everything under it from lower layers;
//! an opaque marker `<dir>/.wh..wh..opq` hides everything lower layers put under `<dir>`.
//! Whiteouts never affect entries of their own layer.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;

use super::layers::{EntryKind, LayerEntry, Layers, VisitError};
use crate::SourceError;

/// Most paths the index holds (a large image has a few hundred thousand).
const MAX_NODES: usize = 1_000_000;
/// Largest launcher script kept for reading (Python console scripts are a few hundred
/// bytes), and how many are kept.
const MAX_SCRIPT_BYTES: u64 = 64 * 1024;
const MAX_SCRIPTS: usize = 256;
/// Most symbolic links followed resolving one path.
const MAX_LINK_HOPS: usize = 40;

/// Where a surviving path comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    /// The layer (bottom is 0).
    pub layer: usize,
    /// The entry's position in that layer.
    pub ordinal: u64,
    /// What it is.
    pub kind: EntryKind,
}

/// A launcher script's content and the entry it was read from.
struct Script {
    layer: usize,
    ordinal: u64,
    content: Vec<u8>,
}

/// The flattened view of an image.
#[derive(Default)]
pub(super) struct FileSystem {
    nodes: BTreeMap<String, Node>,
    scripts: HashMap<String, Script>,
}

impl FileSystem {
    /// Indexes every layer. Small files named in `scripts` that sit in a `bin` or `sbin`
    /// directory are kept (the launchers an entrypoint may name).
    pub fn index(layers: &Layers, scripts: &HashSet<String>) -> Result<FileSystem, SourceError> {
        let mut fs = FileSystem::default();
        for layer in 0..layers.len() {
            layers.visit(layer, |entry, content| {
                let Some(path) = &entry.path else {
                    return Ok(());
                };
                if fs.scripts.len() < MAX_SCRIPTS && is_wanted_script(path, &entry.kind, scripts) {
                    let mut bytes = Vec::new();
                    content
                        .take(MAX_SCRIPT_BYTES)
                        .read_to_end(&mut bytes)
                        .map_err(VisitError::Read)?;
                    let script = Script {
                        layer,
                        ordinal: entry.ordinal,
                        content: bytes,
                    };
                    fs.scripts.insert(path.clone(), script);
                }
                fs.apply(layer, entry, path)?;
                Ok(())
            })?;
        }
        Ok(fs)
    }

    /// Applies one entry of `layer` at `path`.
    fn apply(&mut self, layer: usize, entry: &LayerEntry, path: &str) -> Result<(), SourceError> {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        if name == ".wh..wh..opq" {
            self.remove_lower(parent, layer, false);
            return Ok(());
        }
        if let Some(hidden) = name.strip_prefix(".wh.") {
            if !hidden.is_empty() {
                self.remove_lower(&join(parent, hidden), layer, true);
            }
            return Ok(());
        }
        let replaces_dir = self
            .nodes
            .get(path)
            .is_some_and(|n| n.kind == EntryKind::Dir);
        if entry.kind != EntryKind::Dir && replaces_dir {
            self.remove_lower(path, layer, false);
        }
        let node = Node {
            layer,
            ordinal: entry.ordinal,
            kind: entry.kind.clone(),
        };
        if self.nodes.insert(path.to_string(), node).is_none() && self.nodes.len() > MAX_NODES {
            return Err(SourceError::Unusable {
                what: "the image's filesystem".into(),
                reason: format!("more than {MAX_NODES} paths"),
            });
        }
        Ok(())
    }

    /// Removes what layers below `layer` put under `path` (and `path` itself when
    /// `include_self`).
    fn remove_lower(&mut self, path: &str, layer: usize, include_self: bool) {
        let mut doomed: Vec<String> = self
            .under(path)
            .filter(|(_, n)| n.layer < layer)
            .map(|(k, _)| k.clone())
            .collect();
        if include_self && self.nodes.get(path).is_some_and(|n| n.layer < layer) {
            doomed.push(path.to_string());
        }
        for key in doomed {
            self.nodes.remove(&key);
        }
    }

    /// The entry that provides `path`, if it survives.
    pub fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// The surviving paths under `dir` (all of them for the root `""`), in order.
    pub fn under<'s>(
        &'s self,
        dir: &str,
    ) -> impl Iterator<Item = (&'s String, &'s Node)> + use<'s> {
        let prefix = dir_prefix(dir);
        self.nodes
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
    }

    /// Whether `path` is a directory: an entry says so, or something survives under it.
    pub fn is_dir(&self, path: &str) -> bool {
        path.is_empty()
            || match self.nodes.get(path) {
                Some(node) => node.kind == EntryKind::Dir,
                None => self.under(path).next().is_some(),
            }
    }

    /// Whether `path` is a regular file.
    pub fn is_file(&self, path: &str) -> bool {
        matches!(
            self.nodes.get(path),
            Some(Node {
                kind: EntryKind::File { .. },
                ..
            })
        )
    }

    /// The names of the directories directly under `dir`.
    pub fn child_dirs(&self, dir: &str) -> BTreeSet<String> {
        let skip = dir_prefix(dir).len();
        self.under(dir)
            .filter_map(|(path, node)| {
                let rest = &path[skip..];
                match rest.split_once('/') {
                    Some((child, _)) => Some(child.to_string()),
                    None => (node.kind == EntryKind::Dir).then(|| rest.to_string()),
                }
            })
            .collect()
    }

    /// `path` with every symbolic link in it resolved inside the image; `None` when it
    /// does not exist or the links loop.
    pub fn resolve(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = path.rsplit('/').map(str::to_string).collect();
        let mut current: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "" | "." => continue,
                ".." => {
                    current.pop();
                    continue;
                }
                _ => current.push(part),
            }
            let joined = current.join("/");
            match self.nodes.get(&joined).map(|n| &n.kind) {
                Some(EntryKind::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_LINK_HOPS {
                        return None;
                    }
                    current.pop();
                    if target.starts_with('/') {
                        current.clear();
                    }
                    pending.extend(target.rsplit('/').map(str::to_string));
                }
                Some(_) => {}
                None if self.under(&joined).next().is_some() => {}
                None => return None,
            }
        }
        Some(current.join("/"))
    }

    /// The content of the launcher script at `path`, when it was kept and is the entry
    /// that survives there.
    pub fn script(&self, path: &str) -> Option<&[u8]> {
        let script = self.scripts.get(path)?;
        let node = self.nodes.get(path)?;
        (node.layer == script.layer && node.ordinal == script.ordinal)
            .then_some(script.content.as_slice())
    }

    /// Every surviving path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.nodes.keys()
    }
}

/// Whether an entry is a launcher worth keeping: a small regular file named in
/// `scripts`, in a `bin` or `sbin` directory.
fn is_wanted_script(path: &str, kind: &EntryKind, scripts: &HashSet<String>) -> bool {
    let EntryKind::File { size } = kind else {
        return false;
    };
    let mut parts = path.rsplit('/');
    let (Some(name), Some(dir)) = (parts.next(), parts.next()) else {
        return false;
    };
    *size <= MAX_SCRIPT_BYTES && matches!(dir, "bin" | "sbin") && scripts.contains(name)
}

/// `dir/` (or `""` for the root): the prefix of every path under `dir`.
fn dir_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// `parent/name` (or `name` under the root).
pub(super) fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> EntryKind {
        EntryKind::File { size: 1 }
    }

    fn build(layers: &[&[(&str, EntryKind)]]) -> FileSystem {
        let mut fs = FileSystem::default();
        for (layer, entries) in layers.iter().enumerate() {
            for (ordinal, (path, kind)) in (0u64..).zip(entries.iter()) {
                let entry = LayerEntry {
                    ordinal,
                    path: Some((*path).to_string()),
                    kind: kind.clone(),
                };
                fs.apply(layer, &entry, path).unwrap();
            }
        }
        fs
    }

    #[test]
    fn whiteouts_delete_lower_layers_only() {
        let fs = build(&[
            &[
                ("app", EntryKind::Dir),
                ("app/a.js", file()),
                ("app/gone", EntryKind::Dir),
                ("app/gone/x.js", file()),
                ("app/gone-not.js", file()),
            ],
            &[
                ("app/gone/new.js", file()),
                ("app/.wh.a.js", file()),
                ("app/.wh.gone", file()),
            ],
        ]);
        let paths: Vec<&String> = fs.paths().collect();
        assert_eq!(paths, ["app", "app/gone-not.js", "app/gone/new.js"]);
        assert!(fs.is_dir("app/gone"));
    }

    #[test]
    fn opaque_dirs_hide_lower_content() {
        let fs = build(&[
            &[
                ("etc/conf/a", file()),
                ("etc/conf/b", file()),
                ("etc/other", file()),
            ],
            &[("etc/conf/c", file()), ("etc/conf/.wh..wh..opq", file())],
        ]);
        let paths: Vec<&String> = fs.paths().collect();
        assert_eq!(paths, ["etc/conf/c", "etc/other"]);
    }

    #[test]
    fn a_file_replacing_a_directory_hides_its_content() {
        let fs = build(&[
            &[("srv", EntryKind::Dir), ("srv/x", file())],
            &[("srv", file())],
        ]);
        assert_eq!(fs.paths().collect::<Vec<_>>(), ["srv"]);
        assert_eq!(fs.node("srv").unwrap().layer, 1);
    }

    #[test]
    fn resolves_links_inside_the_image() {
        let fs = build(&[&[
            ("bin", EntryKind::Symlink("usr/bin".into())),
            (
                "usr/bin/tool",
                EntryKind::Symlink("../lib/node_modules/t/cli.js".into()),
            ),
            ("usr/lib/node_modules/t/cli.js", file()),
            ("loop", EntryKind::Symlink("/loop".into())),
        ]]);
        assert_eq!(
            fs.resolve("bin/tool").as_deref(),
            Some("usr/lib/node_modules/t/cli.js")
        );
        assert_eq!(fs.resolve("loop"), None);
        assert_eq!(fs.resolve("missing/x"), None);
        let children: Vec<String> = fs.child_dirs("usr").into_iter().collect();
        assert_eq!(children, ["bin", "lib"]);
    }
}
