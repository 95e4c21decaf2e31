//! The job queue: claims, leases, crashes, retries, cancellation, concurrency.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use assay_store::{ATTEMPTS_EXHAUSTED, CANCELLED, Requeued, ScanStatus, Store, StoreError};
use common::{at, public, report};
use time::Duration;

const LEASE: Duration = Duration::seconds(30);

backends! {
    async fn claims_take_the_oldest_job_and_only_the_holder_finishes_it(db) {
        let store = &db.store;
        let first = store.submit(public("npm:a"), at(0)).await.unwrap().scan;
        let second = store.submit(public("npm:b"), at(1)).await.unwrap().scan;

        let claimed = store.claim("w1", LEASE, at(2)).await.unwrap().unwrap();
        assert_eq!(claimed.id, first.id);
        assert_eq!(claimed.status, ScanStatus::Running);
        assert_eq!(claimed.attempts, 1);
        assert_eq!(claimed.lease_owner.as_deref(), Some("w1"));
        assert_eq!(claimed.lease_expires_at, Some(at(32)));
        assert_eq!(claimed.started_at, Some(at(2)));
        assert_eq!(
            store.claim("w2", LEASE, at(3)).await.unwrap().unwrap().id,
            second.id
        );
        assert_eq!(store.claim("w3", LEASE, at(4)).await.unwrap(), None);

        let stranger = store
            .complete(&first.id, "w2", &report("npm:a@1.0.0", 90, None), at(5))
            .await;
        assert!(matches!(stranger, Err(StoreError::LeaseLost { .. })));
        assert!(matches!(
            store.fail(&first.id, "w2", "X", "y", at(5)).await,
            Err(StoreError::LeaseLost { .. })
        ));
        assert!(
            !store
                .heartbeat(&first.id, "w2", LEASE, at(5))
                .await
                .unwrap()
        );
        assert!(
            store
                .heartbeat(&first.id, "w1", LEASE, at(20))
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .scan(&first.id)
                .await
                .unwrap()
                .unwrap()
                .lease_expires_at,
            Some(at(50))
        );

        let done = store
            .complete(&first.id, "w1", &report("npm:a@1.0.0", 90, None), at(21))
            .await
            .unwrap();
        assert_eq!(done.status, ScanStatus::Succeeded);
        assert_eq!(done.lease_owner, None);
        assert_eq!(done.finished_at, Some(at(21)));
        assert_eq!(
            done.report().unwrap().unwrap(),
            report("npm:a@1.0.0", 90, None)
        );
        // A second completion by the former holder is refused: the job is finished.
        assert!(
            store
                .complete(&first.id, "w1", &report("npm:a@1.0.0", 10, None), at(22))
                .await
                .is_err()
        );

        let failed = store
            .fail(
                &second.id,
                "w2",
                "TARGET_NOT_FOUND",
                "no such\npackage   b",
                at(23),
            )
            .await
            .unwrap();
        assert_eq!(failed.status, ScanStatus::Failed);
        let error = failed.error.unwrap();
        assert_eq!(error.code, "TARGET_NOT_FOUND");
        assert_eq!(error.message, "no such package b");
        assert_eq!(failed.report_json, None);
    }
}

backends! {
    async fn a_crashed_workers_job_is_requeued_then_abandoned_after_its_last_attempt(db) {
        let job = {
            let mut request = public("npm:flaky");
            request.max_attempts = 2;
            db.store.submit(request, at(0)).await.unwrap().scan
        };
        // Worker 1 claims and "crashes": its process and store go away without a word.
        {
            let crashed = db.reopen().await;
            crashed.claim("w1", LEASE, at(1)).await.unwrap().unwrap();
        }
        let store = db.reopen().await;
        assert_eq!(
            store.requeue_expired(at(30)).await.unwrap(),
            Requeued::default()
        );
        assert_eq!(
            store.requeue_expired(at(31)).await.unwrap(),
            Requeued {
                requeued: 1,
                abandoned: 0
            }
        );
        let requeued = store.scan(&job.id).await.unwrap().unwrap();
        assert_eq!(requeued.status, ScanStatus::Queued);
        assert_eq!(requeued.lease_owner, None);
        assert_eq!(requeued.attempts, 1);

        // Worker 2 claims (attempt 2 of 2) and crashes too; its expired lease is the last.
        let again = store.claim("w2", LEASE, at(40)).await.unwrap().unwrap();
        assert_eq!(again.attempts, 2);
        assert_eq!(again.started_at, Some(at(1)));
        assert_eq!(
            store.requeue_expired(at(71)).await.unwrap(),
            Requeued {
                requeued: 0,
                abandoned: 1
            }
        );
        let abandoned = store.scan(&job.id).await.unwrap().unwrap();
        assert_eq!(abandoned.status, ScanStatus::Failed);
        let error = abandoned.error.unwrap();
        assert_eq!(error.code, ATTEMPTS_EXHAUSTED);
        assert!(error.message.contains("2 attempts"), "{}", error.message);
        assert_eq!(store.claim("w3", LEASE, at(72)).await.unwrap(), None);
    }
}

