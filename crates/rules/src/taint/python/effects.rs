//! Side effects of calls, whatever data they get: running processes or code, writing,
//! deleting and reading files, talking to the network.

use tree_sitter::Node;

use super::calls::{Args, Callee};
use super::engine::FnCx;
use super::value::Kind;
use crate::taint::{Effect, EffectKind};

const EXECUTE: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "pty.spawn",
    "eval",
    "exec",
    "os.execv",
    "os.execvp",
    "os.execl",
    "os.execlp",
    "os.posix_spawn",
    "os.spawnv",
    "os.spawnl",
];
const DELETE: &[&str] = &[
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "shutil.rmtree",
];
const WRITE: &[&str] = &[
    "os.makedirs",
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.chmod",
    "os.chown",
    "os.symlink",
    "os.link",
    "os.truncate",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
];
const READ: &[&str] = &[
    "os.listdir",
    "os.scandir",
    "os.walk",
    "glob.glob",
    "glob.iglob",
];
const NETWORK: &[&str] = &[
    "socket.create_connection",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "websockets.connect",
    "ftplib.FTP",
    "paramiko.SSHClient",
];
const OPEN: &[&str] = &["open", "io.open", "codecs.open", "aiofiles.open", "os.open"];

impl<'t> FnCx<'_, '_, 't> {
    /// Records the effect of a call, if it has one.
    pub(super) fn record_effect(&mut self, callee: &Callee<'t>, call: Node<'t>, args: &Args<'t>) {
        let Some(kind) = self.effect_of(callee, args) else {
            return;
        };
        let location = self.location(call);
        self.out.effects.push(Effect {
            kind,
            callee: callee.display(),
            location,
        });
    }

    fn effect_of(&self, callee: &Callee<'t>, args: &Args<'t>) -> Option<EffectKind> {
        let name = callee.canonical.as_str();
        let shadowed =
            callee.function.kind() == "identifier" && self.index().function_named(name).is_some();
        if shadowed {
            return None;
        }
        if EXECUTE.contains(&name) {
            return Some(EffectKind::Execute);
        }
        if DELETE.contains(&name) {
            return Some(EffectKind::FileDelete);
        }
        if WRITE.contains(&name) {
            return Some(EffectKind::FileWrite);
        }
        if READ.contains(&name) {
            return Some(EffectKind::FileRead);
        }
        if NETWORK.contains(&name) || name == "urllib.request.urlopen" {
            return Some(EffectKind::Network);
        }
        if OPEN.contains(&name) {
            return Some(open_mode(self, args, 1));
        }
        if self.is_request(callee) {
            return Some(EffectKind::Network);
        }
        let method = callee.method?;
        let path = callee.receiver_value.kind == Kind::PathObject;
        match method {
            "unlink" | "rmdir" => Some(EffectKind::FileDelete),
            "write_text" | "write_bytes" | "touch" | "symlink_to" | "hardlink_to" => {
                Some(EffectKind::FileWrite)
            }
            "mkdir" | "rename" | "replace" | "chmod" if path => Some(EffectKind::FileWrite),
            "read_text" | "read_bytes" => Some(EffectKind::FileRead),
            "iterdir" | "glob" | "rglob" if path => Some(EffectKind::FileRead),
            "open" if path => Some(open_mode(self, args, 0)),
            _ => None,
        }
    }
}

/// `open(p)` reads; `open(p, "w")` (or `a`, `x`, `+`) writes. The mode is positional
/// argument `position` or keyword `mode`.
fn open_mode<'t>(cx: &FnCx<'_, '_, 't>, args: &Args<'t>, position: usize) -> EffectKind {
    let mode = args
        .get(position, "mode")
        .and_then(|(node, _)| cx.index().const_str(node));
    match mode {
        Some(m) if m.contains(['w', 'a', 'x', '+']) => EffectKind::FileWrite,
        _ => EffectKind::FileRead,
    }
}
