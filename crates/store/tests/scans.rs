//! Submissions, visibility, listings, the registry, events, migrations and durability.

mod common;

use assay_store::{
    Mode, Owner, RegistryQuery, RegistrySort, ScanQuery, ScanStatus, SqlStore, Store, StoreError,
    SubmitOrigin, Visibility, sqlite_url,
};
use common::{LEASE, T0, at, finish, owner, private, public, report};
use serde_json::json;

backends! {
    async fn public_submissions_are_idempotent_unless_forced(db) {
        let store = &db.store;
        let first = store.submit(public("npm:left-pad"), at(0)).await.unwrap();
        assert_eq!(first.origin, SubmitOrigin::Created);
        assert_eq!(first.scan.status, ScanStatus::Queued);
        // In flight: the same job is joined, not duplicated.
        let joined = store.submit(public("npm:left-pad"), at(1)).await.unwrap();
        assert_eq!(
            (joined.origin, joined.scan.id.as_str()),
            (SubmitOrigin::Joined, first.scan.id.as_str())
        );
        assert!(!joined.cached());

        finish(store, "npm:left-pad@1.3.0", 95, None, 2).await;
        let cached = store.submit(public("npm:left-pad"), at(3)).await.unwrap();
        assert!(cached.cached());
        assert_eq!(cached.scan.id, first.scan.id);
        assert_eq!(cached.scan.report().unwrap().unwrap().score.score, 95);

        // Another mode or engine version is another result; force always queues.
        let deep = store
            .submit(
                assay_store::NewScan {
                    mode: Mode::Deep,
                    ..public("npm:left-pad")
                },
                at(4),
            )
            .await
            .unwrap();
        assert_eq!(deep.origin, SubmitOrigin::Created);
        let newer = store
            .submit(
                assay_store::NewScan {
                    engine_version: "0.2.0".into(),
                    ..public("npm:left-pad")
                },
                at(5),
            )
            .await
            .unwrap();
        assert_eq!(newer.origin, SubmitOrigin::Created);
        let forced = store
            .submit(
                assay_store::NewScan {
                    force: true,
                    ..public("npm:left-pad")
                },
                at(6),
            )
            .await
            .unwrap();
        assert_eq!(forced.origin, SubmitOrigin::Created);
        assert_ne!(forced.scan.id, first.scan.id);

        // A failed scan is not a cached result.
        let broken = store
            .submit(public("npm:broken"), at(7))
            .await
            .unwrap()
            .scan;
        while let Some(job) = store.claim("w", LEASE, at(8)).await.unwrap() {
            if job.id == broken.id {
                store
                    .fail(&job.id, "w", "TARGET_NOT_FOUND", "gone", at(8))
                    .await
                    .unwrap();
            } else {
                store.release(&job.id, "w").await.unwrap();
                store.cancel(&job.id, at(8)).await.unwrap();
            }
        }
        assert_eq!(
            store
                .submit(public("npm:broken"), at(9))
                .await
                .unwrap()
                .origin,
            SubmitOrigin::Created
        );
    }
}

