//! Walking a directory tree: sorted, depth-first, never following links, one file read
//! per step.

use std::fs::{self, File, FileType};
use std::path::{Path, PathBuf};

use assay_core::SkipReason;

use crate::SourceError;
use crate::path::{Rejection, component_name, depth, escape_name, shown};
use crate::reader::Backend;
use crate::recorder::Recorder;

/// Names of version-control internals (not package content), skipped without a record
/// wherever they appear.
const VCS_DIRS: [&str; 1] = [".git"];

/// Reads a directory tree.
pub(crate) struct DirectoryBackend {
    root: PathBuf,
}

/// Checks the root can be listed.
pub(crate) fn open(root: &Path) -> Result<DirectoryBackend, SourceError> {
    fs::read_dir(root).map_err(|e| SourceError::Unreadable {
        path: root.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(DirectoryBackend {
        root: root.to_path_buf(),
    })
}

/// A directory entry waiting to be visited.
struct Node {
    /// Relative, `/`-separated path (`""` for the root).
    rel: String,
    /// Where it is on disk.
    abs: PathBuf,
    /// Its type, from `lstat` (links are not followed).
    file_type: FileType,
    /// Why its name is refused, if it is.
    rejection: Option<Rejection>,
}

impl Backend for DirectoryBackend {
    fn run(self: Box<Self>, recorder: &mut Recorder) {
        let root_type = match fs::metadata(&self.root) {
            Ok(metadata) => metadata.file_type(),
            Err(e) => {
                recorder.skip(".", SkipReason::Unreadable, Some(e.to_string()));
                return;
            }
        };
        let mut stack = vec![Node {
            rel: String::new(),
            abs: self.root,
            file_type: root_type,
            rejection: None,
        }];
        while let Some(node) = stack.pop() {
            if recorder.stopped() {
                break;
            }
            visit(node, &mut stack, recorder);
        }
    }
}

/// Handles one node; a directory pushes its children so that they are visited next,
/// in name order.
fn visit(node: Node, stack: &mut Vec<Node>, recorder: &mut Recorder) {
    let Node {
        rel,
        abs,
        file_type,
        rejection,
    } = node;
    if let Some(rejection) = rejection {
        recorder.reject(&rel, rejection);
        return;
    }
    if !rel.is_empty() && recorder.excluded(&rel) {
        return;
    }
    if file_type.is_symlink() {
        let target = fs::read_link(&abs).map_or_else(
            |e| format!("unreadable link: {e}"),
            |t| format!("-> {}", escape_name(t.as_os_str().as_encoded_bytes())),
        );
        recorder.skip(&rel, SkipReason::Symlink, Some(target));
    } else if file_type.is_dir() {
        push_children(&rel, &abs, stack, recorder);
    } else if file_type.is_file() {
        match File::open(&abs) {
            Ok(mut file) => {
                recorder.file(&rel, &mut file, None);
            }
            Err(e) => recorder.skip(&rel, SkipReason::Unreadable, Some(e.to_string())),
        }
    } else {
        recorder.skip(
            &rel,
            SkipReason::SpecialFile,
            Some(special_kind(file_type).into()),
        );
    }
}

/// Lists directory `rel` and pushes its children in reverse name order (so they pop in
/// name order), or records why its contents are not read.
fn push_children(rel: &str, abs: &Path, stack: &mut Vec<Node>, recorder: &mut Recorder) {
    let unreadable = |recorder: &mut Recorder, e: std::io::Error| {
        recorder.skip(shown(rel), SkipReason::Unreadable, Some(e.to_string()));
    };
    let listing = match fs::read_dir(abs) {
        Ok(listing) => listing,
        Err(e) => return unreadable(recorder, e),
    };
    let mut children = Vec::new();
    for item in listing {
        match item.and_then(|entry| Ok((entry.file_name(), entry.file_type()?))) {
            Ok(child) => children.push(child),
            Err(e) => return unreadable(recorder, e),
        }
    }
    children.retain(|(name, _)| !VCS_DIRS.iter().any(|vcs| name == *vcs));
    if children.is_empty() {
        return;
    }
    if depth(rel) >= recorder.limits().max_depth as usize {
        recorder.too_deep(rel);
        return;
    }
    children.sort_unstable_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, file_type) in children.into_iter().rev() {
        let raw = name.as_encoded_bytes();
        let (shown_name, rejection) = match component_name(raw) {
            Ok(valid) => (valid, None),
            Err(rejection) => (escape_name(raw), Some(rejection)),
        };
        stack.push(Node {
            rel: if rel.is_empty() {
                shown_name
            } else {
                format!("{rel}/{shown_name}")
            },
            abs: abs.join(&name),
            file_type,
            rejection,
        });
    }
}

/// What kind of special file this is, for the report.
#[cfg(unix)]
fn special_kind(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() {
        "block device"
    } else if file_type.is_char_device() {
        "character device"
    } else {
        "special file"
    }
}

/// What kind of special file this is, for the report.
#[cfg(not(unix))]
fn special_kind(_file_type: FileType) -> &'static str {
    "special file"
}
