//! Orgs, accounts and API keys against a real SQLite file.

mod common;

use assay_store::{
    KeyCheck, KeyRejection, NewKey, Scope, ScopeSet, Store, StoreError, keys::MAX_ACTIVE_KEYS,
};
use common::{T0, at};
use time::Duration;

/// An org with one account; returns the account id.
async fn account(store: &dyn Store, name: &str) -> String {
    let org = store
        .create_org(&format!("org of {name}"), T0)
        .await
        .unwrap();
    store
        .create_account(&org.id, name, "developer", T0)
        .await
        .unwrap()
        .id
}

fn request(account_id: &str) -> NewKey {
    NewKey {
        account_id: account_id.to_string(),
        name: "ci".to_string(),
        scopes: ScopeSet::new([Scope::ScanSubmit, Scope::ScanRead]),
        lifetime: None,
        allowed_cidrs: Vec::new(),
    }
}

backends! {
    async fn orgs_and_accounts_are_created_found_and_unique(db) {
        let store = &db.store;
        let org = store.create_org("acme", T0).await.unwrap();
        assert_eq!(store.org(&org.id).await.unwrap(), Some(org.clone()));
        assert!(matches!(
            store.create_org("acme", T0).await,
            Err(StoreError::Conflict { what: "org", .. })
        ));
        let alice = store
            .create_account(&org.id, "alice@acme.test", "team", T0)
            .await
            .unwrap();
        assert_eq!(alice.org_id, org.id);
        assert_eq!(alice.tier, "team");
        assert_eq!(store.account(&alice.id).await.unwrap(), Some(alice.clone()));
        assert_eq!(
            store.account_by_name("alice@acme.test").await.unwrap(),
            Some(alice)
        );
        assert_eq!(store.account_by_name("bob@acme.test").await.unwrap(), None);
        assert!(matches!(
            store
                .create_account(&org.id, "alice@acme.test", "team", T0)
                .await,
            Err(StoreError::Conflict {
                what: "account",
                ..
            })
        ));
        assert!(matches!(
            store.create_account("no-such-org", "bob", "team", T0).await,
            Err(StoreError::NotFound("org"))
        ));
        assert!(store.create_org("  ", T0).await.is_err());
    }
}

backends! {
    async fn a_created_key_authenticates_and_only_its_hash_is_stored(db) {
        let account_id = account(&db.store, "alice").await;
        let created = db.store.create_key(request(&account_id), T0).await.unwrap();
        assert!(created.plaintext.starts_with(&created.key.prefix));
        assert_eq!(created.key.expires_at, T0 + Duration::days(90));
        assert!(!format!("{created:?}").contains(&created.plaintext));

        match db
            .store
            .authenticate(&created.plaintext, at(60))
            .await
            .unwrap()
        {
            KeyCheck::Valid(principal) => {
                assert_eq!(principal.key, created.key);
                assert_eq!(principal.account.id, account_id);
                assert!(
                    principal
                        .key
                        .permits(Scope::ScanGet, "203.0.113.9".parse().unwrap())
                );
                assert!(
                    !principal
                        .key
                        .permits(Scope::Admin, "203.0.113.9".parse().unwrap())
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            db.store.keys(&account_id).await.unwrap(),
            vec![created.key.clone()]
        );

        // Only the hash is stored: no column holds the secret half.
        let secret = created.plaintext.rsplit('_').next().unwrap().to_string();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let row: (String, String, String, String, Vec<u8>) = sqlx::query_as(
            "SELECT name, prefix, scopes, allowed_cidrs, secret_sha256 FROM api_keys",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(row.1, created.key.prefix);
        assert_eq!(row.4, assay_store::keys::hash(&created.plaintext).to_vec());
        assert!(![&row.0, &row.1, &row.2, &row.3].iter().any(|c| c.contains(&secret)));
        pool.close().await;

        // Nor does the SQLite file or its WAL.
        db.store.close().await;
        if let Some(path) = &db.path {
            for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "secret found on disk"
                );
            }
        }
    }
}

backends! {
    async fn malformed_unknown_tampered_revoked_and_expired_keys_are_rejected(db) {
        let store = &db.store;
        let account_id = account(store, "alice").await;
        let created = store.create_key(request(&account_id), T0).await.unwrap();
        let check = |key: String, when| async move { store.authenticate(&key, when).await.unwrap() };

        assert_eq!(
            check("Bearer nonsense".into(), T0).await,
            KeyCheck::Rejected(KeyRejection::Malformed)
        );
        let unknown = format!("assay_ffffffffff_{}", "0".repeat(64));
        assert_eq!(
            check(unknown, T0).await,
            KeyCheck::Rejected(KeyRejection::Unknown)
        );
        let mut tampered = created.plaintext.clone();
        let flipped = if tampered.ends_with('0') { "1" } else { "0" };
        tampered.replace_range(tampered.len() - 1.., flipped);
        assert_eq!(
            check(tampered, T0).await,
            KeyCheck::Rejected(KeyRejection::WrongSecret)
        );

        let expires = created.key.expires_at;
        assert!(matches!(
            check(created.plaintext.clone(), expires - Duration::SECOND).await,
            KeyCheck::Valid(_)
        ));
        assert_eq!(
            check(created.plaintext.clone(), expires).await,
            KeyCheck::Rejected(KeyRejection::Expired)
        );

        assert!(store.revoke_key(&created.key.id, at(10)).await.unwrap());
        assert!(!store.revoke_key(&created.key.id, at(11)).await.unwrap());
        assert!(!store.revoke_key("no-such-key", at(11)).await.unwrap());
        assert_eq!(
            check(created.plaintext.clone(), at(20)).await,
            KeyCheck::Rejected(KeyRejection::Revoked)
        );
        assert_eq!(
            store.keys(&account_id).await.unwrap()[0].revoked_at,
            Some(at(10))
        );
    }
}

backends! {
    async fn at_most_ten_active_keys_and_revoked_or_expired_ones_free_a_slot(db) {
        let store = &db.store;
        let account_id = account(store, "alice").await;
        let other = account(store, "bob").await;
        let mut keys = Vec::new();
        for _ in 0..MAX_ACTIVE_KEYS {
            keys.push(store.create_key(request(&account_id), T0).await.unwrap());
        }
        assert!(matches!(
            store.create_key(request(&account_id), T0).await,
            Err(StoreError::KeyLimit(10))
        ));
        // Another account is not affected.
        store.create_key(request(&other), T0).await.unwrap();

        store.revoke_key(&keys[0].key.id, at(1)).await.unwrap();
        store.create_key(request(&account_id), at(2)).await.unwrap();
        assert!(store.create_key(request(&account_id), at(3)).await.is_err());

        // After the first ten expire (90 days), slots open again.
        let later = T0 + Duration::days(90);
        store.create_key(request(&account_id), later).await.unwrap();
        assert_eq!(store.keys(&account_id).await.unwrap().len(), 12);
        let prefixes: std::collections::HashSet<_> = store
            .keys(&account_id)
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.prefix)
            .collect();
        assert_eq!(prefixes.len(), 12);
    }
}