backends! {
    async fn an_expired_lease_is_claimed_directly_and_the_old_holder_is_locked_out(db) {
        let store = &db.store;
        let job = store.submit(public("npm:slow"), at(0)).await.unwrap().scan;
        store.claim("w1", LEASE, at(0)).await.unwrap().unwrap();
        assert_eq!(store.claim("w2", LEASE, at(29)).await.unwrap(), None);
        let taken = store.claim("w2", LEASE, at(30)).await.unwrap().unwrap();
        assert_eq!((taken.id.as_str(), taken.attempts), (job.id.as_str(), 2));
        assert!(!store.heartbeat(&job.id, "w1", LEASE, at(31)).await.unwrap());
        assert!(
            store
                .complete(&job.id, "w1", &report("npm:slow@1.0.0", 50, None), at(32))
                .await
                .is_err()
        );
        store
            .complete(&job.id, "w2", &report("npm:slow@1.0.0", 50, None), at(33))
            .await
            .unwrap();

        // With max_attempts = 1 an expired lease is abandoned at the next claim.
        let mut once = public("npm:once");
        once.max_attempts = 1;
        let once = store.submit(once, at(40)).await.unwrap().scan;
        store.claim("w1", LEASE, at(40)).await.unwrap().unwrap();
        assert_eq!(store.claim("w2", LEASE, at(71)).await.unwrap(), None);
        let scan = store.scan(&once.id).await.unwrap().unwrap();
        assert_eq!(scan.error.unwrap().code, ATTEMPTS_EXHAUSTED);
    }
}

backends! {
    async fn cancel_and_release(db) {
        let store = &db.store;
        let queued = store.submit(public("npm:q"), at(0)).await.unwrap().scan;
        let running = store.submit(public("npm:r"), at(1)).await.unwrap().scan;
        assert!(store.cancel(&queued.id, at(2)).await.unwrap());
        assert!(!store.cancel(&queued.id, at(3)).await.unwrap());
        let cancelled = store.scan(&queued.id).await.unwrap().unwrap();
        assert_eq!(cancelled.status, ScanStatus::Cancelled);
        assert_eq!(cancelled.error.unwrap().code, CANCELLED);

        let claimed = store.claim("w1", LEASE, at(4)).await.unwrap().unwrap();
        assert_eq!(claimed.id, running.id, "a cancelled job is not claimed");
        assert!(store.release(&running.id, "w1").await.unwrap());
        assert!(!store.release(&running.id, "w1").await.unwrap());
        let released = store.scan(&running.id).await.unwrap().unwrap();
        assert_eq!(
            (released.status, released.attempts),
            (ScanStatus::Queued, 0)
        );

        store.claim("w2", LEASE, at(5)).await.unwrap().unwrap();
        assert!(store.cancel(&running.id, at(6)).await.unwrap());
        assert!(
            !store
                .heartbeat(&running.id, "w2", LEASE, at(7))
                .await
                .unwrap()
        );
        assert!(matches!(
            store
                .complete(&running.id, "w2", &report("npm:r@1", 1, None), at(8))
                .await,
            Err(StoreError::LeaseLost { .. })
        ));
        assert!(!store.cancel("no-such-scan", at(9)).await.unwrap());
        let counts = store.status_counts().await.unwrap();
        assert_eq!((counts.cancelled, counts.queued, counts.running), (2, 0, 0));
    }
}

backends! {
    async fn two_hundred_jobs_and_many_workers_each_job_claimed_exactly_once(db) {
        let mut ids = Vec::new();
        for i in 0..200 {
            ids.push(
                db.store
                    .submit(public(&format!("npm:p{i}")), at(0))
                    .await
                    .unwrap()
                    .scan
                    .id,
            );
        }
        // Two "processes" (separate stores on the same file), eight workers each.
        let stores: Vec<Arc<dyn Store>> =
            vec![Arc::new(db.reopen().await), Arc::new(db.reopen().await)];
        let mut tasks = Vec::new();
        for w in 0..16 {
            let store = Arc::clone(&stores[w % 2]);
            tasks.push(tokio::spawn(async move {
                let worker = format!("w{w}");
                let mut mine = Vec::new();
                while let Some(job) = store
                    .claim(&worker, Duration::hours(1), at(1))
                    .await
                    .unwrap()
                {
                    assert_eq!(job.attempts, 1);
                    let canonical = format!("{}@1.0.0", job.target_key);
                    store
                        .complete(&job.id, &worker, &report(&canonical, 80, None), at(2))
                        .await
                        .unwrap();
                    mine.push(job.id);
                }
                mine
            }));
        }
        let mut claims: HashMap<String, usize> = HashMap::new();
        let mut busy_workers = 0;
        for task in tasks {
            let mine = task.await.unwrap();
            busy_workers += usize::from(!mine.is_empty());
            for id in mine {
                *claims.entry(id).or_default() += 1;
            }
        }
        assert_eq!(claims.len(), 200);
        assert!(claims.values().all(|n| *n == 1));
        assert!(ids.iter().all(|id| claims.contains_key(id)));
        assert!(busy_workers > 1, "only one worker got work");
        let counts = db.store.status_counts().await.unwrap();
        assert_eq!(
            (counts.succeeded, counts.queued, counts.running),
            (200, 0, 0)
        );
    }
}

backends! {
    async fn idle_workers_wake_when_work_arrives(db) {
        // The worker's store and the submitter's are different connections (different
        // processes, for PostgreSQL's LISTEN/NOTIFY).
        let worker: Arc<dyn Store> = Arc::new(db.reopen().await);
        let waiting = {
            let worker = Arc::clone(&worker);
            tokio::spawn(async move {
                let started = std::time::Instant::now();
                worker.wait_for_work(Duration::seconds(20)).await;
                started.elapsed()
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if db.path.is_some() {
            // SQLite wakes the waiters of the store that queued the work.
            worker.submit(public("npm:wake"), at(0)).await.unwrap();
        } else {
            db.store.submit(public("npm:wake"), at(0)).await.unwrap();
        }
        let waited = waiting.await.unwrap();
        assert!(waited < std::time::Duration::from_secs(5), "woke after {waited:?}");
        assert!(worker.claim("w", LEASE, at(1)).await.unwrap().is_some());

        // Nothing happening: the wait ends at its timeout.
        let started = std::time::Instant::now();
        worker.wait_for_work(Duration::milliseconds(300)).await;
        assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    }
}
