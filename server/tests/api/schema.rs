//! The two migration trees (SQLite and PostgreSQL) must describe one schema: the same
//! tables, columns, nullability and indexes. Runs where both engines are at hand (the
//! PostgreSQL run of the test command); on SQLite alone there is nothing to compare.

use std::collections::BTreeSet;

use server::Db;
use sqlx::Row;
use uuid::Uuid;

type Schema = (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>);

async fn sqlite_schema() -> Schema {
    let dir = std::env::temp_dir().join(format!("sciezka-schema-{}", Uuid::new_v4()));
    let url = format!("sqlite://{}/schema.db", dir.display());
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
    .expect("tables")
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let mut columns = BTreeSet::new();
    for t in &tables {
        let rows = sqlx::query(&format!("SELECT name, \"notnull\", pk FROM pragma_table_info('{t}')")).fetch_all(&db.pool).await.expect("columns");
        for r in rows {
            let (name, not_null, pk): (String, i64, i64) = (r.get(0), r.get(1), r.get(2));
            // A primary key is never null, whether or not SQLite's DDL says so.
            columns.insert(format!("{t}.{name} {}", if not_null == 1 || pk > 0 { "not null" } else { "null" }));
        }
    }
    let indexes = sqlx::query(
        "SELECT m.tbl_name || '.' || m.name || '(' || (SELECT group_concat(name, ',') FROM pragma_index_info(m.name)) || ')'
         FROM sqlite_master m WHERE m.type = 'index' AND m.name NOT LIKE 'sqlite_autoindex%'",
    )
    .fetch_all(&db.pool)
    .await
    .expect("indexes")
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    std::fs::remove_dir_all(&dir).ok();
    (tables.into_iter().collect(), columns, indexes)
}

async fn postgres_schema(admin: &str) -> Schema {
    sqlx::any::install_default_drivers();
    let name = format!("sciezka_schema_{}", Uuid::new_v4().simple());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    let db = Db::connect(&format!("{base}/{name}")).await.expect("connect");
    db.migrate().await.expect("migrate");
    let strings = |rows: Vec<sqlx::any::AnyRow>| rows.iter().map(|r| r.get::<String, _>(0)).collect::<BTreeSet<String>>();
    let tables = strings(
        sqlx::query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'")
            .fetch_all(&db.pool)
            .await
            .expect("tables"),
    );
    let columns = strings(
        sqlx::query(
            "SELECT (table_name || '.' || column_name || ' ' || CASE WHEN is_nullable = 'YES' THEN 'null' ELSE 'not null' END)::text
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(&db.pool)
        .await
        .expect("columns"),
    );
    // Indexes made by CREATE INDEX, not those behind a primary key or unique constraint
    // (SQLite names those sqlite_autoindex_*).
    let indexes = strings(
        sqlx::query(
            "SELECT (t.relname || '.' || i.relname || '(' ||
                    (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) || ')')::text
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace s ON s.oid = t.relnamespace
             WHERE s.nspname = 'public' AND t.relname <> '_sqlx_migrations'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        )
        .fetch_all(&db.pool)
        .await
        .expect("indexes"),
    );
    db.pool.close().await;
    sqlx::query(&format!("DROP DATABASE {name}")).execute(&mut conn).await.ok();
    (tables, columns, indexes)
}

fn differences(what: &str, sqlite: &BTreeSet<String>, postgres: &BTreeSet<String>) -> Vec<String> {
    let only_sqlite = sqlite.difference(postgres).map(|x| format!("{what} only in SQLite: {x}"));
    let only_pg = postgres.difference(sqlite).map(|x| format!("{what} only in PostgreSQL: {x}"));
    only_sqlite.chain(only_pg).collect()
}

#[tokio::test]
async fn both_migration_trees_make_the_same_schema() {
    let Ok(admin) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("TEST_POSTGRES_URL is not set: the schemas are compared in the PostgreSQL run");
        return;
    };
    let (st, sc, si) = sqlite_schema().await;
    let (pt, pc, pi) = postgres_schema(&admin).await;
    assert!(st.len() > 10 && sc.len() > 100 && !si.is_empty(), "SQLite has a schema: {st:?} {si:?}");
    assert!(!pi.is_empty() && pc.len() > 100, "PostgreSQL has a schema: {pi:?}");
    // The one intended difference: client search is served by an FTS5 trigram table
    // (with its shadow tables, row-id map, narrow order table and partnership numbers)
    // on SQLite, by a pg_trgm index on a narrow order table of its own on PostgreSQL
    // (migrations 0013 and 0024).
    let search = |t: &str| t.starts_with("clients_search") || t.starts_with("client_search_") || t.starts_with("partnership_numbers");
    for t in ["clients_search", "client_search_keys", "client_search_order", "partnership_numbers"] {
        assert!(st.contains(t), "SQLite has the trigram index's {t}: {st:?}");
    }
    assert!(pt.contains("client_search_order"), "PostgreSQL has the order table: {pt:?}");
    assert!(pi.contains("client_search_order.client_search_order_trigrams(search_text)"), "PostgreSQL has the trigram index: {pi:?}");
    let st: BTreeSet<String> = st.into_iter().filter(|t| !search(t)).collect();
    let sc: BTreeSet<String> = sc.into_iter().filter(|c| !search(c)).collect();
    let pt: BTreeSet<String> = pt.into_iter().filter(|t| !search(t)).collect();
    let pc: BTreeSet<String> = pc.into_iter().filter(|c| !search(c)).collect();
    let pi: BTreeSet<String> = pi.into_iter().filter(|i| !search(i)).collect();
    let mut diff = differences("table", &st, &pt);
    diff.extend(differences("column", &sc, &pc));
    diff.extend(differences("index", &si, &pi));
    assert!(diff.is_empty(), "the two migration trees differ:\n{}", diff.join("\n"));
}

/// Every SQLite connection of the pool is set up the same way: durable writes, erased
/// rows overwritten, and a small page cache each (eight default caches of 2 MiB made
/// the soak's memory climb as the database grew).
#[tokio::test]
async fn every_sqlite_connection_is_durable_erases_and_keeps_a_small_cache() {
    let dir = std::env::temp_dir().join(format!("sciezka-pragmas-{}", Uuid::new_v4()));
    let db = Db::connect(&format!("sqlite://{}/p.db", dir.display())).await.expect("connect");
    // Several connections at once, so the check covers more than the first one.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(db.pool.acquire().await.expect("connection"));
    }
    for conn in &mut held {
        let q = |p: &str| format!("SELECT CAST({p} AS TEXT) FROM pragma_{p}");
        for (pragma, want) in [("cache_size", "-256"), ("secure_delete", "1"), ("synchronous", "2"), ("journal_mode", "wal"), ("foreign_keys", "1")] {
            let got: String = sqlx::query_scalar(&q(pragma)).fetch_one(&mut **conn).await.expect(pragma);
            assert_eq!(got, want, "PRAGMA {pragma}");
        }
    }
    drop(held);
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
