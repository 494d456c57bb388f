//! The monthly monitoring report (tool 8, "Raport z monitoringu działań
//! Partnerstwa"). Sections IX–XI are generated here from the case documents of one
//! month; the narrative sections (III–VIII, XII, XIII) are written by the
//! coordinator. Pure: the server hands over the partnership's facts, and the same
//! rules decide what a final report's frozen tables say and what changed since.
//!
//! Clients appear as "Klient N", numbered by the day their support began (then
//! registration), as on the form: the report goes to the partnership's management and funders, who need no
//! names.

pub mod draft;
pub mod labels;

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::dashboard::{indicators, IndicatorMonth};
use crate::docs::effects::Effects;
use crate::docs::services::Services;
use crate::docs::support::{Period as SupportPeriod, Support};
use crate::docs::{Check, DocStatus, LONG, SHORT};
use crate::lang::Lang;
use crate::calendar::Month;
use crate::validation::{parse_iso_date, FieldError};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What the report knows of one client of the partnership.
#[derive(Debug, Clone, Default)]
pub struct ClientFacts {
    pub id: Uuid,
    pub registered: Option<Date>,
    /// A person's sex (`female`/`male`); empty for a group or an institution.
    pub sex: String,
    pub birth_date: Option<Date>,
    /// Closed in the registry (older records closed before support had periods).
    pub closed: bool,
    pub support: Option<Support>,
    /// The degree of disability from the assessment (`none` or a degree), or empty.
    pub disability: String,
    pub services: Option<Services>,
}

impl ClientFacts {
    /// The periods of support: as recorded, or — for a client nobody has recorded
    /// one for yet — one period from the day the client registered.
    fn periods(&self) -> Vec<SupportPeriod> {
        let recorded: Vec<SupportPeriod> = self.support.iter().flat_map(|s| s.ordered().into_iter().cloned()).collect();
        if !recorded.is_empty() || self.closed {
            return recorded;
        }
        self.registered.map(|d| SupportPeriod { id: "registered".into(), from: d.to_string(), ..Default::default() }).into_iter().collect()
    }
}

/// Section IX: one client's characteristics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Characteristics {
    pub no: u32,
    pub client_id: Uuid,
    pub sex: String,
    /// Full years on the month's last day.
    pub age: Option<i32>,
    pub labour: String,
    pub single_parent: bool,
    pub disability: String,
    /// Feature codes other than single parent, and the free text.
    pub features: Vec<String>,
    pub other_features: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeliveredService {
    pub date: String,
    pub service: String,
    pub scope: String,
    pub finished: bool,
}

/// Section X: the services one client received in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientServices {
    pub no: u32,
    pub client_id: Uuid,
    pub services: Vec<DeliveredService>,
    /// The services' remarks, in date order.
    pub remarks: Vec<String>,
}

/// Section XI: support that ended in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ending {
    pub no: u32,
    pub client_id: Uuid,
    pub ended: String,
    pub weeks: i64,
    pub reason: String,
    pub reason_text: String,
    pub situation: String,
}

/// The generated sections of one month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Tables {
    pub month: String,
    pub characteristics: Vec<Characteristics>,
    pub services: Vec<ClientServices>,
    pub endings: Vec<Ending>,
}

fn age_on(birth: Date, day: Date) -> i32 {
    let mut years = day.year() - birth.year();
    if (u8::from(day.month()), day.day()) < (u8::from(birth.month()), birth.day()) {
        years -= 1;
    }
    years
}

