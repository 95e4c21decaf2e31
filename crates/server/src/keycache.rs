//! Verified API keys remembered for a few seconds, and `last_used` writes throttled in
//! memory.
//!
//! Without it every keyed request reads the key and its account from the database and
//! issues a `last_used` update. With it a busy key costs one verification per TTL. Only
//! keys that verified are remembered, under the SHA-256 of the presented key (never the
//! key itself); a malformed, unknown or wrong key always goes to the store, so garbage
//! cannot fill the cache. Expiry is re-checked on every hit. The price is that a key
//! revoked (by `assay keys revoke`, possibly from another process) keeps working for at
//! most the TTL on each API process; `--key-cache-ttl 0` turns the cache off.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assay_store::{KeyCheck, Principal, Store};
use time::OffsetDateTime;

/// Verified keys by the hash of the presented key.
#[derive(Debug)]
pub struct KeyCache {
    ttl: Duration,
    verified: Mutex<HashMap<[u8; 32], Verified>>,
    touched: Mutex<HashMap<String, Instant>>,
}

#[derive(Debug)]
struct Verified {
    principal: Principal,
    at: Instant,
}

/// Entries beyond this many trigger a sweep (and, if still full, a reset).
const MAX_ENTRIES: usize = 10_000;

/// How often one process records a key's use (the store throttles to the same interval).
const TOUCH_EVERY: Duration = Duration::from_secs(60);

impl KeyCache {
    /// A cache whose verifications last `ttl` (zero: every request goes to the store).
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            ttl,
            verified: Mutex::default(),
            touched: Mutex::default(),
        }
    }

    /// Checks `presented` like [`Store::authenticate`], answering from memory when the
    /// same key verified less than the TTL ago and has not expired at `now`.
    pub async fn authenticate(
        &self,
        store: &dyn Store,
        presented: &str,
        now: OffsetDateTime,
    ) -> assay_store::Result<KeyCheck> {
        if self.ttl.is_zero() {
            return store.authenticate(presented, now).await;
        }
        let digest = assay_store::keys::hash(presented);
        if let Some(principal) = self.hit(&digest, now) {
            return Ok(KeyCheck::Valid(Box::new(principal)));
        }
        let check = store.authenticate(presented, now).await?;
        if let KeyCheck::Valid(principal) = &check {
            self.remember(digest, principal.as_ref().clone());
        }
        Ok(check)
    }

    fn hit(&self, digest: &[u8; 32], now: OffsetDateTime) -> Option<Principal> {
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        let entry = verified.get(digest)?;
        if entry.at.elapsed() < self.ttl && now < entry.principal.key.expires_at {
            return Some(entry.principal.clone());
        }
        verified.remove(digest);
        None
    }

    fn remember(&self, digest: [u8; 32], principal: Principal) {
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            verified.retain(|_, v| v.at.elapsed() < ttl);
            if verified.len() >= MAX_ENTRIES {
                verified.clear();
            }
        }
        verified.insert(
            digest,
            Verified {
                principal,
                at: Instant::now(),
            },
        );
    }

    /// Records the use of `key_id` in the store unless this process did so less than a
    /// minute ago.
    pub async fn touch(
        &self,
        store: &dyn Store,
        key_id: &str,
        now: OffsetDateTime,
    ) -> assay_store::Result<()> {
        {
            let mut touched = self.touched.lock().unwrap_or_else(|e| e.into_inner());
            if touched
                .get(key_id)
                .is_some_and(|at| at.elapsed() < TOUCH_EVERY)
            {
                return Ok(());
            }
            if touched.len() >= MAX_ENTRIES {
                touched.retain(|_, at| at.elapsed() < TOUCH_EVERY);
            }
            touched.insert(key_id.to_string(), Instant::now());
        }
        store.touch_key(key_id, now).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_store::{NewKey, Scope, ScopeSet};
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-21 10:00 UTC);

    /// A real SQLite store with one key; returns the store, the key's account id, its id
    /// and its plaintext.
    async fn store_with_key(
        dir: &std::path::Path,
    ) -> (std::sync::Arc<dyn Store>, String, String, String) {
        let url = assay_store::sqlite_url(&dir.join("keys.db"));
        let store = assay_store::open(&url).await.unwrap();
        let org = store.create_org("acme", T0).await.unwrap();
        let account = store
            .create_account(&org.id, "ci@acme", "developer", T0)
            .await
            .unwrap();
        let created = store
            .create_key(
                NewKey {
                    account_id: account.id.clone(),
                    name: "ci".into(),
                    scopes: ScopeSet::new([Scope::ScanRead]),
                    lifetime: Some(time::Duration::days(1)),
                    allowed_cidrs: Vec::new(),
                },
                T0,
            )
            .await
            .unwrap();
        (store, account.id, created.key.id, created.plaintext)
    }

    async fn last_used(store: &dyn Store, account: &str, id: &str) -> Option<OffsetDateTime> {
        let keys = store.keys(account).await.unwrap();
        keys.into_iter().find(|k| k.id == id).unwrap().last_used_at
    }

    fn valid(check: &KeyCheck) -> bool {
        matches!(check, KeyCheck::Valid(_))
    }

    #[tokio::test]
    async fn a_revoked_key_stops_working_once_its_verification_ages_out() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _, id, key) = store_with_key(dir.path()).await;
        let cache = KeyCache::new(Duration::from_millis(300));
        assert!(valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
        assert!(store.revoke_key(&id, T0).await.unwrap());
        // Within the TTL the remembered verification answers (the documented trade-off) …
        assert!(valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
        std::thread::sleep(Duration::from_millis(400));
        // … after it, the store does, and says revoked.
        assert!(!valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
    }

    #[tokio::test]
    async fn without_a_ttl_every_check_reads_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _, id, key) = store_with_key(dir.path()).await;
        let cache = KeyCache::new(Duration::ZERO);
        assert!(valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
        store.revoke_key(&id, T0).await.unwrap();
        assert!(!valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
    }

    #[tokio::test]
    async fn expiry_is_checked_on_every_hit_and_wrong_keys_are_never_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _, _, key) = store_with_key(dir.path()).await;
        let cache = KeyCache::new(Duration::from_secs(60));
        assert!(valid(
            &cache.authenticate(store.as_ref(), &key, T0).await.unwrap()
        ));
        let later = T0 + time::Duration::days(2);
        assert!(!valid(
            &cache
                .authenticate(store.as_ref(), &key, later)
                .await
                .unwrap()
        ));

        let mut wrong = key.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        for _ in 0..2 {
            assert!(!valid(
                &cache
                    .authenticate(store.as_ref(), &wrong, T0)
                    .await
                    .unwrap()
            ));
        }
        assert_eq!(cache.verified.lock().unwrap().len(), 0);
    }

    #[tokio::test]
    async fn use_is_recorded_once_a_minute_per_process() {
        let dir = tempfile::tempdir().unwrap();
        let (store, account, id, _) = store_with_key(dir.path()).await;
        let cache = KeyCache::new(Duration::from_secs(5));
        cache.touch(store.as_ref(), &id, T0).await.unwrap();
        let first = last_used(store.as_ref(), &account, &id).await;
        cache
            .touch(store.as_ref(), &id, T0 + time::Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(last_used(store.as_ref(), &account, &id).await, first);
        assert_eq!(first, Some(T0));
    }
}
