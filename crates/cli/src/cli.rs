//! Command-line arguments. Every option that has a natural environment form also reads
//! an `ASSAY_*` variable.

use std::path::PathBuf;

use assay_core::Severity;
use assay_engine::AdvisoryDatabase;
use assay_server::MinuteCounters;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Assay: a security scanner for MCP servers.
#[derive(Debug, Parser)]
#[command(name = "assay", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an MCP server: a directory or archive, an npm or PyPI package, a git
    /// repository or an OCI image.
    Scan(Box<ScanArgs>),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// Manage the local advisory database (OSV records used to check dependencies).
    Db(DbArgs),
    /// Run the REST service with in-process scan workers.
    Serve(ServeArgs),
    /// Run scan workers without the HTTP service, on a PostgreSQL database shared with
    /// `assay serve` (scale-out).
    Worker(WorkerArgs),
    /// Manage the service's API keys.
    Keys(KeysArgs),
}

/// `assay serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "ASSAY_LISTEN"
    )]
    pub listen: String,
    /// The database and how jobs run (shared with `assay worker`).
    #[command(flatten)]
    pub jobs: JobArgs,
    /// Accept local paths on the server's disk as targets (off by default).
    #[arg(long, env = "ASSAY_ALLOW_LOCAL_TARGETS")]
    pub allow_local_targets: bool,
    /// Rate-limit tiers: a TOML file of `[tiers.NAME]` tables (minute, day, week, month,
    /// deep_month, private_month, private_deep_month) over the built-in defaults.
    #[arg(long, value_name = "FILE", env = "ASSAY_TIERS")]
    pub tiers: Option<PathBuf>,
    /// Seconds a verified API key is remembered; a revoked key keeps working on this
    /// process for at most this long (0: check the database on every request).
    #[arg(
        long,
        value_name = "SECS",
        default_value = "5",
        env = "ASSAY_KEY_CACHE_TTL"
    )]
    pub key_cache_ttl: u64,
    /// Where the per-request minute window is counted: `local` (this process's memory;
    /// the default with SQLite) or `shared` (the database, exact across API processes;
    /// the default with PostgreSQL).
    #[arg(
        long,
        value_name = "WHERE",
        env = "ASSAY_RATE_COUNTERS",
        value_parser = clap::builder::TypedValueParser::try_map(
            clap::builder::PossibleValuesParser::new(["local", "shared"]),
            |v| v.parse::<MinuteCounters>()
        )
    )]
    pub rate_counters: Option<MinuteCounters>,
}

/// `assay worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The database (PostgreSQL) and how jobs run, as for `assay serve`.
    #[command(flatten)]
    pub jobs: JobArgs,
}

/// The settings `assay serve` and `assay worker` share: the database and how its jobs run.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// Database URL: sqlite://PATH (default: assay.db in the data dir) or postgres://….
    #[arg(long, value_name = "URL", env = "ASSAY_DATABASE_URL")]
    pub database: Option<String>,
    /// Scan workers in this process (concurrent scans). `serve --workers 0` (PostgreSQL
    /// only) leaves every job to `assay worker` processes.
    #[arg(long, value_name = "N", default_value = "2", env = "ASSAY_WORKERS")]
    pub workers: usize,
    /// Let targets resolve to loopback, private, link-local and metadata addresses (off
    /// by default: callers must not reach internal services through the scanner).
    #[arg(long, env = "ASSAY_ALLOW_PRIVATE_NETWORK")]
    pub allow_private_network: bool,
    /// Wall-clock budget of one scan, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value = "600",
        env = "ASSAY_JOB_TIMEOUT"
    )]
    pub job_timeout: u64,
    /// Lease of a claimed job, in seconds: a job whose worker stops heartbeating is
    /// taken over after this long.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value = "60",
        env = "ASSAY_JOB_LEASE"
    )]
    pub job_lease: u64,
    /// Seconds running scans get to finish on SIGTERM before they are requeued.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value = "20",
        env = "ASSAY_SHUTDOWN_GRACE"
    )]
    pub shutdown_grace: u64,
    /// The advisory database scans match dependencies against.
    #[command(flatten)]
    pub advisories: AdvisoryArgs,
}

/// `assay keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// Database URL (as for `assay serve`).
    #[arg(long, value_name = "URL", env = "ASSAY_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub action: KeysAction,
}

