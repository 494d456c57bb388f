//! The partnership's own documents in storage: the stored texts, the agreement's
//! recorded events and the status they add up to, and how a save of a document
//! plugs into `store::whole`.


use domain::docs::Partner;
use domain::partnership::agreement::{self, Agreement, Amendment, Consent, Signature, Withdrawal};
use domain::partnership::{self as pd, AgreementStatus, Kind, PartnershipDoc};
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use domain::merge::Path;
use domain::Lang;
use serde_json::Value;

use crate::error::internal;
use crate::store::user::CurrentUser;
use crate::store::whole::{Held, Saving};
use crate::error::AppError;
use crate::now;

pub(crate) async fn partners(conn: &mut AnyConnection, p: Uuid) -> Result<Vec<Partner>, AppError> {
    Ok(crate::store::partnership::context(conn, p).await?.0)
}

/// An organisation as a party is described from the register: its name, seat and
/// numbers (the rest is the agreement's to say).
pub(crate) async fn registered_party(conn: &mut AnyConnection, organisation: Uuid) -> Result<agreement::Party, AppError> {
    let row: Option<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, seat, krs, regon FROM organisations WHERE id = $1").bind(organisation.to_string()).fetch_optional(&mut *conn).await?;
    let (name, seat, krs, regon) = row.ok_or(AppError::NotFound)?;
    Ok(agreement::Party { id: organisation.to_string(), name, seat, krs: krs.unwrap_or_default(), regon: regon.unwrap_or_default(), ..Default::default() })
}

/// A new member of the partnership becomes a party of the agreement's text while
/// nobody has signed it (a new version, by whoever added the member). A signed text
/// is left alone: the member then joins by an accession all partners consent to.
pub(crate) async fn add_party_to_draft(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, p: Uuid, organisation: Uuid) -> Result<(), AppError> {
    let Some(held) = stored(conn, p, Kind::Agreement, "").await? else {
        // No text yet: the first one names every member (`pd::empty`).
        return Ok(());
    };
    let signed: Option<String> = sqlx::query_scalar("SELECT id FROM agreement_events WHERE partnership_id = $1 AND event = 'signature' LIMIT 1")
        .bind(p.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let base: Value = serde_json::from_str(&held.data).map_err(internal)?;
    let mut text: Agreement = serde_json::from_value(base.clone()).map_err(internal)?;
    if signed.is_some() || text.party(organisation).is_some() {
        return Ok(());
    }
    text.parties.push(registered_party(conn, organisation).await?);
    let mine = serde_json::to_value(&text).map_err(internal)?;
    let doc = DocSaving { partnership: p, kind: Kind::Agreement, key: String::new(), lang, partners: partners(conn, p).await? };
    crate::store::whole::save(conn, user, &doc, &base, &mine, false).await?;
    Ok(())
}

/// A stored partnership document with who wrote it last.
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    pub data: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

pub(crate) async fn stored(conn: &mut AnyConnection, p: Uuid, kind: Kind, key: &str) -> Result<Option<Stored>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.data, d.version, u.display_name AS updated_by, d.updated_at FROM partnership_docs d JOIN users u ON u.id = d.updated_by
         WHERE d.partnership_id = $1 AND d.kind = $2 AND d.doc_key = $3",
    )
    .bind(p.to_string())
    .bind(kind.as_str())
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?)
}

pub(crate) async fn agreement_of(conn: &mut AnyConnection, p: Uuid) -> Result<Agreement, AppError> {
    match stored(conn, p, Kind::Agreement, "").await? {
        Some(d) => serde_json::from_str(&d.data).map_err(internal),
        None => serde_json::from_value(pd::empty(Kind::Agreement, &partners(conn, p).await?)).map_err(internal),
    }
}

/// One recorded event of the agreement, with who recorded it.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    event: String,
    organisation_id: String,
    amendment_id: String,
    detail: String,
    by_name: String,
    at: i64,
}