/// Generates sections IX, X and XI for `month`.
pub fn generate(month: Month, clients: &[ClientFacts]) -> Tables {
    let (first, last) = (month.first_day(), month.last_day());
    let in_month = |d: &str| parse_iso_date(d).is_some_and(|d| d >= first && d <= last);
    let mut ordered: Vec<(Option<Date>, &ClientFacts)> =
        clients.iter().map(|c| (c.periods().first().and_then(SupportPeriod::start).or(c.registered), c)).collect();
    ordered.sort_by_key(|(began, c)| (*began, c.registered, c.id));

    let mut tables = Tables { month: month.to_string(), ..Default::default() };
    let mut no = 0u32;
    for (_, c) in ordered {
        let periods = c.periods();
        let supported = periods.iter().any(|p| p.overlaps(first, last));
        let mut services: Vec<(&str, DeliveredService, &str)> = c
            .services
            .iter()
            .flat_map(|s| s.rows.iter())
            .filter(|r| in_month(&r.date))
            .map(|r| (r.date.as_str(), DeliveredService { date: r.date.clone(), service: r.service.clone(), scope: r.scope.clone(), finished: r.finished }, r.remarks.as_str()))
            .collect();
        let endings: Vec<&SupportPeriod> = periods.iter().filter(|p| in_month(&p.to)).collect();
        if !supported && services.is_empty() && endings.is_empty() {
            continue;
        }
        no += 1;
        let support = c.support.clone().unwrap_or_default();
        if supported {
            tables.characteristics.push(Characteristics {
                no,
                client_id: c.id,
                sex: c.sex.clone(),
                age: c.birth_date.map(|b| age_on(b, last)),
                labour: support.labour.clone(),
                single_parent: support.features.iter().any(|f| f == "single_parent"),
                disability: c.disability.clone(),
                features: support.features.iter().filter(|f| *f != "single_parent").cloned().collect(),
                other_features: support.other_features.clone(),
            });
        }
        if !services.is_empty() {
            services.sort_by(|a, b| a.0.cmp(b.0));
            tables.services.push(ClientServices {
                no,
                client_id: c.id,
                remarks: services.iter().map(|s| s.2.trim()).filter(|r| !r.is_empty()).map(str::to_string).collect(),
                services: services.into_iter().map(|s| s.1).collect(),
            });
        }
        for p in endings {
            tables.endings.push(Ending {
                no,
                client_id: c.id,
                ended: p.to.clone(),
                weeks: p.weeks().unwrap_or(0),
                reason: p.reason.clone(),
                reason_text: p.reason_text.clone(),
                situation: p.situation.clone(),
            });
        }
    }
    tables
}

/// A row of a final report that the data no longer agrees with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangedSince {
    /// `ix`, `x` or `xi`.
    pub section: String,
    pub no: u32,
    pub client_id: Uuid,
    /// `added`, `removed` or `changed`.
    pub what: String,
}

/// What differs between a final report's frozen tables and the tables the data
/// gives today; rows are matched by client, so renumbering alone is no change.
pub fn changed_since(frozen: &Tables, now: &Tables) -> Vec<ChangedSince> {
    fn compare<T: PartialEq + Clone>(
        section: &str,
        frozen: &[T],
        now: &[T],
        key: impl Fn(&T) -> (Uuid, u32),
        renumber: impl Fn(&T) -> T,
        out: &mut Vec<ChangedSince>,
    ) {
        let of = |rows: &[T], id: Uuid| -> Vec<T> { rows.iter().filter(|r| key(r).0 == id).map(&renumber).collect() };
        let mut ids: Vec<(Uuid, u32)> = frozen.iter().chain(now.iter()).map(&key).collect();
        ids.dedup_by_key(|k| k.0);
        let mut seen: Vec<Uuid> = Vec::new();
        for (id, no) in ids {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let (was, is) = (of(frozen, id), of(now, id));
            let what = match (was.is_empty(), is.is_empty()) {
                (false, true) => "removed",
                (true, false) => "added",
                _ if was != is => "changed",
                _ => continue,
            };
            out.push(ChangedSince { section: section.into(), no, client_id: id, what: what.into() });
        }
    }
    let mut out = Vec::new();
    compare("ix", &frozen.characteristics, &now.characteristics, |r| (r.client_id, r.no), |r| Characteristics { no: 0, ..r.clone() }, &mut out);
    compare("x", &frozen.services, &now.services, |r| (r.client_id, r.no), |r| ClientServices { no: 0, ..r.clone() }, &mut out);
    compare("xi", &frozen.endings, &now.endings, |r| (r.client_id, r.no), |r| Ending { no: 0, ..r.clone() }, &mut out);
    out
}

