//! Changes to stored values that SQL cannot make, run once after the migrations and
//! recorded in `data_fixes`: today, the composed form (NFC) of every client's texts,
//! so that a name stored with a combining accent is found by one typed composed.

use domain::client::{display_name, ClientKind};
use domain::collation;
use serde_json::Value;

use crate::db::Db;
use crate::error::AppError;

const NFC_CLIENTS: &str = "nfc-clients-1";

/// Runs the fixes not yet done; returns how many rows they changed.
pub async fn run(db: &Db) -> Result<usize, AppError> {
    let done: Option<i64> = sqlx::query_scalar("SELECT done_at FROM data_fixes WHERE name = $1").bind(NFC_CLIENTS).fetch_optional(&db.pool).await?;
    if done.is_some() {
        return Ok(0);
    }
    let changed = nfc_clients(db).await?;
    sqlx::query("INSERT INTO data_fixes (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(NFC_CLIENTS)
        .bind(crate::now())
        .execute(&db.pool)
        .await?;
    Ok(changed)
}

/// Every string in a JSON value in composed form; whether anything changed.
fn compose(v: &mut Value) -> bool {
    match v {
        Value::String(s) => {
            let nfc = domain::text::compose(s);
            let changed = nfc != *s;
            *s = nfc;
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |acc, i| compose(i) | acc),
        Value::Object(map) => map.values_mut().fold(false, |acc, i| compose(i) | acc),
        _ => false,
    }
}

#[derive(sqlx::FromRow)]
struct Stored {
    id: String,
    data: String,
}

async fn nfc_clients(db: &Db) -> Result<usize, AppError> {
    let rows: Vec<Stored> = sqlx::query_as("SELECT id, data FROM clients").fetch_all(&db.pool).await?;
    let mut changed = 0;
    for row in rows {
        // A record that does not read as JSON is left as it is (and said so): one
        // damaged row must not keep the server from starting.
        let Ok(mut data) = serde_json::from_str::<Value>(&row.data) else {
            tracing::warn!(client = %row.id, "a client's stored data is not JSON; left as it is");
            continue;
        };
        if !compose(&mut data) {
            continue;
        }
        let text = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (surname, first_names, name, pesel, city) = (text("surname"), text("first_names"), text("name"), text("pesel"), text("city"));
        let kind = ClientKind::parse(&text("kind")).unwrap_or(ClientKind::Person);
        let sort_key = if kind.is_person() { collation::person_key(&surname, &first_names) } else { collation::sort_key(&name) };
        // Only if nobody changed the record meanwhile (another server process).
        sqlx::query("UPDATE clients SET data = $1, display_name = $2, city = $3, sort_key = $4, search_text = $5 WHERE id = $6 AND data = $7")
            .bind(data.to_string())
            .bind(display_name(&kind, &surname, &first_names, &name))
            .bind(&city)
            .bind(sort_key)
            .bind(collation::search_text(&[&surname, &first_names, &name, &pesel, &city]))
            .bind(&row.id)
            .bind(&row.data)
            .execute(&db.pool)
            .await?;
        changed += 1;
    }
    Ok(changed)
}