backends! {
    async fn lifetimes_scopes_and_cidrs_are_validated_at_creation(db) {
        let store = &db.store;
        let account_id = account(store, "alice").await;

        let long = NewKey {
            lifetime: Some(Duration::days(366)),
            ..request(&account_id)
        };
        assert!(matches!(
            store.create_key(long, T0).await,
            Err(StoreError::Invalid {
                field: "expiry",
                ..
            })
        ));
        let year = NewKey {
            lifetime: Some(Duration::days(365)),
            ..request(&account_id)
        };
        assert_eq!(
            store.create_key(year, T0).await.unwrap().key.expires_at,
            T0 + Duration::days(365)
        );
        let no_scope = NewKey {
            scopes: ScopeSet::default(),
            ..request(&account_id)
        };
        assert!(store.create_key(no_scope, T0).await.is_err());
        let bad_cidr = NewKey {
            allowed_cidrs: vec!["10.0.0.0/8".into(), "10.0.0.1/8".into()],
            ..request(&account_id)
        };
        let err = store
            .create_key(bad_cidr, T0)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("10.0.0.1/8") && !err.contains('\n'), "{err}");
        let too_many = NewKey {
            allowed_cidrs: (0..21).map(|i| format!("10.{i}.0.0/16")).collect(),
            ..request(&account_id)
        };
        assert!(store.create_key(too_many, T0).await.is_err());
        let missing_account = request("no-such-account");
        assert!(matches!(
            store.create_key(missing_account, T0).await,
            Err(StoreError::NotFound("account"))
        ));

        // A stored allowlist comes back parsed and is enforced like a missing scope.
        let pinned = NewKey {
            allowed_cidrs: vec!["10.0.0.0/8".into(), "2001:db8::/32".into()],
            ..request(&account_id)
        };
        let created = store.create_key(pinned, T0).await.unwrap();
        let KeyCheck::Valid(principal) = store.authenticate(&created.plaintext, T0).await.unwrap()
        else {
            panic!("valid key rejected");
        };
        let shown: Vec<_> = principal
            .key
            .allowed_cidrs
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(shown, ["10.0.0.0/8", "2001:db8::/32"]);
        assert!(
            principal
                .key
                .permits(Scope::ScanSubmit, "10.9.8.7".parse().unwrap())
        );
        assert!(
            principal
                .key
                .permits(Scope::ScanSubmit, "2001:db8::7".parse().unwrap())
        );
        assert!(
            !principal
                .key
                .permits(Scope::ScanSubmit, "192.0.2.1".parse().unwrap())
        );
    }
}

backends! {
    async fn last_used_is_written_at_most_once_a_minute(db) {
        let store = &db.store;
        let account_id = account(store, "alice").await;
        let key = store
            .create_key(request(&account_id), T0)
            .await
            .unwrap()
            .key;
        let last_used = || async { store.keys(&account_id).await.unwrap()[0].last_used_at };

        assert_eq!(last_used().await, None);
        assert!(store.touch_key(&key.id, at(0)).await.unwrap());
        assert!(!store.touch_key(&key.id, at(30)).await.unwrap());
        assert!(!store.touch_key(&key.id, at(59)).await.unwrap());
        assert_eq!(last_used().await, Some(at(0)));
        assert!(store.touch_key(&key.id, at(60)).await.unwrap());
        assert_eq!(last_used().await, Some(at(60)));
        assert!(!store.touch_key("no-such-key", at(600)).await.unwrap());
    }
}