/// The sections the coordinator writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default)]
pub struct Narrative {
    /// "Nr …/20..": the report's number in the partnership's register.
    pub number: String,
    /// Section II: who prepared the report, with contact details.
    pub author: String,
    pub voivodeship: String,
    pub county: String,
    pub municipality: String,
    /// III – VIII, XII, XIII.
    pub planned: String,
    pub realised: String,
    pub discrepancies: String,
    pub risks: String,
    pub mitigation: String,
    pub next_month: String,
    pub development: String,
    pub remarks: String,
}

/// The narrative fields, in the form's order, with their section numbers.
pub const SECTIONS: [(&str, &str); 8] = [
    ("planned", "III"),
    ("realised", "IV"),
    ("discrepancies", "V"),
    ("risks", "VI"),
    ("mitigation", "VII"),
    ("next_month", "VIII"),
    ("development", "XII"),
    ("remarks", "XIII"),
];

impl Narrative {
    fn slot(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "number" => &mut self.number,
            "author" => &mut self.author,
            "voivodeship" => &mut self.voivodeship,
            "county" => &mut self.county,
            "municipality" => &mut self.municipality,
            "planned" => &mut self.planned,
            "realised" => &mut self.realised,
            "discrepancies" => &mut self.discrepancies,
            "risks" => &mut self.risks,
            "mitigation" => &mut self.mitigation,
            "next_month" => &mut self.next_month,
            "development" => &mut self.development,
            "remarks" => &mut self.remarks,
            _ => return None,
        })
    }

    /// A field's text by its name; empty for a name that is not a field.
    pub fn section(&self, key: &str) -> &str {
        match key {
            "number" => &self.number,
            "author" => &self.author,
            "voivodeship" => &self.voivodeship,
            "county" => &self.county,
            "municipality" => &self.municipality,
            "planned" => &self.planned,
            "realised" => &self.realised,
            "discrepancies" => &self.discrepancies,
            "risks" => &self.risks,
            "mitigation" => &self.mitigation,
            "next_month" => &self.next_month,
            "development" => &self.development,
            "remarks" => &self.remarks,
            _ => "",
        }
    }

    pub fn set(&mut self, key: &str, text: String) {
        if let Some(slot) = self.slot(key) {
            *slot = text;
        }
    }

    /// Lengths always; for a final report also the author and what was done (II, IV).
    pub fn validate(&self, lang: Lang, status: DocStatus) -> Result<(), Vec<FieldError>> {
        let mut c = Check::new(lang);
        let fin = status == DocStatus::Final;
        c.text("number", &self.number, SHORT, false);
        c.text("author", &self.author, SHORT, fin);
        for (f, v) in [("voivodeship", &self.voivodeship), ("county", &self.county), ("municipality", &self.municipality)] {
            c.text(f, v, SHORT, false);
        }
        for (key, _) in SECTIONS {
            c.text(key, self.section(key), LONG, fin && key == "realised");
        }
        c.errors.into_result(|| ())
    }
}

/// A monthly report as the server sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MonthlyReport {
    pub partnership_id: Uuid,
    pub partnership: String,
    pub month: String,
    /// 0 while nothing has been saved.
    pub version: i64,
    pub status: DocStatus,
    pub narrative: Narrative,
    /// Frozen at the moment the report was marked final; live while it is a draft.
    pub tables: Tables,
    pub finalised_at: String,
    pub finalised_by: String,
    /// For a final report: rows the data no longer agrees with.
    pub changed_since: Vec<ChangedSince>,
    /// Names of the partnership's own services, which the tables name by code.
    pub custom_services: Vec<crate::docs::CustomService>,
}

/// A save of the narrative: the fields as the device started from them and as they
/// are now; the server merges them field by field into what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportSave {
    pub base: Narrative,
    pub narrative: Narrative,
    #[serde(default)]
    pub finalise: bool,
}

/// What a save did: the report now, and the fields someone else had changed to
/// something different (kept as they were on the server; the device keeps its text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportSaved {
    pub report: MonthlyReport,
    pub conflicts: Vec<String>,
}

/// The yearly indicators for the regional centre (ROPS): counts per month for
/// twelve months, and each indicator's number of distinct clients in the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct YearIndicators {
    pub partnership_id: Uuid,
    pub partnership: String,
    pub year: i32,
    pub codes: Vec<String>,
    pub months: Vec<IndicatorMonth>,
    /// Clients who reached each indicator at least once in the year.
    pub clients: Vec<u32>,
}