backends! {
    async fn private_scans_stay_inside_their_org(db) {
        let store = &db.store;
        let acme = owner(store, "acme").await;
        let globex = owner(store, "globex").await;

        let mine = store
            .submit(private("github:acme/secret", &acme), at(0))
            .await
            .unwrap()
            .scan;
        assert_eq!(mine.visibility, Visibility::Private);
        finish(store, "github:acme/secret@0123abc", 40, None, 1).await;

        // The same org reuses its own result; another org gets its own job.
        let again = store
            .submit(private("github:acme/secret", &acme), at(2))
            .await
            .unwrap();
        assert!(again.cached());
        let theirs = store
            .submit(private("github:acme/secret", &globex), at(3))
            .await
            .unwrap();
        assert_eq!(theirs.origin, SubmitOrigin::Created);
        assert_ne!(theirs.scan.id, mine.id);
        // A public submission does not pick up the private result either.
        let public_one = store
            .submit(public("github:acme/secret"), at(4))
            .await
            .unwrap();
        assert_eq!(public_one.origin, SubmitOrigin::Created);

        assert!(
            store
                .scan_for(&mine.id, Some(&acme.org_id))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .scan_for(&mine.id, Some(&globex.org_id))
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.scan_for(&mine.id, None).await.unwrap().is_none());
        assert!(
            store
                .scan_for(&public_one.scan.id, None)
                .await
                .unwrap()
                .is_some()
        );

        // Never in public listings.
        assert!(
            store
                .recent_public(50)
                .await
                .unwrap()
                .iter()
                .all(|s| s.id != mine.id)
        );
        let registry = store
            .registry(&RegistryQuery {
                search: None,
                source: None,
                sort: RegistrySort::Name,
                limit: 50,
                offset: 0,
            })
            .await
            .unwrap();
        assert_eq!(registry.total, 0);
        assert_eq!(
            store.versions("github", "acme/secret").await.unwrap(),
            vec![]
        );
        assert!(
            store
                .registry_package("github", "acme/secret")
                .await
                .unwrap()
                .is_none()
        );

        // Anonymous private submissions are refused.
        let mut anonymous = public("github:acme/secret");
        anonymous.visibility = Visibility::Private;
        assert!(matches!(
            store.submit(anonymous, at(5)).await,
            Err(StoreError::Invalid {
                field: "visibility",
                ..
            })
        ));
    }
}

backends! {
    async fn history_is_per_org_filtered_and_paginated(db) {
        let store = &db.store;
        let acme = owner(store, "acme").await;
        let other_account = store
            .create_account(&acme.org_id, "second@acme.test", "team", T0)
            .await
            .unwrap();
        let acme2 = Owner {
            org_id: acme.org_id.clone(),
            account_id: other_account.id,
        };
        let globex = owner(store, "globex").await;

        for i in 0..5 {
            let mut request = public(&format!("npm:pkg{i}"));
            request.owner = Some(acme.clone());
            store.submit(request, at(i)).await.unwrap();
        }
        store
            .submit(private("pypi:internal", &acme2), at(10))
            .await
            .unwrap();
        store
            .submit(private("pypi:theirs", &globex), at(11))
            .await
            .unwrap();
        finish(store, "npm:pkg0@1.0.0", 70, None, 12).await;

        let query = |account: Option<&str>| ScanQuery {
            org_id: acme.org_id.clone(),
            account_id: account.map(str::to_string),
            status: None,
            visibility: None,
            source: None,
            limit: 2,
            offset: 0,
        };
        let page = store.scans(&query(None)).await.unwrap();
        assert_eq!(page.total, 6);
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].target_key, "pypi:internal", "newest first");
        assert!(page.items.iter().all(|s| s.report_json.is_none()));
        let last = store
            .scans(&ScanQuery {
                offset: 4,
                ..query(None)
            })
            .await
            .unwrap();
        assert_eq!(last.items.last().unwrap().target_key, "npm:pkg0");

        assert_eq!(
            store
                .scans(&query(Some(&acme.account_id)))
                .await
                .unwrap()
                .total,
            5
        );
        let private_only = ScanQuery {
            visibility: Some(Visibility::Private),
            ..query(None)
        };
        assert_eq!(store.scans(&private_only).await.unwrap().total, 1);
        let succeeded = ScanQuery {
            status: Some(ScanStatus::Succeeded),
            ..query(None)
        };
        let succeeded = store.scans(&succeeded).await.unwrap();
        assert_eq!(succeeded.total, 1);
        assert_eq!(succeeded.items[0].summary.as_ref().unwrap().score, 70);
        let pypi = ScanQuery {
            source: Some("pypi".into()),
            ..query(None)
        };
        assert_eq!(store.scans(&pypi).await.unwrap().total, 1);
        let globex_history = ScanQuery {
            org_id: globex.org_id.clone(),
            ..query(None)
        };
        assert_eq!(store.scans(&globex_history).await.unwrap().total, 1);
    }
}