pub(crate) async fn status(conn: &mut AnyConnection, p: Uuid, a: &Agreement) -> Result<AgreementStatus, AppError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.event, e.organisation_id, e.amendment_id, e.detail, u.display_name AS by_name, e.at FROM agreement_events e
         JOIN users u ON u.id = e.user_id WHERE e.partnership_id = $1 ORDER BY e.at, e.id",
    )
    .bind(p.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let (mut signatures, mut withdrawals, mut amendments) = (Vec::new(), Vec::new(), Vec::<Amendment>::new());
    let mut consents: Vec<(String, Consent)> = Vec::new();
    for EventRow { id, event, organisation_id: org, amendment_id: amendment, detail, by_name: by, at } in rows {
        let org = Uuid::parse_str(&org).ok();
        let at = format_timestamp_warsaw(at);
        match (event.as_str(), org) {
            ("signature", Some(o)) => signatures.push(Signature { organisation_id: o, by, at }),
            ("withdrawal", Some(o)) => withdrawals.push(Withdrawal { organisation_id: o, notice: detail, by, at }),
            ("consent", Some(o)) => consents.push((amendment, Consent { organisation_id: o, via: detail, by, at })),
            ("amendment", org) => {
                // An accession names the organisation joining and describes it as a party.
                let joining = org.and_then(|_| serde_json::from_str::<agreement::Party>(&detail).ok());
                amendments.push(Amendment {
                    id: Uuid::parse_str(&id).map_err(internal)?,
                    text: joining.as_ref().map(agreement::accession_text).unwrap_or(detail),
                    proposed_by: by,
                    proposed_at: at,
                    consents: Vec::new(),
                    in_effect: false,
                    joining,
                });
            }
            _ => {}
        }
    }
    for am in &mut amendments {
        am.consents = consents.iter().filter(|(id, _)| *id == am.id.to_string()).map(|(_, c)| c.clone()).collect();
    }
    let bound = agreement::settle(a, &withdrawals, &mut amendments);
    Ok(AgreementStatus { state: agreement::state(a, &signatures, bound.len()), signatures, withdrawals, amendments, bound })
}

pub(crate) async fn assemble(conn: &mut AnyConnection, p: Uuid, kind: Kind, key: &str) -> Result<PartnershipDoc, AppError> {
    let row = stored(conn, p, kind, key).await?;
    let (data, version, updated_by, updated_at) = match row {
        Some(d) => (serde_json::from_str(&d.data).map_err(internal)?, d.version, d.updated_by, format_timestamp_warsaw(d.updated_at)),
        None => (pd::empty(kind, &partners(conn, p).await?), 0, String::new(), String::new()),
    };
    let agreement = match kind {
        Kind::Agreement => {
            let a: Agreement = serde_json::from_value(data.clone()).map_err(internal)?;
            Some(status(conn, p, &a).await?)
        }
        _ => None,
    };
    Ok(PartnershipDoc { partnership_id: p, kind, key: key.to_string(), version, data, updated_by, updated_at, agreement })
}

/// An event of the agreement: a signature, a notice, an amendment or a consent, by the
/// partner `organisation` (empty for an amendment), about `amendment` (for a consent).
pub(crate) struct Event<'a> {
    pub event: &'a str,
    pub organisation: String,
    pub amendment: String,
    pub detail: &'a str,
}