/// `assay keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key (and its account and org when new); prints the key once.
    Create {
        /// The account the key acts for (created when missing).
        #[arg(long, value_name = "NAME")]
        account: String,
        /// The account's org, when the account is new (default: an org named after it).
        #[arg(long, value_name = "NAME")]
        org: Option<String>,
        /// The account's rate-limit tier, when the account is new.
        #[arg(long, value_name = "TIER", default_value = "developer")]
        tier: String,
        /// A label for the key.
        #[arg(long, value_name = "LABEL", default_value = "default")]
        name: String,
        /// Scopes (repeatable): scan:submit, scan:get, scan:list, scan:read, scan:write,
        /// registry:read, admin.
        #[arg(
            long = "scope",
            value_name = "SCOPE",
            required = true,
            value_delimiter = ','
        )]
        scopes: Vec<String>,
        /// Lifetime: `90d`, `12h`, `30m` (default 90 days, at most 365).
        #[arg(long, value_name = "DURATION")]
        expires_in: Option<String>,
        /// Source networks the key may be used from (repeatable, at most 20).
        #[arg(long = "allow-cidr", value_name = "CIDR", value_delimiter = ',')]
        allow_cidrs: Vec<String>,
    },
    /// List an account's keys (never their secrets).
    List {
        /// The account.
        #[arg(long, value_name = "NAME")]
        account: String,
        /// Output format.
        #[arg(short, long, value_enum, default_value = "table")]
        format: DbFormat,
    },
    /// Revoke a key by id or prefix.
    Revoke {
        /// The account owning the key.
        #[arg(long, value_name = "NAME")]
        account: String,
        /// The key's id or prefix (`assay_0123456789`).
        key: String,
    },
}

/// When to colour the table output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Output format of `assay scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Human-readable table (default).
    Table,
    /// The JSON report (see docs/report.schema.json).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// Markdown, e.g. for a PR comment.
    Markdown,
    /// CycloneDX 1.6 JSON SBOM (dependencies, MCP surface, advisories).
    Cyclonedx,
}

/// `assay scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The target: ./dir, pkg.tgz, name, @scope/name@1.2.3, npm:name, pypi:name==1.2,
    /// github:owner/repo@ref, https://github.com/owner/repo/tree/ref/dir,
    /// git+https://host/repo.git#ref, docker:org/image:tag, ghcr:org/image:tag,
    /// oci://registry/repo:tag.
    pub target: String,
    /// Version, tag, branch, commit or image digest to scan (replaces one in the target).
    #[arg(long = "ref", value_name = "VERSION_OR_COMMIT", env = "ASSAY_REF")]
    pub reference: Option<String>,
    /// Scan only this subdirectory of the target (a monorepo package).
    #[arg(long, value_name = "DIR", env = "ASSAY_BASE_PATH")]
    pub base_path: Option<String>,
    /// Token for a private target, used for this scan only and never stored or shown.
    /// Prefer the environment variable: arguments are visible to other local users.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "ASSAY_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// User name to send with the token (registries using basic auth).
    #[arg(long, value_name = "NAME", env = "ASSAY_USERNAME", requires = "token")]
    pub username: Option<String>,
    /// What the token is for: github, gitlab, git, npm, pypi, docker, ghcr, oci. A
    /// token of another type than the target's is refused before any download.
    #[arg(
        long,
        value_name = "TYPE",
        env = "ASSAY_TOKEN_TYPE",
        requires = "token"
    )]
    pub token_type: Option<String>,
    /// Allow fetching from loopback, private, link-local and metadata addresses (off by
    /// default: a target must not be able to reach internal services).
    #[arg(long, env = "ASSAY_ALLOW_PRIVATE_NETWORK")]
    pub allow_private_network: bool,
    /// Do not use the download cache (download into a temporary directory).
    #[arg(long, env = "ASSAY_NO_CACHE")]
    pub no_cache: bool,
    /// Most bytes downloaded for one scan.
    #[arg(long, value_name = "BYTES", env = "ASSAY_MAX_DOWNLOAD_BYTES")]
    pub max_download_bytes: Option<u64>,
    /// The advisory database dependencies are matched against.
    #[command(flatten)]
    pub advisories: AdvisoryArgs,
    /// Longest one download may take, in seconds.
    #[arg(long, value_name = "SECONDS", env = "ASSAY_FETCH_TIMEOUT")]
    pub fetch_timeout: Option<u64>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table", env = "ASSAY_FORMAT")]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when an unsuppressed finding at or above SEVERITY remains.
    #[arg(long, value_name = "SEVERITY", env = "ASSAY_FAIL_ON", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Exit 1 when the score is below N (0-100).
    #[arg(long, value_name = "N", env = "ASSAY_MIN_SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_score: Option<u8>,
    /// Configuration file (default: ./assay.toml, then $ASSAY_CONFIG, then the user config dir).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only run these rules (ids, id prefixes or names; comma-separated). Replaces `rules.select`.
    #[arg(long, value_delimiter = ',', env = "ASSAY_SELECT")]
    pub select: Vec<String>,
    /// Suppress these rules (ids, id prefixes or names; comma-separated). Added to `rules.ignore`.
    #[arg(long, value_delimiter = ',', env = "ASSAY_IGNORE")]
    pub ignore: Vec<String>,
    /// Suppress findings whose fingerprints are in this baseline file.
    #[arg(long, value_name = "FILE", env = "ASSAY_BASELINE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of the current findings to FILE (gates are not applied).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Ignore `assay-ignore` comments in the target (use when vetting third-party code).
    #[arg(long, env = "ASSAY_NO_INLINE_IGNORES")]
    pub no_inline_ignores: bool,
    /// Maximum number of files read from the target.
    #[arg(long, value_name = "N", env = "ASSAY_MAX_FILES")]
    pub max_files: Option<u64>,
    /// Maximum total bytes read from the target (after decompression).
    #[arg(long, value_name = "BYTES", env = "ASSAY_MAX_TOTAL_BYTES")]
    pub max_total_bytes: Option<u64>,
    /// Maximum size of one file.
    #[arg(long, value_name = "BYTES", env = "ASSAY_MAX_FILE_BYTES")]
    pub max_file_bytes: Option<u64>,
    /// Maximum path depth.
    #[arg(long, value_name = "N", env = "ASSAY_MAX_DEPTH")]
    pub max_depth: Option<u32>,
    /// Maximum compression ratio of archive members (decompression-bomb guard).
    #[arg(long, value_name = "N", env = "ASSAY_MAX_COMPRESSION_RATIO")]
    pub max_compression_ratio: Option<u64>,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto", env = "ASSAY_COLOR")]
    pub color: ColorChoice,
    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `assay rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `explain ID` shows one rule in full.
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Output format of the list.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: RulesFormatArg,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto", env = "ASSAY_COLOR")]
    pub color: ColorChoice,
}

/// Output format of `assay rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormatArg {
    /// A table.
    Table,
    /// JSON.
    Json,
}

