//! Cancellation: a scan whose token is set stops within a second with `SCAN_CANCELLED`,
//! whether it is analysing a large tree or waiting on a registry that never answers.

use std::net::TcpListener;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assay_core::ProgressEvent;
use assay_engine::{
    AdvisoryDatabase, CacheMode, Config, Endpoints, EngineError, FetchOptions, NetworkPolicy,
    ScanRequest, scan,
};

/// How long a cancelled scan may take to return.
const PROMPT: Duration = Duration::from_secs(1);

/// Scans `target` with `fetch`, calling `on_event` with every progress event; returns
/// the result and when it returned.
fn run(
    target: &str,
    fetch: &FetchOptions,
    on_event: &(dyn Fn(&ProgressEvent) + Sync),
) -> (Result<assay_core::Report, EngineError>, Instant) {
    let request = ScanRequest {
        target,
        fetch,
        config: &Config::default(),
        baseline: None,
        inline_ignores: false,
        progress: on_event,
        generated_at: None,
        advisories: &AdvisoryDatabase::Off,
    };
    let result = scan(&request);
    (result, Instant::now())
}

#[test]
fn cancelling_a_large_tree_stops_reading_and_returns_scan_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let files = 20_000;
    for n in 0..files {
        let sub = dir.path().join(format!("d{}", n / 500));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("f{n}.js")),
            format!("const key{n} = process.env.K{n};\nmodule.exports = () => eval(key{n});\n"),
        )
        .unwrap();
    }
    let target = dir.path().to_str().unwrap().to_string();
    let fetch = FetchOptions::default();
    // Cancel at the first files-progress event (after 500 files), from the scan itself.
    let cancelled_at = Mutex::new(None::<Instant>);
    let most_done = Mutex::new(0u64);
    let on_event = |event: &ProgressEvent| {
        if let ProgressEvent::Files { done, .. } = event {
            let mut most = most_done.lock().unwrap();
            *most = (*most).max(*done);
            let mut at = cancelled_at.lock().unwrap();
            if at.is_none() {
                *at = Some(Instant::now());
                fetch.cancel.cancel();
            }
        }
    };
    let (result, returned) = run(&target, &fetch, &on_event);
    let error = result.expect_err("a cancelled scan must not produce a report");
    assert!(matches!(error, EngineError::Cancelled), "{error}");
    assert_eq!(error.code(), "SCAN_CANCELLED");
    let cancelled_at = cancelled_at
        .lock()
        .unwrap()
        .expect("the scan reported progress");
    let took = returned - cancelled_at;
    assert!(took < PROMPT, "the scan took {took:?} to stop");
    // It stopped reading: nowhere near every file was analysed.
    let done = *most_done.lock().unwrap();
    assert!(done < files / 2, "{done} of {files} files analysed");

    // The same tree without cancelling is scanned to the end.
    let whole = run(&target, &FetchOptions::default(), &|_| {}).0.unwrap();
    assert_eq!(whole.stats.files, files);
}

#[test]
fn cancelling_while_a_registry_stalls_returns_scan_cancelled_promptly() {
    // A registry that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let fetch = FetchOptions {
        policy: NetworkPolicy {
            allow_private_network: true,
            request_timeout: Duration::from_secs(60),
            ..NetworkPolicy::default()
        },
        cache: CacheMode::Dir(cache.path().to_path_buf()),
        endpoints: Endpoints {
            npm_registry: Some(url),
            ..Endpoints::default()
        },
        ..FetchOptions::default()
    };
    let cancel = fetch.cancel.clone();
    let cancelled_at = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        cancel.cancel();
        Instant::now()
    });
    let started = Instant::now();
    let (result, returned) = run("npm:stalled-server", &fetch, &|_| {});
    let cancelled_at = cancelled_at.join().unwrap();
    let error = result.expect_err("nothing was ever served");
    assert_eq!(error.code(), "SCAN_CANCELLED", "{error}");
    assert!(
        returned.saturating_duration_since(cancelled_at) < PROMPT,
        "the scan took {:?} to stop after the cancel",
        returned.saturating_duration_since(cancelled_at)
    );
    assert!(returned - started >= Duration::from_millis(500));
}