backends! {
    async fn the_registry_keeps_the_latest_public_result_per_package(db) {
        let store = &db.store;
        // Three packages; `alpha` scanned at two versions, the newer one last.
        let scans = [
            ("npm:alpha", "npm:alpha@1.0.0", 60, 1),
            ("npm:@scope/beta", "npm:@scope/beta@2.0.0", 90, 2),
            ("pypi:gamma", "pypi:gamma==0.1", 75, 3),
            ("npm:alpha@2", "npm:alpha@2.0.0", 85, 4),
            ("npm:alpha@2 again", "npm:alpha@2.0.0", 80, 5),
        ];
        for (key, canonical, score, when) in scans {
            store.submit(public(key), at(when)).await.unwrap();
            finish(store, canonical, score, None, when).await;
        }
        let query = |sort, search: Option<&str>, source: Option<&str>| RegistryQuery {
            search: search.map(str::to_string),
            source: source.map(str::to_string),
            sort,
            limit: 10,
            offset: 0,
        };
        let names = |page: assay_store::Page<assay_store::Scan>| -> Vec<(String, u8)> {
            page.items
                .into_iter()
                .map(|s| {
                    let summary = s.summary.unwrap();
                    (summary.package, summary.score)
                })
                .collect()
        };
        let by_score = store
            .registry(&query(RegistrySort::ScoreDesc, None, None))
            .await
            .unwrap();
        assert_eq!(by_score.total, 3);
        assert_eq!(
            names(by_score),
            [
                ("@scope/beta".into(), 90),
                ("alpha".into(), 80),
                ("gamma".into(), 75)
            ]
        );
        let ascending = store
            .registry(&query(RegistrySort::ScoreAsc, None, None))
            .await
            .unwrap();
        assert_eq!(names(ascending)[0], ("gamma".into(), 75));
        let recent = store
            .registry(&query(RegistrySort::Recent, None, None))
            .await
            .unwrap();
        assert_eq!(names(recent)[0].0, "alpha");
        let oldest = store
            .registry(&query(RegistrySort::Oldest, None, None))
            .await
            .unwrap();
        assert_eq!(names(oldest)[0].0, "@scope/beta");
        let z_to_a = store
            .registry(&query(RegistrySort::NameDesc, None, None))
            .await
            .unwrap();
        assert_eq!(
            names(z_to_a),
            [
                ("gamma".into(), 75),
                ("alpha".into(), 80),
                ("@scope/beta".into(), 90)
            ]
        );
        let searched = store
            .registry(&query(RegistrySort::Name, Some("BET"), None))
            .await
            .unwrap();
        assert_eq!(
            (searched.total, names(searched)),
            (1, vec![("@scope/beta".into(), 90)])
        );
        let pypi = store
            .registry(&query(RegistrySort::Name, None, Some("pypi")))
            .await
            .unwrap();
        assert_eq!(names(pypi), [("gamma".into(), 75)]);
        let paged = store
            .registry(&RegistryQuery {
                limit: 1,
                offset: 1,
                ..query(RegistrySort::Name, None, None)
            })
            .await
            .unwrap();
        assert_eq!((paged.total, names(paged)), (3, vec![("alpha".into(), 80)]));

        let alpha = store
            .registry_package("npm", "alpha")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            alpha.summary.as_ref().unwrap().version.as_deref(),
            Some("2.0.0")
        );
        assert!(alpha.report_json.is_some());
        let versions: Vec<_> = store
            .versions("npm", "alpha")
            .await
            .unwrap()
            .into_iter()
            .map(|s| {
                let summary = s.summary.unwrap();
                (summary.version.unwrap(), summary.score)
            })
            .collect();
        assert_eq!(
            versions,
            [("2.0.0".to_string(), 80), ("1.0.0".to_string(), 60)]
        );

        let recent = store.recent_public(2).await.unwrap();
        assert_eq!(recent.len(), 2);
        assert_eq!(
            recent[0].summary.as_ref().unwrap().canonical_id,
            "npm:alpha@2.0.0"
        );
        assert_eq!(recent[0].finished_at, Some(at(5)));
    }
}

