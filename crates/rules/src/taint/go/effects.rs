//! Side effects of calls, whether or not tainted data reaches them: running processes or
//! code, writing, deleting or reading files, and network requests.

use crate::taint::EffectKind;

/// Flags of `os.OpenFile` that open for writing.
const WRITE_FLAGS: &[&str] = &["O_WRONLY", "O_RDWR", "O_CREATE", "O_APPEND", "O_TRUNC"];

/// The effect of calling `path.name` (`args` is the call's argument text, for
/// `os.OpenFile` flags).
pub(super) fn of_function(path: &str, name: &str, args: &str) -> Option<EffectKind> {
    use EffectKind::*;
    Some(match (path, name) {
        ("os/exec", "Command" | "CommandContext")
        | ("syscall", "Exec" | "ForkExec" | "StartProcess")
        | ("os", "StartProcess")
        | ("plugin", "Open") => Execute,
        ("os", "OpenFile") if WRITE_FLAGS.iter().any(|f| args.contains(f)) => FileWrite,
        ("os", "OpenFile") => FileRead,
        (
            "os",
            "WriteFile" | "Create" | "CreateTemp" | "Mkdir" | "MkdirAll" | "MkdirTemp" | "Rename"
            | "Chmod" | "Chown" | "Lchown" | "Chtimes" | "Symlink" | "Link" | "Truncate" | "CopyFS",
        )
        | ("io/ioutil", "WriteFile" | "TempFile" | "TempDir") => FileWrite,
        ("os", "Remove" | "RemoveAll") => FileDelete,
        ("os", "Open" | "ReadFile" | "ReadDir" | "DirFS" | "OpenInRoot")
        | ("io/ioutil", "ReadFile" | "ReadDir")
        | ("path/filepath", "Walk" | "WalkDir" | "Glob")
        | ("net/http", "ServeFile") => FileRead,
        ("net/http", "Get" | "Post" | "Head" | "PostForm")
        | ("net", "Dial" | "DialTimeout" | "DialTCP" | "DialUDP")
        | ("crypto/tls", "Dial" | "DialWithDialer")
        | ("net/smtp", "SendMail") => Network,
        (p, n) if p.contains("browser") && n.starts_with("Open") => Execute,
        _ => return None,
    })
}

/// The effect of method `name` of an `os.Root`.
pub(super) fn of_root_method(name: &str) -> Option<EffectKind> {
    use EffectKind::*;
    Some(match name {
        "Open" | "ReadFile" | "ReadDir" | "FS" => FileRead,
        "Create" | "OpenFile" | "WriteFile" | "Mkdir" | "MkdirAll" | "Rename" | "Symlink"
        | "Link" | "Chmod" | "Chown" | "Lchown" | "Chtimes" => FileWrite,
        "Remove" | "RemoveAll" => FileDelete,
        _ => return None,
    })
}
