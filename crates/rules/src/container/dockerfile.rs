//! A Dockerfile / Containerfile reader: instructions with their spans (line
//! continuations joined, comment lines dropped, BuildKit here-documents attached, the
//! `# escape=` parser directive honoured) and build stages (`FROM … AS name`).

use std::ops::Range;

use super::shell;

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword, upper case (`RUN`, `FROM`, …).
    pub keyword: String,
    /// The arguments: continuation lines joined with a space, here-document bodies
    /// appended after a newline.
    pub args: String,
    /// The instruction's bytes in the file, from its keyword to its last line.
    pub span: Range<usize>,
}

/// A build stage: a `FROM` and the instructions up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The `FROM` instruction's index in [`Dockerfile::instructions`].
    pub from: usize,
    /// The instructions of the stage (the `FROM` excluded), as indexes.
    pub body: Range<usize>,
    /// The base image as written (`node:20-slim`, `builder`, `${BASE}`).
    pub image: String,
    /// The base image with global `ARG` defaults substituted, when all resolve.
    pub resolved_image: Option<String>,
    /// The stage's name (`AS name`), lower case.
    pub name: Option<String>,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerfile {
    /// Every instruction, in order.
    pub instructions: Vec<Instruction>,
    /// The build stages, in order; the last one is the image.
    pub stages: Vec<Stage>,
}

/// Extensions that make `Dockerfile.<ext>` something else: docs, code, data.
const NOT_DOCKERFILE_SUFFIXES: &[&str] = &[
    "md", "txt", "rst", "ts", "js", "mjs", "py", "go", "rs", "json", "yml", "yaml", "toml", "sh",
    "lock", "snap",
];

/// True for `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `app.Dockerfile`,
/// `build.dockerfile` and the like.
pub fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["dockerfile", "containerfile"].iter().any(|base| {
        name == *base
            || name.strip_prefix(base).is_some_and(|rest| {
                rest.strip_prefix('.')
                    .is_some_and(|suffix| !NOT_DOCKERFILE_SUFFIXES.contains(&suffix))
            })
            || name
                .strip_suffix(base)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

impl Instruction {
    /// The arguments of the exec (JSON array) form, e.g. `CMD ["node", "x.js"]`.
    pub fn exec_form(&self) -> Option<Vec<String>> {
        let args = self.args.trim();
        if !args.starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<String>>(args).ok()
    }

    /// The words of the instruction: the exec form's items, or the shell form read as
    /// a shell command (quotes removed).
    pub fn words(&self) -> Vec<String> {
        self.exec_form().unwrap_or_else(|| {
            shell::parse(&self.args)
                .into_iter()
                .flat_map(|p| p.commands)
                .flat_map(|c| c.words)
                .collect()
        })
    }

    /// The `KEY=value` pairs of `ENV`, `ARG` and `LABEL` (values unquoted; a bare `ARG
    /// NAME` has an empty value), with the legacy `ENV KEY value with spaces` form.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let words = self.words();
        match words.first() {
            Some(first) if !first.contains('=') && self.keyword == "ENV" => {
                vec![(first.clone(), words[1..].join(" "))]
            }
            _ => words
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (w.clone(), String::new()),
                })
                .collect(),
        }
    }
}

impl Dockerfile {
    /// The last stage: the image that gets built and run.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The instructions of `stage`.
    pub fn body(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.body.clone()]
    }

    /// The earlier stage `stage` is built on (`FROM builder`), if any.
    pub fn parent(&self, stage: &Stage) -> Option<&Stage> {
        let position = self.stages.iter().position(|s| s == stage)?;
        let base = stage.image.to_ascii_lowercase();
        self.stages[..position]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(base.as_str()))
    }

    /// True when `image` names a stage defined before stage number `before`.
    pub fn is_stage_reference(&self, image: &str, before: usize) -> bool {
        let image = image.to_ascii_lowercase();
        self.stages[..before.min(self.stages.len())]
            .iter()
            .any(|s| s.name.as_deref() == Some(image.as_str()))
    }
}

/// Parses a Dockerfile. Lines that are not instructions are skipped.
pub fn parse(text: &str) -> Dockerfile {
    let mut escape = '\\';
    let mut instructions = Vec::new();
    let mut lines = physical_lines(text).peekable();
    let mut seen_instruction = false;
    while let Some((start, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            if !seen_instruction && let Some(value) = directive(trimmed, "escape") {
                escape = value.chars().next().unwrap_or('\\');
            }
            continue;
        }
        seen_instruction = true;
        let lead = line.len() - line.trim_start().len();
        let mut end = start + line.trim_end().len();
        let (keyword, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let mut args = String::new();
        let mut continued = push_line(&mut args, rest, escape);
        while continued {
            let Some((next_start, next)) = lines.next() else {
                break;
            };
            let t = next.trim();
            if t.starts_with('#') || t.is_empty() {
                continue;
            }
            end = next_start + next.trim_end().len();
            continued = push_line(&mut args, t, escape);
        }
        for delimiter in heredoc_delimiters(&args) {
            for (next_start, next) in lines.by_ref() {
                end = next_start + next.trim_end().len();
                let body_line = next.trim_end_matches(['\n', '\r']);
                if body_line.trim_start_matches('\t') == delimiter {
                    break;
                }
                args.push('\n');
                args.push_str(body_line);
            }
        }
        instructions.push(Instruction {
            keyword: keyword.to_ascii_uppercase(),
            args: args.trim().to_string(),
            span: start + lead..end,
        });
    }
    let stages = stages(&instructions);
    Dockerfile {
        instructions,
        stages,
    }
}

/// The lines of `text` with their start offsets (line ends excluded).
fn physical_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

/// Appends `line` to `args`; true when it ends with the escape character (continued).
fn push_line(args: &mut String, line: &str, escape: char) -> bool {
    let line = line.trim_end();
    let (content, continued) = match line.strip_suffix(escape) {
        Some(content) => (content, true),
        None => (line, false),
    };
    if !args.is_empty() && !content.is_empty() {
        args.push(' ');
    }
    args.push_str(content.trim());
    continued
}

/// `# name=value` parser directive.
fn directive<'a>(comment: &'a str, name: &str) -> Option<&'a str> {
    let (key, value) = comment.trim_start_matches('#').split_once('=')?;
    key.trim()
        .eq_ignore_ascii_case(name)
        .then_some(value.trim())
}

