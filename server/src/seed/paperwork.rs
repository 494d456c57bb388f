//! The demo partnership's own paperwork, so the partnership and report screens open on
//! a partnership that is running, not on empty forms: the agreement (tool 1) signed by
//! its three parties, an action plan (tool 3) with goals and a schedule around today,
//! the monthly report of the month before last marked final and last month's drafted.
//! Everything goes through the saves the screens use (`store::whole::save`), so the
//! demo holds only what a person could have entered.

use domain::calendar::Month;
use domain::partnership::{self as pd, Kind};
use domain::report::Narrative;
use domain::Lang;
use serde_json::{json, Value};
use sqlx::AnyConnection;
use uuid::Uuid;

use super::casework::acting_as;
use crate::error::AppError;
use crate::store::partnership_doc::{partners, record, DocSaving, Event};
use crate::store::report::ReportSaving;
use crate::store::user::CurrentUser;
use crate::store::whole;
use crate::Db;

/// A party of the demo agreement: its organisation and the person who signs for it.
pub(super) struct Party {
    pub organisation: Uuid,
    pub signer: Uuid,
}

/// The form's details of the parties, in the order of the form (OPS, PUP, NGO):
/// REGON (fictional, with a valid check digit), representative, function, § 4.
const DETAILS: [(&str, &str, &str, &str); 3] = [
    ("291001590", "Joanna Mazur", "Dyrektor", "Rekrutacja klientów, praca socjalna, kontrakty socjalne, finansowanie opieki nad dziećmi na czas zajęć."),
    ("000990161", "Andrzej Wróbel", "Dyrektor", "Profilowanie pomocy, poradnictwo zawodowe, klub pracy, staże i szkolenia dla bezrobotnych klientów."),
    ("260904125", "Maria Cichoń", "Prezes Zarządu", "Kluczowy konsultant, grupy wsparcia, wolontariat i przygotowanie do zatrudnienia socjalnego."),
];

fn month_back(today: time::Date, back: u8) -> Month {
    (0..back).fold(Month::of(today), |m, _| m.previous())
}

fn month_ahead(today: time::Date, ahead: u8) -> Month {
    (0..ahead).fold(Month::of(today), |m, _| m.next())
}

async fn save_doc(conn: &mut AnyConnection, user: &CurrentUser, partnership: Uuid, kind: Kind, data: Value) -> Result<(), AppError> {
    let partners = partners(conn, partnership).await?;
    let invalid = |e| AppError::Internal(format!("the demo {} does not validate: {e:?}", kind.as_str()));
    let mine = pd::validate(kind, &data, Lang::Pl, &partners).map_err(invalid)?;
    let base = pd::validate(kind, &json!({}), Lang::Pl, &partners).map_err(invalid)?;
    let doc = DocSaving { partnership, kind, key: String::new(), lang: Lang::Pl, partners };
    whole::save(conn, user, &doc, &base, &mine, false).await?;
    Ok(())
}

fn agreement(today: time::Date, parties: &[Party], names: &[(Uuid, String)]) -> Value {
    let signed = today - time::Duration::days(110);
    let rows: Vec<Value> = parties
        .iter()
        .zip(DETAILS)
        .map(|(p, (regon, representative, function, obligations))| {
            let name = names.iter().find(|(id, _)| *id == p.organisation).map(|(_, n)| n.as_str()).unwrap_or_default();
            json!({
                "id": p.organisation, "name": name, "seat": "Kielce", "regon": regon,
                "representative": representative, "function": function, "obligations": obligations,
                "tasks_from": (signed + time::Duration::days(10)).to_string(),
            })
        })
        .collect();
    json!({
        "date": signed.to_string(),
        "place": "Kielce",
        "service": "Usługa reintegracji społeczno-zawodowej osób długotrwale bezrobotnych",
        "description": "Wspólna ścieżka wsparcia: diagnoza, IPD, kontrakt socjalny, usługi partnerów i monitoring efektów, z kluczowym konsultantem dla każdego klienta.",
        "period_from": signed.to_string(),
        "indefinite": true,
        "team_name": "Zespół Koordynacyjny",
        "delegates": 1,
        "parties": rows,
    })
}