pub fn year_indicators(effects: &[&Effects], year: i32) -> (Vec<IndicatorMonth>, Vec<u32>) {
    let months: Vec<Month> = (1..=12).map(|month| Month { year, month }).collect();
    let per_month = indicators(effects, &months);
    let clients = crate::docs::effects::INDICATORS
        .iter()
        .map(|ind| {
            let n = effects.iter().filter(|e| e.rows.iter().any(|r| r.indicator == *ind && parse_iso_date(&r.date).is_some_and(|d| d.year() == year))).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        })
        .collect();
    (per_month, clients)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::services::Service;
    use crate::docs::support::Period as P;
    use proptest::prelude::*;
    use time::macros::date;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn service(date: &str, code: &str, finished: bool) -> Service {
        Service { id: date.into(), date: date.into(), service: code.into(), scope: "zakres".into(), finished, remarks: format!("uwagi {date}"), ..Default::default() }
    }

    fn month() -> Month {
        Month { year: 2026, month: 10 }
    }

    #[test]
    fn a_service_on_the_last_day_counts_and_one_on_the_next_day_does_not() {
        let c = ClientFacts {
            id: id(1),
            registered: Some(date!(2026 - 01 - 10)),
            services: Some(Services { client_id: String::new(), rows: vec![
                service("2026-11-01", "job_club", false),
                service("2026-10-31", "vocational_counselling", true),
                service("2026-10-01", "social_work", false),
                service("2026-09-30", "internship", false),
            ] }),
            ..Default::default()
        };
        let t = generate(month(), &[c]);
        assert_eq!(t.services.len(), 1);
        let got: Vec<&str> = t.services[0].services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(got, ["social_work", "vocational_counselling"]);
        assert_eq!(t.services[0].remarks, ["uwagi 2026-10-01", "uwagi 2026-10-31"]);
        assert_eq!(t.characteristics.len(), 1, "registered in January, no ending: supported");
    }

    #[test]
    fn support_that_ended_and_restarted_in_the_month_is_both_an_ending_and_a_client() {
        let support = Support {
            labour: "long_term_unemployed".into(),
            features: vec!["single_parent".into(), "rural".into()],
            periods: vec![
                P { id: "a".into(), from: "2026-03-02".into(), to: "2026-10-09".into(), reason: "resigned".into(), situation: "opiekuje się matką".into(), ..Default::default() },
                P { id: "b".into(), from: "2026-10-26".into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let c = ClientFacts { id: id(2), registered: Some(date!(2026 - 03 - 02)), sex: "female".into(), birth_date: Some(date!(1990 - 10 - 31)), support: Some(support), disability: "moderate".into(), ..Default::default() };
        let t = generate(month(), &[c]);
        assert_eq!(t.endings, [Ending { no: 1, client_id: id(2), ended: "2026-10-09".into(), weeks: 32, reason: "resigned".into(), reason_text: String::new(), situation: "opiekuje się matką".into() }]);
        let ix = &t.characteristics[0];
        assert_eq!((ix.age, ix.single_parent, ix.features.as_slice(), ix.disability.as_str()), (Some(36), true, ["rural".to_string()].as_slice(), "moderate"));
        // A month between the two periods has neither.
        let between = ClientFacts { support: Some(Support { periods: vec![
            P { id: "a".into(), from: "2026-03-02".into(), to: "2026-08-31".into(), reason: "moved".into(), ..Default::default() },
            P { id: "b".into(), from: "2026-11-01".into(), ..Default::default() },
        ], ..Default::default() }), id: id(3), ..Default::default() };
        assert_eq!(generate(month(), &[between]), Tables { month: "2026-10".into(), ..Default::default() });
    }

    #[test]
    fn clients_are_numbered_by_when_support_began_and_age_is_counted_at_the_month_end() {
        let a = ClientFacts { id: id(9), registered: Some(date!(2026 - 02 - 01)), birth_date: Some(date!(2000 - 11 - 01)), ..Default::default() };
        let b = ClientFacts { id: id(8), registered: Some(date!(2026 - 01 - 01)), birth_date: Some(date!(2000 - 10 - 31)), ..Default::default() };
        let late = ClientFacts { id: id(7), registered: Some(date!(2026 - 11 - 01)), ..Default::default() };
        let closed = ClientFacts { id: id(6), registered: Some(date!(2025 - 11 - 01)), closed: true, ..Default::default() };
        let t = generate(month(), &[a, b, late, closed]);
        let rows: Vec<(u32, Uuid, Option<i32>)> = t.characteristics.iter().map(|c| (c.no, c.client_id, c.age)).collect();
        assert_eq!(rows, [(1, id(8), Some(26)), (2, id(9), Some(25))]);
    }

    #[test]
    fn a_final_report_lists_what_changed_since_by_client() {
        let c = |n: u128, reg| ClientFacts { id: id(n), registered: Some(reg), ..Default::default() };
        let frozen = generate(month(), &[c(1, date!(2026 - 02 - 01)), c(2, date!(2026 - 03 - 01))]);
        assert!(changed_since(&frozen, &frozen).is_empty());
        // Client 0 registered earlier appears: the others are renumbered, not changed.
        let mut with_service = c(2, date!(2026 - 03 - 01));
        with_service.services = Some(Services { client_id: String::new(), rows: vec![service("2026-10-15", "job_club", true)] });
        let now = generate(month(), &[c(0, date!(2026 - 01 - 01)), c(1, date!(2026 - 02 - 01)), with_service]);
        let got: Vec<(String, Uuid, String)> = changed_since(&frozen, &now).into_iter().map(|c| (c.section, c.client_id, c.what)).collect();
        assert_eq!(got, [("ix".into(), id(0), "added".into()), ("x".into(), id(2), "added".into())]);
    }

    #[test]
    fn a_final_report_needs_its_author_and_what_was_done() {
        let n = Narrative::default();
        assert!(n.validate(Lang::Pl, DocStatus::Draft).is_ok());
        let e = n.validate(Lang::En, DocStatus::Final).unwrap_err();
        assert_eq!(e.iter().map(|e| e.pointer.as_str()).collect::<Vec<_>>(), ["/author", "/realised"]);
        let long = Narrative { risks: "x".repeat(LONG + 1), ..Default::default() };
        assert_eq!(long.validate(Lang::Pl, DocStatus::Draft).unwrap_err()[0].pointer, "/risks");
    }

    #[test]
    fn the_year_counts_each_month_and_each_client_once() {
        use crate::docs::effects::Effect;
        let e = |rows: Vec<(&str, &str)>| Effects { rows: rows.into_iter().enumerate().map(|(i, (ind, d))| Effect { id: i.to_string(), indicator: ind.into(), date: d.into(), ..Default::default() }).collect(), ..Default::default() };
        let a = e(vec![("employment", "2026-01-31"), ("employment", "2026-12-01"), ("internship", "2025-12-31")]);
        let b = e(vec![("employment", "2026-02-01")]);
        let (months, clients) = year_indicators(&[&a, &b], 2026);
        assert_eq!(months.len(), 12);
        assert_eq!((months[0].counts[0], months[1].counts[0], months[11].counts[0]), (1, 1, 1));
        assert_eq!((clients[0], clients[1]), (2, 0));
    }

    proptest! {
        #[test]
        fn every_service_of_the_month_is_reported_once_and_no_other(days in proptest::collection::vec(0i64..120, 0..30)) {
            let start = date!(2026 - 09 - 01);
            let rows: Vec<Service> = days.iter().enumerate().map(|(i, d)| Service { id: i.to_string(), ..service(&(start + time::Duration::days(*d)).to_string(), "job_club", false) }).collect();
            let expected = rows.iter().filter(|r| r.date.starts_with("2026-10")).count();
            let c = ClientFacts { id: id(1), registered: Some(start), services: Some(Services { client_id: String::new(), rows }), ..Default::default() };
            let t = generate(month(), &[c]);
            prop_assert_eq!(t.services.iter().map(|s| s.services.len()).sum::<usize>(), expected);
        }
    }
}