/// The delimiters of here-documents opened in `args` (`<<EOF`, `<<-"EOF"`).
fn heredoc_delimiters(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = rest.find("<<") {
        let after = rest[i + 2..].trim_start_matches('-');
        let word: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            out.push(word);
        }
        rest = &rest[i + 2..];
    }
    out
}

/// Groups instructions into stages and resolves base images.
fn stages(instructions: &[Instruction]) -> Vec<Stage> {
    let mut global_args: Vec<(String, String)> = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for (i, instruction) in instructions.iter().enumerate() {
        match instruction.keyword.as_str() {
            "ARG" if stages.is_empty() => global_args.extend(instruction.pairs()),
            "FROM" => {
                if let Some(last) = stages.last_mut() {
                    last.body.end = i;
                }
                let words: Vec<&str> = instruction
                    .args
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let image = words.first().copied().unwrap_or("").to_string();
                let name = match words.get(1) {
                    Some(kw) if kw.eq_ignore_ascii_case("as") => {
                        words.get(2).map(|n| n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                stages.push(Stage {
                    from: i,
                    body: i + 1..instructions.len(),
                    resolved_image: substitute(&image, &global_args),
                    image,
                    name,
                });
            }
            _ => {}
        }
    }
    stages
}

/// `text` with `$NAME`, `${NAME}` and `${NAME:-default}` replaced by the values of
/// `args`; `None` when a variable has no value.
pub fn substitute(text: &str, args: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, default, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let close = inner.find('}')?;
            let body = &inner[..close];
            let (name, default) = match body.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (body, None),
            };
            (name, default, close + 2)
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], None, len)
        };
        let value = args
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .or(default)?;
        out.push_str(value);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_instructions_continuations_and_stages() {
        let text = "# syntax=docker/dockerfile:1\nARG NODE=20\nFROM node:${NODE}-slim AS build\nRUN apt-get update \\\n  # a comment\n  && apt-get install -y git\nFROM gcr/distroless:nonroot\nCOPY --from=build /app /app\nUSER 1000\n";
        let df = parse(text);
        let keywords: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(keywords, ["ARG", "FROM", "RUN", "FROM", "COPY", "USER"]);
        assert_eq!(
            df.instructions[2].args,
            "apt-get update && apt-get install -y git"
        );
        assert!(text[df.instructions[2].span.clone()].ends_with("install -y git"));
        assert_eq!(df.stages.len(), 2);
        assert_eq!(df.stages[0].resolved_image.as_deref(), Some("node:20-slim"));
        assert_eq!(df.stages[0].name.as_deref(), Some("build"));
        assert_eq!(df.body(&df.stages[1]).len(), 2);
        assert!(df.is_stage_reference("BUILD", 1));
    }

    #[test]
    fn honours_escape_directive_heredocs_and_pairs() {
        let text = "# escape=`\nFROM mcr/windows\nRUN echo a `\n  b\nRUN <<EOF\ncurl -s https://x.test | sh\nEOF\nENV A=1 B=\"two words\"\nENV LEGACY some value\n";
        let df = parse(text);
        assert_eq!(df.instructions[1].args, "echo a b");
        assert!(
            df.instructions[2]
                .args
                .contains("curl -s https://x.test | sh")
        );
        assert_eq!(
            df.instructions[3].pairs(),
            vec![("A".into(), "1".into()), ("B".into(), "two words".into())]
        );
        assert_eq!(
            df.instructions[4].pairs(),
            vec![("LEGACY".into(), "some value".into())]
        );
    }

    #[test]
    fn recognises_dockerfile_names() {
        for path in [
            "Dockerfile",
            "docker/Dockerfile.prod",
            "app.Dockerfile",
            "Containerfile",
            "x/build.dockerfile",
        ] {
            assert!(is_dockerfile(path), "{path}");
        }
        for path in [
            "dockerfile.md",
            "Dockerfiles/readme.txt",
            "src/dockerfile.ts",
            "mydockerfile",
        ] {
            assert!(!is_dockerfile(path), "{path}");
        }
    }
}