fn plan(today: time::Date, parties: &[Party]) -> Value {
    let from = month_back(today, 4);
    let m = |back: i8| if back >= 0 { month_back(today, back as u8) } else { month_ahead(today, (-back) as u8) }.to_string();
    let [ops, pup, ngo] = [parties[0].organisation, parties[1].organisation, parties[2].organisation];
    let activity = |id: &str, name: &str, owner: Option<Uuid>, f: i8, t: i8, milestone: bool| {
        json!({"id": id, "name": name, "owner": owner.map(|o| o.to_string()).unwrap_or_default(), "from": m(f), "to": m(t), "milestone": milestone})
    };
    json!({
        "voivodeship": "świętokrzyskie",
        "county": "Kielce",
        "municipalities": "Kielce",
        "institutions": "MOPR w Kielcach, PUP w Kielcach, Stowarzyszenie „Razem”",
        "people": "40 osób długotrwale bezrobotnych korzystających z pomocy społecznej",
        "coordinator": "Barbara Wiśniewska (MOPR)",
        "goals_now": "Objęcie 40 osób ścieżką reintegracji z IPD i kluczowym konsultantem.",
        "goals_long": "Trwałe zatrudnienie co najmniej 12 uczestników i ograniczenie zależności od świadczeń.",
        "indicators": [
            {"id": "i1", "horizon": "now", "name": "Osoby, które podjęły pracę", "target": 12.0, "unit": "osób", "effect": "employment"},
            {"id": "i2", "horizon": "now", "name": "Osoby z nowymi kwalifikacjami", "target": 10.0, "unit": "osób", "effect": "qualification"},
            {"id": "i3", "horizon": "long", "name": "Osoby samodzielnie szukające pracy", "target": 20.0, "unit": "osób", "effect": "own_job_search"},
        ],
        "labour_market": "Stopa bezrobocia w powiecie 7,8 %; popyt na pracowników handlu, opieki i usług porządkowych.",
        "target_group": "Osoby długotrwale bezrobotne, w tym rodzice samotnie wychowujący dzieci.",
        "territory": "Miasto Kielce",
        "criteria": "Status osoby długotrwale bezrobotnej i korzystanie z pomocy społecznej.",
        "intake": "Skierowania pracowników socjalnych i doradców klienta PUP, rekrutacja ciągła.",
        "form": "Partnerstwo lokalne na podstawie umowy współpracy partnerskiej.",
        "management": "Zespół Koordynacyjny spotyka się raz w miesiącu; koordynatorem jest MOPR.",
        "division": "Każdy partner prowadzi swoje usługi; kluczowy konsultant prowadzi klienta przez całą ścieżkę.",
        "strengthening": "Wspólne szkolenia kadry i superwizja raz na kwartał.",
        "monitoring_person": "Barbara Wiśniewska",
        "monitoring_methods": "Miesięczne sprawozdania monitoringowe, ankieta satysfakcji klientów, wskaźniki efektów w systemie.",
        "period_from": from.to_string(),
        "period_to": month_ahead(today, 8).to_string(),
        "schedule": [
            activity("a1", "Rekrutacja i diagnoza", Some(ops), 4, 2, false),
            activity("a2", "Opracowanie IPD i kontraktów socjalnych", None, 3, 1, false),
            activity("a3", "Klub pracy i poradnictwo zawodowe", Some(pup), 2, -4, false),
            activity("a4", "Grupy wsparcia i wolontariat", Some(ngo), 2, -6, false),
            activity("a5", "Ocena półroczna", None, -2, -2, true),
            activity("a6", "Staże i zatrudnienie", Some(pup), -1, -8, false),
            activity("a7", "Ewaluacja końcowa", None, -8, -8, true),
        ],
    })
}

fn report(month: Month, author: &str, last: bool) -> Narrative {
    Narrative {
        number: format!("{}/{}", month.month, month.year),
        author: format!("{author}, koordynator, tel. 41 000 00 00"),
        voivodeship: "świętokrzyskie".into(),
        county: "Kielce".into(),
        municipality: "Kielce".into(),
        planned: "Prowadzenie ścieżek reintegracji, klub pracy, grupy wsparcia, ocena kontraktów socjalnych.".into(),
        realised: "Zrealizowano zaplanowane spotkania z klientami, dwie edycje klubu pracy i grupę wsparcia; oceniono kontrakty socjalne zgodnie z harmonogramem.".into(),
        discrepancies: if last { String::new() } else { "Jedna grupa wsparcia przeniesiona na kolejny tydzień z powodu choroby prowadzącej.".into() },
        risks: "Rezygnacja części klientów z powodu obowiązków opiekuńczych.".into(),
        mitigation: "Opieka nad dziećmi w czasie zajęć finansowana przez MOPR.".into(),
        next_month: if last { String::new() } else { "Rozpoczęcie staży u dwóch pracodawców i kolejna edycja klubu pracy.".into() },
        development: String::new(),
        remarks: String::new(),
    }
}

/// Writes the paperwork of the demo's local partnership: `coordinator` drafts, every
/// party's person signs, the reports of the last two months are written.
pub(super) async fn seed(db: &Db, partnership: Uuid, coordinator: Uuid, parties: &[Party]) -> Result<(), AppError> {
    let today = crate::today();
    let mut conn = db.pool.acquire().await?;
    let author = acting_as(db, coordinator).await?;
    let names: Vec<(Uuid, String)> = partners(&mut conn, partnership).await?.into_iter().map(|p| (p.organisation_id, p.name)).collect();
    save_doc(&mut conn, &author, partnership, Kind::Agreement, agreement(today, parties, &names)).await?;
    for p in parties {
        let signer = acting_as(db, p.signer).await?;
        record(&mut conn, Lang::Pl, partnership, &signer, Event { event: "signature", organisation: p.organisation.to_string(), amendment: String::new(), detail: "" }).await?;
    }
    save_doc(&mut conn, &author, partnership, Kind::Plan, plan(today, parties)).await?;
    for (back, finalise) in [(2, true), (1, false)] {
        let month = month_back(today, back);
        let doc = ReportSaving { partnership, month, lang: Lang::Pl };
        let text = report(month, &author.display_name, !finalise);
        whole::save(&mut conn, &author, &doc, &Narrative::default(), &text, finalise).await?;
    }
    Ok(())
}