backends! {
    async fn events_are_numbered_per_scan_and_resumable(db) {
        let store = &db.store;
        let a = store.submit(public("npm:a"), at(0)).await.unwrap().scan;
        let b = store.submit(public("npm:b"), at(0)).await.unwrap().scan;
        for (i, kind) in ["queued", "phase", "phase", "finished"]
            .into_iter()
            .enumerate()
        {
            let seq = store
                .append_event(&a.id, kind, &json!({"i": i}), at(1))
                .await
                .unwrap();
            assert_eq!(seq, i as u64 + 1);
        }
        assert_eq!(
            store
                .append_event(&b.id, "queued", &json!({}), at(1))
                .await
                .unwrap(),
            1
        );

        let all = store.events_after(&a.id, 0, 100).await.unwrap();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(all[3].kind, "finished");
        assert_eq!(all[3].payload, json!({"i": 3}));
        let resumed = store.events_after(&a.id, 2, 100).await.unwrap();
        assert_eq!(resumed.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(store.events_after(&a.id, 1, 2).await.unwrap().len(), 2);
        assert!(store.events_after(&a.id, 4, 100).await.unwrap().is_empty());
        assert!(matches!(
            store
                .append_event("no-such-scan", "queued", &json!({}), at(1))
                .await,
            Err(StoreError::NotFound("scan"))
        ));
        assert!(
            store
                .append_event(&a.id, "bad\nkind", &json!({}), at(1))
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn migrations_run_from_empty_once_and_refuse_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let store = SqlStore::open(&sqlite_url(&path)).await.unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&sqlite_url(&path)).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        tables,
        [
            "accounts",
            "api_keys",
            "assay_migrations",
            "orgs",
            "rate_counters",
            "scan_events",
            "scan_rule_counts",
            "scans"
        ]
    );
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");

    // Reopening applies nothing again.
    SqlStore::open(&sqlite_url(&path))
        .await
        .unwrap()
        .close()
        .await;
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assay_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(recorded, SqlStore::schema_version());

    // A database from a newer Assay is refused, as is an edited migration.
    sqlx::query("INSERT INTO assay_migrations VALUES (99, 'future', 'x', 0)")
        .execute(&pool)
        .await
        .unwrap();
    let err = SqlStore::open(&sqlite_url(&path)).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Migration(_)) && err.to_string().contains("99"),
        "{err}"
    );
    sqlx::query("DELETE FROM assay_migrations WHERE version = 99")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE assay_migrations SET checksum = 'edited' WHERE version = 1")
        .execute(&pool)
        .await
        .unwrap();
    let err = SqlStore::open(&sqlite_url(&path)).await.unwrap_err();
    assert!(err.to_string().contains("differs"), "{err}");
    pool.close().await;

    assert!(matches!(
        assay_store::open("mysql://localhost/assay").await,
        Err(StoreError::UnsupportedUrl(_))
    ));
}

