//! Fixed-window rate counters against a real SQLite file.

mod common;

use std::sync::Arc;

use assay_store::{Bucket, RateDecision, Store, Subject};
use common::{T0, at};

backends! {
    async fn concurrent_increments_never_overshoot_the_limit(db) {
        let stores: Vec<Arc<dyn Store>> =
            vec![Arc::new(db.reopen().await), Arc::new(db.reopen().await)];
        let subject = Subject::Key("k1".into());
        let (window, _) = Bucket::Minute.window(T0);
        let mut tasks = Vec::new();
        for t in 0..50 {
            let store = Arc::clone(&stores[t % 2]);
            let subject = subject.clone();
            tasks.push(tokio::spawn(async move {
                let mut accepted = 0u32;
                for _ in 0..10 {
                    let decision = store
                        .increment_and_get(&subject, Bucket::Minute, window, 200)
                        .await
                        .unwrap();
                    assert!(decision.count <= 200);
                    accepted += u32::from(decision.allowed);
                }
                accepted
            }));
        }
        let mut accepted = 0;
        for task in tasks {
            accepted += task.await.unwrap();
        }
        assert_eq!(accepted, 200);
        let refused = db
            .store
            .increment_and_get(&subject, Bucket::Minute, window, 200)
            .await
            .unwrap();
        assert_eq!(
            refused,
            RateDecision {
                allowed: false,
                count: 200,
                limit: 200
            }
        );
        assert_eq!(refused.remaining(), 0);
    }
}

backends! {
    async fn windows_subjects_and_buckets_count_separately(db) {
        let store = &db.store;
        let key = Subject::Key("k1".into());
        let account = Subject::Account("k1".into());
        let ip = Subject::Anonymous("192.0.2.1".parse().unwrap());
        let (minute, _) = Bucket::Minute.window(T0);
        let (next_minute, _) = Bucket::Minute.window(at(60));
        let (day, _) = Bucket::Day.window(T0);

        for expected in 1..=3 {
            let decision = store
                .increment_and_get(&key, Bucket::Minute, minute, 3)
                .await
                .unwrap();
            assert_eq!(
                (decision.allowed, decision.count, decision.remaining()),
                (true, expected, 3 - expected)
            );
        }
        assert!(
            !store
                .increment_and_get(&key, Bucket::Minute, minute, 3)
                .await
                .unwrap()
                .allowed
        );
        // A higher limit (a tier upgrade) lets the same window continue.
        assert!(
            store
                .increment_and_get(&key, Bucket::Minute, minute, 4)
                .await
                .unwrap()
                .allowed
        );
        for (subject, bucket, window) in [
            (&key, Bucket::Minute, next_minute),
            (&account, Bucket::Minute, minute),
            (&ip, Bucket::Minute, minute),
            (&key, Bucket::Day, day),
            (&key, Bucket::DeepMonth, Bucket::DeepMonth.window(T0).0),
        ] {
            let decision = store
                .increment_and_get(subject, bucket, window, 3)
                .await
                .unwrap();
            assert_eq!(
                (decision.allowed, decision.count),
                (true, 1),
                "{subject} {bucket}"
            );
        }
        // A zero limit refuses without counting.
        let zero = store
            .increment_and_get(&ip, Bucket::DeepMonth, day, 0)
            .await
            .unwrap();
        assert_eq!(
            zero,
            RateDecision {
                allowed: false,
                count: 0,
                limit: 0
            }
        );

        // Pruning drops the windows that started before the cut-off only.
        assert_eq!(store.prune_rate_counters(next_minute).await.unwrap(), 5);
        let kept = store
            .increment_and_get(&key, Bucket::Minute, next_minute, 3)
            .await
            .unwrap();
        assert_eq!(kept.count, 2);
        let restarted = store
            .increment_and_get(&key, Bucket::Minute, minute, 3)
            .await
            .unwrap();
        assert_eq!(restarted.count, 1);
    }
}
