//! The image config: what the image runs (user, entrypoint, command, working directory,
//! environment, ports), its platform, and the history of the steps that built it.

use std::collections::BTreeMap;

use assay_core::ImageInfo;
use serde::Deserialize;

use crate::SourceError;

/// The parts of an image config Assay uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ImageConfig {
    /// `amd64`, `arm64`…
    #[serde(default)]
    pub architecture: Option<String>,
    /// `linux`…
    #[serde(default)]
    pub os: Option<String>,
    /// `v8`…
    #[serde(default)]
    pub variant: Option<String>,
    /// What the container runs (the `config` object).
    #[serde(default, rename = "config", deserialize_with = "null_as_default")]
    pub run: RunConfig,
    /// The build steps, oldest first.
    #[serde(default, deserialize_with = "null_as_default")]
    pub history: Vec<HistoryEntry>,
}

/// The `config` object: how a container of the image starts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RunConfig {
    /// `User` (`""` or absent: root).
    #[serde(default)]
    pub user: Option<String>,
    /// `Env`, `NAME=value` strings.
    #[serde(default, deserialize_with = "null_as_default")]
    pub env: Vec<String>,
    /// `Entrypoint`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub entrypoint: Vec<String>,
    /// `Cmd`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cmd: Vec<String>,
    /// `WorkingDir`.
    #[serde(default)]
    pub working_dir: Option<String>,
    /// `ExposedPorts`, keys like `8080/tcp`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub exposed_ports: BTreeMap<String, serde::de::IgnoredAny>,
}

/// One build step.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct HistoryEntry {
    /// The instruction that made the step (`/bin/sh -c #(nop)  ENV A=b`,
    /// `RUN … # buildkit`).
    #[serde(default)]
    pub created_by: Option<String>,
}

/// `null` read as the type's default (Docker writes `"Env": null`).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl ImageConfig {
    /// Parses a config blob; `what` names it in errors.
    pub fn read(bytes: &[u8], what: &str) -> Result<ImageConfig, SourceError> {
        serde_json::from_slice(bytes).map_err(|e| SourceError::Unusable {
            what: what.to_string(),
            reason: format!("invalid image config: {e}"),
        })
    }

    /// `os/architecture[/variant]`, `unknown` for what the config does not say.
    pub fn platform(&self) -> String {
        let os = self.os.as_deref().unwrap_or("unknown");
        let arch = self.architecture.as_deref().unwrap_or("unknown");
        let label = match self.variant.as_deref() {
            Some(v) if !v.is_empty() => format!("{os}/{arch}/{v}"),
            _ => format!("{os}/{arch}"),
        };
        crate::path::escape_name(label.as_bytes())
    }

    /// The report's view of the config (without the application roots). Environment
    /// values are left out: they may hold secrets, which the rules report redacted.
    pub fn info(&self) -> ImageInfo {
        let run = &self.run;
        ImageInfo {
            user: run.user.clone().filter(|u| !u.is_empty()),
            entrypoint: run.entrypoint.clone(),
            cmd: run.cmd.clone(),
            working_dir: run.working_dir.clone().filter(|w| !w.is_empty()),
            exposed_ports: run.exposed_ports.keys().cloned().collect(),
            env_names: run.env_names().map(str::to_string).collect(),
            app_roots: Vec::new(),
        }
    }
}

impl RunConfig {
    /// The names of the environment variables.
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.env
            .iter()
            .map(|e| e.split_once('=').map_or(e.as_str(), |(name, _)| name))
    }

    /// The value of environment variable `name` (the last one set).
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find_map(|e| {
            e.split_once('=')
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v)
        })
    }

    /// The command a container runs: the entrypoint followed by the command.
    pub fn command(&self) -> impl Iterator<Item = &str> {
        self.entrypoint
            .iter()
            .chain(self.cmd.iter())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_configs_with_nulls() {
        let json = br#"{"architecture":"amd64","os":"linux","config":{"User":"","Env":["PATH=/usr/bin","TOKEN=x=y"],"Entrypoint":null,"Cmd":["node","/app/index.js"],"WorkingDir":"/app","ExposedPorts":{"8080/tcp":{}}},"history":[{"created_by":"/bin/sh -c #(nop)  CMD [\"node\"]","empty_layer":true}],"rootfs":{"type":"layers","diff_ids":[]}}"#;
        let config = ImageConfig::read(json, "c").unwrap();
        assert_eq!(config.platform(), "linux/amd64");
        let info = config.info();
        assert_eq!(info.user, None);
        assert_eq!(info.env_names, ["PATH", "TOKEN"]);
        assert_eq!(info.exposed_ports, ["8080/tcp"]);
        assert_eq!(info.working_dir.as_deref(), Some("/app"));
        assert_eq!(config.run.env_value("TOKEN"), Some("x=y"));
        assert_eq!(
            config.run.command().collect::<Vec<_>>(),
            ["node", "/app/index.js"]
        );
        assert_eq!(config.history.len(), 1);
        let bare = ImageConfig::read(b"{}", "c").unwrap();
        assert_eq!(bare.platform(), "unknown/unknown");
        assert!(ImageConfig::read(br#"{"config":{"Cmd":"node"}}"#, "c").is_err());
    }
}