/// `assay rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Explain one rule: what it finds, why it matters, examples, fix.
    Explain {
        /// Rule id (e.g. AS101) or name.
        id: String,
    },
}

/// `assay db`.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: DbAction,
}

/// `assay db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Import OSV records: `all.zip` archives, directories of OSV `.json` files, single
    /// records. Merged into the database: the newer version of a record wins.
    Import {
        /// Archives, directories or `.json` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Download the OSV archives of the ecosystems and import them.
    Update {
        /// Ecosystems to download (comma-separated OSV names; default: npm, PyPI, Go and
        /// crates.io).
        #[arg(long, value_delimiter = ',', value_name = "ECOSYSTEMS")]
        ecosystem: Vec<String>,
        /// Where the archives are: `<URL>/<Ecosystem>/all.zip` (a mirror, for air-gapped
        /// installations).
        #[arg(long, value_name = "URL", env = "ASSAY_OSV_URL", default_value = assay_source::osv::DEFAULT_OSV_URL)]
        osv_url: String,
        /// Allow downloading from loopback, private and link-local addresses (a mirror on
        /// the local network).
        #[arg(long, env = "ASSAY_ALLOW_PRIVATE_NETWORK")]
        allow_private_network: bool,
        /// Most bytes downloaded in all.
        #[arg(long, value_name = "BYTES", env = "ASSAY_MAX_DOWNLOAD_BYTES")]
        max_download_bytes: Option<u64>,
        /// Longest one archive's download may take, in seconds (default: 1800).
        #[arg(long, value_name = "SECONDS", env = "ASSAY_FETCH_TIMEOUT")]
        fetch_timeout: Option<u64>,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Show what the database holds: ecosystems, record counts, age, sources.
    Status {
        /// Output format.
        #[arg(short, long, value_enum, default_value = "table")]
        format: DbFormat,
    },
}

/// Output format of `assay db status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DbFormat {
    /// Human-readable text.
    Table,
    /// One JSON document.
    Json,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

/// The advisory database flags shared by `scan`, `serve` and `worker`.
#[derive(Debug, Args)]
pub struct AdvisoryArgs {
    /// Advisory database directory (default: the data dir's `advisory/`, see `assay db`).
    #[arg(
        long,
        value_name = "DIR",
        env = "ASSAY_ADVISORY_DB",
        conflicts_with = "no_advisories"
    )]
    pub advisory_db: Option<PathBuf>,
    /// Do not match dependencies against the advisory database (the report says the
    /// check was skipped).
    #[arg(long, env = "ASSAY_NO_ADVISORIES")]
    pub no_advisories: bool,
}

impl AdvisoryArgs {
    /// The database these flags select.
    pub fn database(&self) -> AdvisoryDatabase {
        match (&self.advisory_db, self.no_advisories) {
            (_, true) => AdvisoryDatabase::Off,
            (Some(dir), false) => AdvisoryDatabase::Dir(dir.clone()),
            (None, false) => AdvisoryDatabase::Default,
        }
    }
}
