//! The coordinator's dashboard: what comes due and what clients reached, computed
//! from the case documents. Pure: the server hands it one partnership's documents;
//! the same rules would serve a device offline.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use uuid::Uuid;

use crate::docs::contract::Contract;
use crate::docs::effects::{Effects, INDICATORS};
use crate::docs::ipd::Ipd;
use crate::calendar::Month;
use crate::validation::parse_iso_date;

/// Items due within this many days are "coming due".
pub const HORIZON_DAYS: i64 = 14;
/// A client with no note or service for this many days is listed.
pub const NO_CONTACT_DAYS: i64 = 30;
/// A reintegration window that ended this many days ago is still listed, to be closed.
pub const WINDOW_GRACE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// An IPD task not done by its end date.
    IpdTask,
    /// The next evaluation of the social contract (Part II B).
    ContractReview,
    /// The end of a 12-month reintegration window (art. 112 KC).
    WindowEnd,
    /// No note and no service for 30 days.
    NoContact,
}

impl DueKind {
    pub fn i18n_key(self) -> &'static str {
        match self {
            DueKind::IpdTask => "dash.due.ipd_task",
            DueKind::ContractReview => "dash.due.contract_review",
            DueKind::WindowEnd => "dash.due.window_end",
            DueKind::NoContact => "dash.due.no_contact",
        }
    }
    /// The client card's tab the item links to.
    pub fn tab(self) -> &'static str {
        match self {
            DueKind::IpdTask => "ipd",
            DueKind::ContractReview => "contract",
            DueKind::WindowEnd => "effects",
            DueKind::NoContact => "card",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueItem {
    pub kind: DueKind,
    pub client_id: Uuid,
    pub client: String,
    pub consultant_id: Option<Uuid>,
    pub consultant: String,
    /// ISO date the item is due.
    pub date: String,
    pub overdue: bool,
    /// The task's name, or empty.
    pub what: String,
}

/// What the dashboard knows of one active client.
#[derive(Debug, Clone)]
pub struct ClientFacts {
    pub id: Uuid,
    pub name: String,
    pub consultant_id: Option<Uuid>,
    pub consultant: String,
    pub ipd: Option<Ipd>,
    pub contract: Option<Contract>,
    pub effects: Option<Effects>,
    /// The latest note or service.
    pub last_contact: Option<Date>,
    /// When the client was registered.
    pub registered: Date,
}

fn item(f: &ClientFacts, kind: DueKind, date: Date, today: Date, what: String) -> DueItem {
    DueItem {
        kind,
        client_id: f.id,
        client: f.name.clone(),
        consultant_id: f.consultant_id,
        consultant: f.consultant.clone(),
        date: date.to_string(),
        overdue: date < today,
        what,
    }
}

/// Everything of one client that is overdue or comes due within `HORIZON_DAYS`.
pub fn due(f: &ClientFacts, today: Date) -> Vec<DueItem> {
    // Checked arithmetic: whatever a stored value says, nothing here can overflow.
    let horizon = today.checked_add(Duration::days(HORIZON_DAYS)).unwrap_or(Date::MAX);
    let mut out = Vec::new();
    if let Some(ipd) = &f.ipd {
        for (_, task) in ipd.tasks() {
            if task.done {
                continue;
            }
            if let Some(end) = parse_iso_date(&task.to).filter(|d| *d <= horizon) {
                out.push(item(f, DueKind::IpdTask, end, today, task.task.clone()));
            }
        }
    }
    if let Some(contract) = &f.contract {
        // The latest evaluation sets the next one; before any, none is scheduled.
        let next = contract.evaluations.iter().filter_map(|e| Some((parse_iso_date(&e.date)?, parse_iso_date(&e.next_date)?))).max();
        if let Some((_, next)) = next.filter(|(_, n)| *n <= horizon) {
            out.push(item(f, DueKind::ContractReview, next, today, String::new()));
        }
    }
    if let Some((_, end)) = f.effects.as_ref().and_then(Effects::window) {
        if end <= horizon && today.checked_sub(Duration::days(WINDOW_GRACE_DAYS)).is_none_or(|grace| end >= grace) {
            out.push(item(f, DueKind::WindowEnd, end, today, String::new()));
        }
    }
    // A contact dated after tomorrow (a device with a wrong clock, stored before its
    // time was checked) is no contact: it is skipped, not let hide the client for good.
    let contact = f.last_contact.filter(|d| today.next_day().is_none_or(|tomorrow| *d <= tomorrow));
    let since = contact.unwrap_or(f.registered).max(f.registered).min(today);
    if let Some(silent_until) = since.checked_add(Duration::days(NO_CONTACT_DAYS)).filter(|d| *d < today) {
        out.push(item(f, DueKind::NoContact, silent_until, today, String::new()));
    }
    out
}

/// Due items of many clients, overdue first, then by date.
pub fn due_list(clients: &[ClientFacts], today: Date) -> Vec<DueItem> {
    let mut all: Vec<DueItem> = clients.iter().flat_map(|c| due(c, today)).collect();
    all.sort_by(|a, b| (!a.overdue, &a.date, a.kind, &a.client).cmp(&(!b.overdue, &b.date, b.kind, &b.client)));
    all
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorMonth {
    pub period: String,
    /// Clients who reached the indicator in that month, per indicator in [`INDICATORS`] order.
    pub counts: Vec<u32>,
}

/// For each month, how many clients reached each indicator of section 6.3 in it.
/// A client counts once per indicator and month, however many rows they have.
pub fn indicators(effects: &[&Effects], months: &[Month]) -> Vec<IndicatorMonth> {
    months
        .iter()
        .map(|p| {
            let counts = INDICATORS
                .iter()
                .map(|ind| {
                    let reached = effects.iter().filter(|e| {
                        e.rows.iter().any(|r| r.indicator == *ind && parse_iso_date(&r.date).is_some_and(|d| Month::of(d) == *p))
                    });
                    u32::try_from(reached.count()).unwrap_or(u32::MAX)
                })
                .collect();
            IndicatorMonth { period: p.to_string(), counts }
        })
        .collect()
}

/// The `n` months ending with `last`, oldest first.
pub fn months_ending(last: Month, n: usize) -> Vec<Month> {
    let mut out = vec![last];
    while out.len() < n {
        let prev = out[out.len() - 1].previous();
        out.push(prev);
    }
    out.reverse();
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseloadRow {
    pub consultant_id: Uuid,
    pub consultant: String,
    pub organisation: String,
    /// Active clients led; a group or an organisation counts as one.
    pub active: i64,
    pub limit: i64,
    pub overloaded: bool,
    /// Reasons coordinators gave when they assigned beyond the limit.
    pub override_reasons: Vec<String>,
}

/// Overloaded consultants first, then the fullest, then by name.
pub fn sort_caseloads(rows: &mut [CaseloadRow]) {
    rows.sort_by(|a, b| (!a.overloaded, -a.active, &a.consultant).cmp(&(!b.overloaded, -b.active, &b.consultant)));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub partnership_id: Uuid,
    pub today: String,
    /// The month the indicators end with and the survey belongs to (`YYYY-MM`).
    pub period: String,
    pub active_clients: i64,
    pub caseloads: Vec<CaseloadRow>,
    pub due: Vec<DueItem>,
    /// The six months ending with `period`, oldest first.
    pub indicators: Vec<IndicatorMonth>,
    /// The indicator codes, in the order of `IndicatorMonth::counts`.
    pub indicator_codes: Vec<String>,
    /// The action plan's goal indicators next to what clients reached (issue 8).
    #[serde(default)]
    pub plan: Vec<crate::partnership::plan::Progress>,
    /// The latest survey round up to `period`, if any: its id, month and respondents.
    pub survey: Option<SurveySummary>,
    /// People whose authorisation to process personal data has lapsed or ends within
    /// 30 days (issue 19).
    #[serde(default)]
    pub authorisations: Vec<crate::people::AuthorisationDue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub id: Uuid,
    pub period: String,
    pub respondents: u64,
    pub withheld: bool,
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    fn facts(ipd: serde_json::Value, contract: serde_json::Value, effects: serde_json::Value) -> ClientFacts {
        ClientFacts {
            id: Uuid::nil(),
            name: "Anna".into(),
            ipd: serde_json::from_value(ipd).ok(),
            contract: serde_json::from_value(contract).ok(),
            effects: serde_json::from_value(effects).ok(),
            last_contact: Some(date!(2026 - 11 - 20)),
            registered: date!(2026 - 01 - 01),
            consultant_id: None,
            consultant: String::new(),
        }
    }

    proptest::proptest! {
        /// Whatever a stored value says — a device clock at 9999-12-31, the edges of
        /// the calendar — the list of what is due is computed, never a panic.
        #[test]
        fn any_stored_dates_give_a_due_list(today in -4_000_000i32..6_000_000, contact in -4_000_000i32..6_000_000,
            registered in -4_000_000i32..6_000_000, to in "[0-9]{4}-[0-9]{2}-[0-9]{2}", next in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let day = |n: i32| time::Date::from_julian_day(n).unwrap_or(Date::MIN);
            for today in [day(today), Date::MIN, Date::MAX] {
                let mut f = facts(
                    json!({"social": {"tasks_ops": [{"id": "a", "task": "x", "to": to}]}}),
                    json!({"evaluations": [{"date": "2026-01-01", "next_date": next}]}),
                    json!({"employment_date": to}),
                );
                f.last_contact = Some(day(contact));
                f.registered = day(registered);
                let _ = due_list(&[f], today);
            }
        }
    }

    #[test]
    fn a_contact_dated_9999_12_31_is_skipped_and_breaks_nothing() {
        let mut f = facts(json!({}), json!({}), json!({}));
        f.registered = date!(2026 - 01 - 01);
        f.last_contact = Some(date!(9999 - 12 - 31));
        // No real contact since registration: the client shows as silent.
        let items = due(&f, date!(2026 - 11 - 29));
        assert!(items.iter().any(|i| i.kind == DueKind::NoContact), "{items:?}");
        f.last_contact = Some(Date::MAX);
        let _ = due(&f, Date::MAX);
    }

    #[test]
    fn ipd_tasks_come_due_within_two_weeks_and_overdue_ones_stay_until_done() {
        let ipd = json!({"social": {"tasks_ops": [
            {"id": "a", "task": "Kurs", "to": "2026-11-30"},
            {"id": "b", "task": "Spóźnione", "to": "2026-11-01"},
            {"id": "c", "task": "Zrobione", "to": "2026-11-01", "done": true},
            {"id": "d", "task": "Daleko", "to": "2027-01-30"},
            {"id": "e", "task": "Granica", "to": "2026-12-07"},
            {"id": "f", "task": "Za granicą", "to": "2026-12-08"},
        ]}});
        let items = due(&facts(ipd, json!(null), json!(null)), date!(2026 - 11 - 23));
        let got: Vec<_> = items.iter().map(|i| (i.what.as_str(), i.overdue)).collect();
        assert_eq!(got, [("Kurs", false), ("Spóźnione", true), ("Granica", false)]);
    }

    #[test]
    fn the_latest_contract_evaluation_sets_the_next_review() {
        let contract = json!({"evaluations": [
            {"id": "1", "date": "2026-08-01", "next_date": "2026-09-01"},
            {"id": "2", "date": "2026-10-01", "next_date": "2026-11-25"},
        ]});
        let items = due(&facts(json!(null), contract, json!(null)), date!(2026 - 11 - 23));
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].kind, items[0].date.as_str(), items[0].overdue), (DueKind::ContractReview, "2026-11-25", false));
    }

    #[test]
    fn a_window_from_29_february_ends_on_28_february() {
        let effects = json!({"employment_date": "2024-02-29"});
        let items = due(&facts(json!(null), json!(null), effects.clone()), date!(2025 - 02 - 20));
        assert_eq!((items[0].kind, items[0].date.as_str()), (DueKind::WindowEnd, "2025-02-28"));
        // Still listed a month after it ended, then not.
        assert_eq!(due(&facts(json!(null), json!(null), effects.clone()), date!(2025 - 03 - 30)).len(), 1);
        assert!(due(&facts(json!(null), json!(null), effects), date!(2025 - 03 - 31)).is_empty());
    }

    #[test]
    fn thirty_days_without_a_note_or_service_is_listed() {
        let mut f = facts(json!(null), json!(null), json!(null));
        f.last_contact = Some(date!(2026 - 10 - 24));
        assert!(due(&f, date!(2026 - 11 - 23)).is_empty(), "30 days exactly is not yet silence");
        let items = due(&f, date!(2026 - 11 - 24));
        assert_eq!((items[0].kind, items[0].overdue), (DueKind::NoContact, true));
        // A new client with nothing recorded counts from registration.
        f.last_contact = None;
        f.registered = date!(2026 - 11 - 10);
        assert!(due(&f, date!(2026 - 11 - 24)).is_empty());
    }

    #[test]
    fn indicators_count_clients_once_per_month() {
        let a: Effects = serde_json::from_value(json!({"rows": [
            {"id": "1", "indicator": "employment", "date": "2026-11-30"},
            {"id": "2", "indicator": "employment", "date": "2026-11-02"},
            {"id": "3", "indicator": "qualification", "date": "2026-10-31"},
        ]}))
        .expect("effects");
        let b: Effects = serde_json::from_value(json!({"rows": [{"id": "1", "indicator": "employment", "date": "2026-12-01"}]})).expect("effects");
        let months = months_ending(Month { year: 2026, month: 12 }, 3);
        assert_eq!(months.iter().map(std::string::ToString::to_string).collect::<Vec<_>>(), ["2026-10", "2026-11", "2026-12"]);
        let r = indicators(&[&a, &b], &months);
        let employment = |i: usize| r[i].counts[0];
        let qualification = |i: usize| r[i].counts[5];
        assert_eq!((employment(0), employment(1), employment(2)), (0, 1, 1));
        assert_eq!((qualification(0), qualification(1)), (1, 0));
    }

    #[test]
    fn overloaded_consultants_come_first() {
        let row = |name: &str, active| CaseloadRow {
            consultant_id: Uuid::nil(),
            consultant: name.into(),
            organisation: String::new(),
            active,
            limit: 15,
            overloaded: active > 15,
            override_reasons: vec![],
        };
        let mut rows = vec![row("A", 3), row("B", 16), row("C", 15), row("D", 17)];
        sort_caseloads(&mut rows);
        assert_eq!(rows.iter().map(|r| r.consultant.as_str()).collect::<Vec<_>>(), ["D", "B", "C", "A"]);
    }
}
