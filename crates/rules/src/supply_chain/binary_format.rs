//! Recognising native executables and libraries by their headers: ELF, Mach-O (thin
//! and universal) and PE, with their CPU architecture and kind. Java class files share
//! the universal Mach-O magic `cafebabe` and are told apart by what follows it.

/// What a native binary is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeBinary {
    /// `ELF`, `Mach-O`, `Mach-O universal` or `PE`.
    pub format: &'static str,
    /// CPU architecture(s), e.g. `x86-64`, `arm64`.
    pub arch: String,
    /// `executable`, `shared library`, `object file`, … .
    pub kind: &'static str,
}

impl NativeBinary {
    /// True for programs (as opposed to libraries and objects).
    pub fn is_executable(&self) -> bool {
        self.kind == "executable"
    }

    /// A one-line description, e.g. `ELF x86-64 shared library`.
    pub fn describe(&self) -> String {
        format!("{} {} {}", self.format, self.arch, self.kind)
    }
}

/// The native binary `bytes` hold, if any.
pub fn identify(bytes: &[u8]) -> Option<NativeBinary> {
    match bytes.get(..4)? {
        [0x7f, b'E', b'L', b'F'] => elf(bytes),
        [0xfe, 0xed, 0xfa, 0xce | 0xcf] => mach_o(bytes, false),
        [0xce | 0xcf, 0xfa, 0xed, 0xfe] => mach_o(bytes, true),
        [0xca, 0xfe, 0xba, 0xbe | 0xbf] => universal(bytes),
        [b'M', b'Z', _, _] => pe(bytes),
        _ => None,
    }
}

fn u16_at(bytes: &[u8], at: usize, little: bool) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
    Some(if little {
        u16::from_le_bytes(b)
    } else {
        u16::from_be_bytes(b)
    })
}

fn u32_at(bytes: &[u8], at: usize, little: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(if little {
        u32::from_le_bytes(b)
    } else {
        u32::from_be_bytes(b)
    })
}

fn elf(bytes: &[u8]) -> Option<NativeBinary> {
    let little = *bytes.get(5)? != 2;
    let kind = match u16_at(bytes, 16, little)? {
        1 => "object file",
        2 => "executable",
        // ET_DYN: shared objects and position-independent executables alike.
        3 => "shared library or PIE executable",
        4 => "core dump",
        _ => "file",
    };
    let arch = match u16_at(bytes, 18, little)? {
        3 => "x86",
        0x3e => "x86-64",
        0x28 => "arm",
        0xb7 => "arm64",
        0xf3 => "risc-v",
        8 => "mips",
        0x14 => "powerpc",
        0x15 => "powerpc64",
        0x16 => "s390",
        _ => "unknown-arch",
    };
    Some(NativeBinary {
        format: "ELF",
        arch: arch.into(),
        kind,
    })
}

fn mach_o_cpu(cpu: u32) -> Option<&'static str> {
    Some(match cpu {
        7 => "x86",
        0x0100_0007 => "x86-64",
        12 => "arm",
        0x0100_000c => "arm64",
        0x0200_000c => "arm64_32",
        18 => "powerpc",
        0x0100_0012 => "powerpc64",
        _ => return None,
    })
}

fn mach_o(bytes: &[u8], little: bool) -> Option<NativeBinary> {
    let arch = mach_o_cpu(u32_at(bytes, 4, little)?).unwrap_or("unknown-arch");
    let kind = match u32_at(bytes, 12, little)? {
        1 => "object file",
        2 => "executable",
        6 => "shared library",
        8 => "bundle",
        _ => "file",
    };
    Some(NativeBinary {
        format: "Mach-O",
        arch: arch.into(),
        kind,
    })
}

/// A universal (fat) Mach-O — or a Java class file, whose magic is the same: a class
/// file continues with its version (major ≥ 45), a universal binary with a small
/// architecture count followed by known CPU types.
fn universal(bytes: &[u8]) -> Option<NativeBinary> {
    let count = u32_at(bytes, 4, false)?;
    if count == 0 || count > 16 {
        return None;
    }
    let entry = if bytes[3] == 0xbf { 32 } else { 20 };
    let mut archs = Vec::new();
    for i in 0..count as usize {
        archs.push(mach_o_cpu(u32_at(bytes, 8 + i * entry, false)?)?);
    }
    Some(NativeBinary {
        format: "Mach-O universal",
        arch: archs.join("+"),
        kind: "binary",
    })
}

fn pe(bytes: &[u8]) -> Option<NativeBinary> {
    let header = u32_at(bytes, 0x3c, true)? as usize;
    if bytes.get(header..header + 4)? != b"PE\0\0" {
        return None;
    }
    let arch = match u16_at(bytes, header + 4, true)? {
        0x14c => "x86",
        0x8664 => "x86-64",
        0xaa64 => "arm64",
        0x1c4 => "arm",
        _ => "unknown-arch",
    };
    let characteristics = u16_at(bytes, header + 22, true)?;
    let kind = if characteristics & 0x2000 != 0 {
        "shared library"
    } else {
        "executable"
    };
    Some(NativeBinary {
        format: "PE",
        arch: arch.into(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_headers() {
        let mut elf = vec![0u8; 64];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 2;
        elf[5] = 1;
        elf[16] = 3;
        elf[18] = 0x3e;
        assert_eq!(
            identify(&elf).map(|b| b.describe()).as_deref(),
            Some("ELF x86-64 shared library or PIE executable")
        );

        let mut macho = vec![0u8; 32];
        macho[..4].copy_from_slice(&[0xcf, 0xfa, 0xed, 0xfe]);
        macho[4..8].copy_from_slice(&0x0100_000cu32.to_le_bytes());
        macho[12] = 2;
        assert_eq!(
            identify(&macho).map(|b| b.describe()).as_deref(),
            Some("Mach-O arm64 executable")
        );

        let mut fat = vec![0u8; 64];
        fat[..4].copy_from_slice(&[0xca, 0xfe, 0xba, 0xbe]);
        fat[4..8].copy_from_slice(&2u32.to_be_bytes());
        fat[8..12].copy_from_slice(&0x0100_0007u32.to_be_bytes());
        fat[28..32].copy_from_slice(&0x0100_000cu32.to_be_bytes());
        assert_eq!(
            identify(&fat).map(|b| b.arch).as_deref(),
            Some("x86-64+arm64")
        );

        // A Java class file: cafebabe, minor 0, major 65.
        let class = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 65, 0, 0, 0, 0];
        assert_eq!(identify(&class), None);

        let mut pe_bytes = vec![0u8; 256];
        pe_bytes[..2].copy_from_slice(b"MZ");
        pe_bytes[0x3c] = 0x80;
        pe_bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
        pe_bytes[0x84..0x86].copy_from_slice(&0x8664u16.to_le_bytes());
        pe_bytes[0x80 + 22..0x80 + 24].copy_from_slice(&0x2000u16.to_le_bytes());
        assert_eq!(
            identify(&pe_bytes).map(|b| b.describe()).as_deref(),
            Some("PE x86-64 shared library")
        );
        assert_eq!(identify(b"MZ just text"), None);
        assert_eq!(identify(b"\x89PNG\r\n\x1a\n"), None);
    }
}
