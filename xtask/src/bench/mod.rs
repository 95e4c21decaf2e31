//! Benchmarks that need the workspace's libraries rather than the binary.
//!
//! `bench advisory`: generates a synthetic OSV `all.zip` ([`synthetic`]; cached in
//! `bench/.cache/`), imports it into a fresh advisory database with the code
//! `assay db import` runs, then opens the database and matches a synthetic dependency
//! set against it, and prints import time, size on disk, open time and match times.

mod synthetic;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use assay_advisory::db::{self, Database, ImportLimits, Input};
use assay_core::{DependencySource, ResolvedDependency};
use clap::Subcommand;

use synthetic::Rng;

/// What to benchmark.
#[derive(Subcommand)]
pub enum Bench {
    /// Import a synthetic OSV archive, then match a dependency set against it.
    Advisory {
        /// Records in the synthetic archive.
        #[arg(long, default_value_t = 200_000)]
        records: u64,
        /// Dependencies matched.
        #[arg(long, default_value_t = 5_000)]
        dependencies: u64,
        /// Times the match is repeated (the minimum and median are reported).
        #[arg(long, default_value_t = 20)]
        runs: u32,
    },
}

/// Runs a benchmark.
pub fn run(bench: &Bench) -> Result<()> {
    match *bench {
        Bench::Advisory {
            records,
            dependencies,
            runs,
        } => advisory(records, dependencies, runs.max(1)),
    }
}

fn advisory(records: u64, dependencies: u64, runs: u32) -> Result<()> {
    let cache = super::root().join("bench/.cache");
    fs::create_dir_all(&cache).with_context(|| format!("creating {}", cache.display()))?;
    let archive = cache.join(format!("osv-synthetic-{records}.zip"));
    if !archive.exists() {
        let started = Instant::now();
        write_archive(&archive, records)?;
        eprintln!(
            "generated {} in {:.1} s",
            archive.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let work = tempfile::tempdir_in(&cache)?;
    let dir = work.path().join("advisory");

    let started = Instant::now();
    let summary = db::import(
        &dir,
        &[Input::path(&archive)],
        &ImportLimits::default(),
        &mut |_| {},
    )?;
    let import_time = started.elapsed();

    let (open_time, database) = fastest(5, || Database::open(&dir))?;
    let database = database.context("the import left no database")?;
    let status = database.status();
    let on_disk = dir_size(database.path())?;

    let mut rng = Rng::new(0x5eed);
    let deps: Vec<ResolvedDependency> = synthetic::dependencies(&mut rng, dependencies, records)
        .into_iter()
        .map(|(ecosystem, name, version)| ResolvedDependency {
            ecosystem,
            name,
            version: Some(version),
            requirement: None,
            version_from_range: false,
            direct: false,
            scope: "runtime".to_string(),
            source: DependencySource::Registry,
            declared_in: "package-lock.json".to_string(),
            line: None,
        })
        .collect();
    let mut packages: Vec<(&str, &str)> = deps
        .iter()
        .map(|d| (d.ecosystem.as_str(), d.name.as_str()))
        .collect();
    packages.sort_unstable();
    packages.dedup();
    let (lookup_time, read) = fastest(runs, || -> Result<usize> {
        let mut read = 0;
        for (ecosystem, name) in &packages {
            read += database.records_for(ecosystem, name)?.len();
        }
        Ok(read)
    })?;
    let mut times = Vec::with_capacity(runs as usize);
    let mut found = 0;
    for _ in 0..runs {
        let started = Instant::now();
        found = database.matches(&deps)?.len();
        times.push(started.elapsed());
    }
    times.sort();

    let mb = |bytes: u64| bytes as f64 / 1e6;
    println!(
        "archive          {} records, {:.1} MB ({})",
        records,
        mb(fs::metadata(&archive)?.len()),
        archive.display()
    );
    println!(
        "import           {:.2} s ({} stored: {} malicious, {} packages)",
        import_time.as_secs_f64(),
        summary.records,
        status.ecosystems.iter().map(|e| e.malicious).sum::<u64>(),
        status.packages
    );
    println!("database size    {:.1} MB on disk", mb(on_disk));
    println!("open             {:.1} ms", ms(open_time));
    println!(
        "lookup           {} packages: {read} records read and parsed in {:.1} ms (min)",
        packages.len(),
        ms(lookup_time)
    );
    println!(
        "match            {} dependencies: {:.1} ms min, {:.1} ms median over {runs} runs ({found} matches)",
        deps.len(),
        ms(times[0]),
        ms(times[times.len() / 2])
    );
    Ok(())
}

/// The fastest of `runs` calls of `f`, and the last result.
fn fastest<T, E>(runs: u32, mut f: impl FnMut() -> Result<T, E>) -> Result<(Duration, T), E> {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f()?;
        best = best.min(started.elapsed());
        last = Some(value);
    }
    Ok((best, last.expect("runs > 0")))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        total += entry?.metadata()?.len();
    }
    Ok(total)
}

/// Writes `records` synthetic records as an OSV `all.zip` (pretty-printed members named
/// by id, deflated), through a temporary name so an interrupted run leaves none.
fn write_archive(path: &Path, records: u64) -> Result<()> {
    let partial = path.with_extension("partial");
    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(&partial)?));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut rng = Rng::new(0x05f0_2025);
    for n in 0..records {
        let record = synthetic::record(&mut rng, n, records);
        let id = record["id"].as_str().unwrap_or_default();
        zip.start_file(format!("{id}.json"), options)?;
        serde_json::to_writer_pretty(&mut zip, &record)?;
    }
    zip.finish()?.flush()?;
    fs::rename(&partial, path)?;
    Ok(())
}
