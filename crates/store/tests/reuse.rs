//! How often a scan's result was reused (`Scan::cache_hits`): counted by submissions
//! answered with a finished result, not by joined or new jobs, per scan, on SQLite and
//! PostgreSQL; and the migration that added the column to databases with scans in them.

mod common;

use assay_store::{NewScan, Store, SubmitOrigin};
use common::{at, finish, owner, private, public};

backends! {
    async fn only_submissions_answered_with_a_finished_result_count(db) {
        let store = &db.store;
        let first = store.submit(public("npm:left-pad"), at(0)).await.unwrap();
        assert_eq!((first.origin, first.scan.cache_hits), (SubmitOrigin::Created, 0));
        let joined = store.submit(public("npm:left-pad"), at(1)).await.unwrap();
        assert_eq!((joined.origin, joined.scan.cache_hits), (SubmitOrigin::Joined, 0));

        finish(store, "npm:left-pad@1.3.0", 95, None, 2).await;
        for (n, when) in [(1, 3), (2, 4)] {
            let cached = store.submit(public("npm:left-pad"), at(when)).await.unwrap();
            assert_eq!(cached.origin, SubmitOrigin::Cached);
            assert_eq!((cached.scan.id.as_str(), cached.scan.cache_hits), (first.scan.id.as_str(), n));
        }
        let stored = store.scan(&first.scan.id).await.unwrap().unwrap();
        assert_eq!(stored.cache_hits, 2);
        assert!(stored.report().unwrap().is_some(), "the count leaves the result alone");

        // A forced scan is a new result; a private one is counted on the private scan.
        let forced = store
            .submit(NewScan { force: true, ..public("npm:left-pad") }, at(5))
            .await
            .unwrap();
        assert_eq!((forced.origin, forced.scan.cache_hits), (SubmitOrigin::Created, 0));
        let acme = owner(store, "acme").await;
        let mine = store.submit(private("npm:left-pad", &acme), at(6)).await.unwrap();
        finish(store, "npm:left-pad@1.3.0", 95, None, 7).await;
        finish(store, "npm:left-pad@1.3.0", 95, None, 8).await;
        let again = store.submit(private("npm:left-pad", &acme), at(9)).await.unwrap();
        assert_eq!((again.scan.id.as_str(), again.scan.cache_hits), (mine.scan.id.as_str(), 1));
        let public_one = store.scan(&first.scan.id).await.unwrap().unwrap();
        assert_eq!(public_one.cache_hits, 2);
    }
}

backends! {
    async fn the_migration_gives_stored_scans_no_hits_and_counting_goes_on(db) {
        let store = &db.store;
        let first = store.submit(public("npm:demo"), at(0)).await.unwrap();
        finish(store, "npm:demo@1.0.0", 80, None, 1).await;
        // Back to schema version 2, as a database from before the column existed.
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("ALTER TABLE scans DROP COLUMN cache_hits")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM assay_migrations WHERE version = 3")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let reopened = db.reopen().await;
        let stored = reopened.scan(&first.scan.id).await.unwrap().unwrap();
        assert_eq!(stored.cache_hits, 0);
        let cached = reopened.submit(public("npm:demo"), at(2)).await.unwrap();
        assert_eq!((cached.origin, cached.scan.cache_hits), (SubmitOrigin::Cached, 1));
    }
}