/// Records an event once: the same partner doing the same thing again is refused.
pub(crate) async fn record(conn: &mut AnyConnection, lang: Lang, p: Uuid, user: &CurrentUser, e: Event<'_>) -> Result<(), AppError> {
    let Event { event, organisation, amendment, detail } = e;
    let done = sqlx::query(
        "INSERT INTO agreement_events (id, partnership_id, event, organisation_id, amendment_id, detail, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(p.to_string())
    .bind(event)
    .bind(&organisation)
    .bind(&amendment)
    .bind(detail)
    .bind(user.id.to_string())
    .bind(now())
    .execute(&mut *conn)
    .await;
    match done {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::Conflict(lang.pick("Ten partner już to zrobił.", "This partner has done that already."))),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn agreement_answer(conn: &mut AnyConnection, p: Uuid) -> Result<PartnershipDoc, AppError> {
    assemble(conn, p, Kind::Agreement, "").await
}

/// A partnership document as [`whole::save`] keeps it: checked and normalised by its
/// kind against the partnership's partners, every version kept, and the agreement's
/// text refused once anyone has signed it (it then changes only by an amendment).
pub(crate) struct DocSaving {
    pub partnership: Uuid,
    pub kind: Kind,
    pub key: String,
    pub lang: Lang,
    pub partners: Vec<Partner>,
}

impl Saving for DocSaving {
    type Content = Value;
    type Whole = PartnershipDoc;

    fn partnership(&self) -> Uuid {
        self.partnership
    }

    async fn lock(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        sqlx::query("UPDATE partnership_docs SET version = version WHERE partnership_id = $1 AND kind = $2 AND doc_key = $3")
            .bind(self.partnership.to_string())
            .bind(self.kind.as_str())
            .bind(&self.key)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn held(&self, conn: &mut AnyConnection) -> Result<Option<Held<Value>>, AppError> {
        if self.kind == Kind::Agreement {
            let signed: Option<String> = sqlx::query_scalar("SELECT id FROM agreement_events WHERE partnership_id = $1 AND event = 'signature' LIMIT 1")
                .bind(self.partnership.to_string())
                .fetch_optional(&mut *conn)
                .await?;
            if signed.is_some() {
                return Err(AppError::Conflict(self.lang.pick("Umowa jest podpisana: jej tekst zmienia się tylko aneksem, na który zgodzą się wszyscy partnerzy.", "The agreement is signed: its text changes only by an amendment every partner consents to.")));
            }
        }
        match stored(conn, self.partnership, self.kind, &self.key).await? {
            Some(d) => Ok(Some(Held { content: serde_json::from_str(&d.data).map_err(internal)?, version: d.version })),
            None => Ok(None),
        }
    }

    fn empty(&self) -> Value {
        pd::empty(self.kind, &self.partners)
    }

    fn check(&self, merged: Value, _conflicts: &[Path], _finalise: bool) -> Result<Value, AppError> {
        pd::validate(self.kind, &merged, self.lang, &self.partners).map_err(AppError::fields(self.lang))
    }

    async fn write(&self, conn: &mut AnyConnection, data: &Value, held: Option<i64>, _finalise: bool, user: &CurrentUser) -> Result<(), AppError> {
        let (p, kind, key) = (self.partnership.to_string(), self.kind.as_str(), &self.key);
        let text = serde_json::to_string(data).map_err(internal)?;
        let t = now();
        let version = held.unwrap_or(0) + 1;
        if held.is_some() {
            sqlx::query("UPDATE partnership_docs SET data = $1, version = $2, updated_by = $3, updated_at = $4 WHERE partnership_id = $5 AND kind = $6 AND doc_key = $7")
                .bind(&text)
                .bind(version)
                .bind(user.id.to_string())
                .bind(t)
                .bind(&p)
                .bind(kind)
                .bind(key)
                .execute(&mut *conn)
                .await?;
        } else {
            sqlx::query("INSERT INTO partnership_docs (partnership_id, kind, doc_key, data, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&p)
                .bind(kind)
                .bind(key)
                .bind(&text)
                .bind(version)
                .bind(user.id.to_string())
                .bind(t)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query("INSERT INTO partnership_doc_versions (partnership_id, kind, doc_key, version, data, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&p)
            .bind(kind)
            .bind(key)
            .bind(version)
            .bind(&text)
            .bind(user.id.to_string())
            .bind(t)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    fn detail(&self, _finalise: bool) -> String {
        format!("partnership {} {}", self.kind.as_str(), self.key)
    }

    async fn whole(&self, conn: &mut AnyConnection) -> Result<PartnershipDoc, AppError> {
        assemble(conn, self.partnership, self.kind, &self.key).await
    }
}