backends! {
    async fn a_reopened_database_keeps_everything_committed(db) {
        let acme = owner(&db.store, "acme").await;
        let done = db
            .store
            .submit(public("npm:kept"), at(0))
            .await
            .unwrap()
            .scan;
        finish(&db.store, "npm:kept@1.0.0", 88, None, 1).await;
        let running = db
            .store
            .submit(private("npm:inflight", &acme), at(2))
            .await
            .unwrap()
            .scan;
        db.store.claim("w1", LEASE, at(3)).await.unwrap().unwrap();
        db.store
            .append_event(&running.id, "phase", &json!({"name": "fetching"}), at(3))
            .await
            .unwrap();
        let key = db
            .store
            .create_key(
                assay_store::NewKey {
                    account_id: acme.account_id.clone(),
                    name: "ci".into(),
                    scopes: assay_store::ScopeSet::new([assay_store::Scope::ScanWrite]),
                    lifetime: None,
                    allowed_cidrs: vec!["10.0.0.0/8".into()],
                },
                at(4),
            )
            .await
            .unwrap();
        let window = assay_store::Bucket::Day.window(T0).0;
        let subject = assay_store::Subject::Account(acme.account_id.clone());
        db.store
            .increment_and_get(&subject, assay_store::Bucket::Day, window, 10)
            .await
            .unwrap();
        // No orderly close: the store is simply dropped, as a killed process would leave it.
        drop(db.store);

        let store = assay_store::open(&db.url).await.unwrap();
        let kept = store.scan(&done.id).await.unwrap().unwrap();
        assert_eq!(kept.status, ScanStatus::Succeeded);
        assert_eq!(
            kept.report().unwrap().unwrap(),
            report("npm:kept@1.0.0", 88, None)
        );
        let inflight = store.scan(&running.id).await.unwrap().unwrap();
        assert_eq!(inflight.status, ScanStatus::Running);
        // The dead worker's job is picked up once its lease runs out.
        let resumed = store
            .claim("w2", LEASE, at(3) + LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (resumed.id.as_str(), resumed.attempts),
            (running.id.as_str(), 2)
        );
        assert_eq!(
            store.events_after(&running.id, 0, 10).await.unwrap().len(),
            1
        );
        assert!(matches!(
            store.authenticate(&key.plaintext, at(5)).await.unwrap(),
            assay_store::KeyCheck::Valid(_)
        ));
        let count = store
            .increment_and_get(&subject, assay_store::Bucket::Day, window, 10)
            .await
            .unwrap();
        assert_eq!(count.count, 2);
    }
}

backends! {
    async fn concurrent_identical_submissions_make_one_job(db) {
        let stores: Vec<std::sync::Arc<dyn Store>> = vec![
            std::sync::Arc::new(db.reopen().await),
            std::sync::Arc::new(db.reopen().await),
        ];
        let mut tasks = Vec::new();
        for i in 0..20 {
            let store = std::sync::Arc::clone(&stores[i % 2]);
            tasks.push(tokio::spawn(async move {
                store.submit(public("npm:popular"), at(0)).await.unwrap()
            }));
        }
        let mut ids = std::collections::HashSet::new();
        let mut created = 0;
        for task in tasks {
            let submitted = task.await.unwrap();
            created += usize::from(submitted.origin == SubmitOrigin::Created);
            ids.insert(submitted.scan.id);
        }
        assert_eq!((created, ids.len()), (1, 1));
        assert_eq!(db.store.status_counts().await.unwrap().queued, 1);
    }
}

#[tokio::test]
async fn an_in_memory_database_works_for_one_process() {
    let store = assay_store::open("sqlite::memory:").await.unwrap();
    let scan = store.submit(public("npm:mem"), at(0)).await.unwrap().scan;
    let claimed = store.claim("w", LEASE, at(1)).await.unwrap().unwrap();
    assert_eq!(claimed.id, scan.id);
    store
        .complete(&scan.id, "w", &report("npm:mem@1.0.0", 99, None), at(2))
        .await
        .unwrap();
    let done = store.scan_for(&scan.id, None).await.unwrap().unwrap();
    assert_eq!(done.summary.unwrap().score, 99);
}

backends! {
    async fn concurrent_opens_of_a_fresh_database_migrate_once(db) {
        // A fresh, never-opened database of the same kind.
        let dir = tempfile::tempdir().unwrap();
        let url = match db.path {
            Some(_) => sqlite_url(&dir.path().join("fresh.db")),
            None => common::postgres::database().await.unwrap(),
        };
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { SqlStore::open(&url).await.map(|_| ()) })
            })
            .collect();
        for open in opens {
            open.await.unwrap().unwrap();
        }
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM assay_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(versions, (1..=SqlStore::schema_version()).collect::<Vec<_>>());
        pool.close().await;
    }
}
