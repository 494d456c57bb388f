//! The partnership's action plan (tool 3): sections I–X, with numeric indicators for
//! its goals and the schedule as a Gantt chart by month with milestones. Months are
//! `YYYY-MM`; every activity and milestone lies inside the plan's period.

use serde::{Deserialize, Serialize};

use crate::docs::effects::INDICATORS;
use crate::docs::{Check, Row, LONG, SHORT};
use crate::calendar::Month;

/// The longest plan: five years of months.
pub const MAX_MONTHS: usize = 60;

/// The steps of the service process (section VI) a new plan starts with.
pub const STEPS: [&str; 6] = ["recruitment", "diagnosis", "individual_plan", "service_a", "monitoring", "evaluation"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    pub id: String,
    /// `now` (the goals for now) or `long` (long-term).
    pub horizon: String,
    pub name: String,
    pub target: Option<f64>,
    pub unit: String,
    /// The indicator of effect (section 6.3) it is counted by, if any: the dashboard
    /// compares the target with what clients reached.
    pub effect: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Step {
    pub id: String,
    pub step: String,
    pub pup: String,
    pub ops: String,
    pub ngo: String,
    pub others: String,
    pub responsible: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Potential {
    pub id: String,
    pub partner: String,
    pub staff: String,
    pub time: String,
    pub benefits: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    pub id: String,
    pub name: String,
    /// Who carries it: a partner organisation's id, or empty for all partners.
    pub owner: String,
    pub from: String,
    pub to: String,
    /// A milestone is one month's event, drawn as a diamond.
    pub milestone: bool,
}

macro_rules! rows {
    ($($t:ty),+) => { $(impl Row for $t { fn row_id(&self) -> &str { &self.id } })+ };
}
rows!(Indicator, Step, Potential, Activity);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionPlan {
    // I. The partnership.
    pub voivodeship: String,
    pub county: String,
    pub municipalities: String,
    pub institutions: String,
    pub people: String,
    pub coordinator: String,
    // II. Goals.
    pub goals_now: String,
    pub goals_long: String,
    pub indicators: Vec<Indicator>,
    // III–IV.
    pub labour_market: String,
    pub target_group: String,
    // V. The client group.
    pub territory: String,
    pub criteria: String,
    pub intake: String,
    // VI. The service process.
    pub process: Vec<Step>,
    // VII.
    pub form: String,
    pub management: String,
    pub division: String,
    pub strengthening: String,
    // VIII.
    pub potential: Vec<Potential>,
    // IX.
    pub monitoring_person: String,
    pub monitoring_methods: String,
    // X. The schedule.
    pub period_from: String,
    pub period_to: String,
    pub schedule: Vec<Activity>,
}

/// Text fields of the plan with their section, in the form's order.
pub const TEXTS: [(&str, &str); 19] = [
    ("voivodeship", "I"),
    ("county", "I"),
    ("municipalities", "I"),
    ("institutions", "I"),
    ("people", "I"),
    ("coordinator", "I"),
    ("goals_now", "II"),
    ("goals_long", "II"),
    ("labour_market", "III"),
    ("target_group", "IV"),
    ("territory", "V"),
    ("criteria", "V"),
    ("intake", "V"),
    ("form", "VII"),
    ("management", "VII"),
    ("division", "VII"),
    ("strengthening", "VII"),
    ("monitoring_person", "IX"),
    ("monitoring_methods", "IX"),
];

impl ActionPlan {
    pub fn text(&self, key: &str) -> &str {
        match key {
            "voivodeship" => &self.voivodeship,
            "county" => &self.county,
            "municipalities" => &self.municipalities,
            "institutions" => &self.institutions,
            "people" => &self.people,
            "coordinator" => &self.coordinator,
            "goals_now" => &self.goals_now,
            "goals_long" => &self.goals_long,
            "labour_market" => &self.labour_market,
            "target_group" => &self.target_group,
            "territory" => &self.territory,
            "criteria" => &self.criteria,
            "intake" => &self.intake,
            "form" => &self.form,
            "management" => &self.management,
            "division" => &self.division,
            "strengthening" => &self.strengthening,
            "monitoring_person" => &self.monitoring_person,
            "monitoring_methods" => &self.monitoring_methods,
            _ => "",
        }
    }

    /// The plan's months, or none while its period is not set.
    pub fn months(&self) -> Vec<Month> {
        let (Some(from), Some(to)) = (Month::parse(&self.period_from), Month::parse(&self.period_to)) else { return Vec::new() };
        let mut out = Vec::new();
        let mut m = from;
        while m <= to && out.len() < MAX_MONTHS {
            out.push(m);
            m = m.next();
        }
        out
    }

    pub fn check(&self, c: &mut Check) {
        for (key, _) in TEXTS {
            c.text(key, self.text(key), if key.ends_with("person") || key == "coordinator" { SHORT } else { LONG }, false);
        }
        let month = |c: &mut Check, field: &str, v: &str, required: bool| -> Option<Month> {
            if v.is_empty() {
                if required {
                    c.errors.required(field);
                }
                return None;
            }
            let p = Month::parse(v);
            if p.is_none() {
                c.add(field, "month", "Miesiąc w postaci rrrr-mm.".into(), "A month as yyyy-mm.".into());
            }
            p
        };
        let from = month(c, "period_from", &self.period_from, false);
        let to = month(c, "period_to", &self.period_to, false);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                c.add("period_to", "range", "Koniec planu jest przed jego początkiem.".into(), "The plan ends before it starts.".into());
            } else if (t.year - f.year) * 12 + i32::from(t.month) - i32::from(f.month) >= MAX_MONTHS as i32 {
                c.add("period_to", "too_long", format!("Plan obejmuje najwyżej {MAX_MONTHS} miesięcy."), format!("A plan covers at most {MAX_MONTHS} months."));
            }
        }
        c.rows("indicators", &self.indicators);
        for i in &self.indicators {
            let at = |f: &str| format!("indicators/{}/{f}", i.id);
            c.choice(&at("horizon"), &i.horizon, &["now", "long"], false);
            c.text(&at("name"), &i.name, SHORT, true);
            c.text(&at("unit"), &i.unit, SHORT, false);
            if i.target.is_some_and(|t| !(0.0..=1_000_000.0).contains(&t) || t.is_nan()) {
                c.add(&at("target"), "target", "Wartość docelowa: liczba nieujemna.".into(), "The target is a non-negative number.".into());
            }
            c.choice(&at("effect"), &i.effect, &INDICATORS, false);
        }
        c.rows("process", &self.process);
        for s in &self.process {
            let at = |f: &str| format!("process/{}/{f}", s.id);
            for (f, v) in [("step", &s.step), ("pup", &s.pup), ("ops", &s.ops), ("ngo", &s.ngo), ("others", &s.others), ("responsible", &s.responsible)] {
                c.text(&at(f), v, LONG, false);
            }
        }
        c.rows("potential", &self.potential);
        for p in &self.potential {
            let at = |f: &str| format!("potential/{}/{f}", p.id);
            for (f, v) in [("partner", &p.partner), ("staff", &p.staff), ("time", &p.time), ("benefits", &p.benefits), ("value", &p.value)] {
                c.text(&at(f), v, LONG, false);
            }
        }
        c.rows("schedule", &self.schedule);
        for a in &self.schedule {
            let at = |f: &str| format!("schedule/{}/{f}", a.id);
            c.text(&at("name"), &a.name, SHORT, true);
            let af = month(c, &at("from"), &a.from, true);
            let at_ = month(c, &at("to"), &a.to, true);
            if let (Some(f), Some(t)) = (af, at_) {
                if t < f {
                    c.add(&at("to"), "range", "Działanie kończy się przed rozpoczęciem.".into(), "The activity ends before it starts.".into());
                }
                if a.milestone && t != f {
                    c.add(&at("to"), "milestone", "Kamień milowy to jeden miesiąc.".into(), "A milestone is one month.".into());
                }
                if let (Some(pf), Some(pt)) = (from, to) {
                    if f < pf || t > pt {
                        c.add(
                            &at("from"),
                            "outside",
                            format!("Działanie wykracza poza okres planu ({} – {}).", self.period_from, self.period_to),
                            format!("The activity lies outside the plan's period ({} – {}).", self.period_from, self.period_to),
                        );
                    }
                }
            }
        }
    }
}

/// A goal indicator of the plan next to what clients reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub name: String,
    pub effect: String,
    pub target: f64,
    pub unit: String,
    /// Clients who reached the effect within the plan's period (ever, when it has none).
    pub reached: u32,
}

/// The plan's indicators that are counted by an effect, with the clients who reached it.
pub fn progress(plan: &ActionPlan, effects: &[&crate::docs::effects::Effects]) -> Vec<Progress> {
    let months = plan.months();
    let within = |d: &str| match crate::validation::parse_iso_date(d) {
        Some(day) => months.is_empty() || months.contains(&Month::of(day)),
        None => false,
    };
    plan.indicators
        .iter()
        .filter(|i| !i.effect.is_empty())
        .filter_map(|i| {
            let reached = effects.iter().filter(|e| e.rows.iter().any(|r| r.indicator == i.effect && within(&r.date))).count();
            Some(Progress { name: i.name.clone(), effect: i.effect.clone(), target: i.target?, unit: i.unit.clone(), reached: u32::try_from(reached).unwrap_or(u32::MAX) })
        })
        .collect()
}

/// Where an activity's bar lies in the plan's months: (first index, number of months).
pub fn bar(a: &Activity, months: &[Month]) -> Option<(usize, usize)> {
    let (from, to) = (Month::parse(&a.from)?, Month::parse(&a.to)?);
    let start = months.iter().position(|m| *m == from)?;
    let end = months.iter().position(|m| *m == to)?;
    (end >= start).then_some((start, end - start + 1))
}

/// A tap on a month of an activity's row, as a tablet edits the chart: a month before
/// the bar moves its start there, a month after it moves its end, a month inside it
/// ends the bar there. A milestone moves to the tapped month.
pub fn tap(a: &Activity, month: Month) -> (String, String) {
    let m = month.to_string();
    match (Month::parse(&a.from), Month::parse(&a.to)) {
        _ if a.milestone => (m.clone(), m),
        (Some(f), Some(t)) if month < f => (m, t.to_string()),
        (Some(f), Some(t)) if month > t => (f.to_string(), m),
        (Some(f), Some(_)) => (f.to_string(), m),
        _ => (m.clone(), m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn codes(p: &ActionPlan) -> Vec<(String, String)> {
        let mut c = Check::new(Lang::En);
        p.check(&mut c);
        c.errors.into_result(|| ()).err().unwrap_or_default().into_iter().map(|e| (e.pointer, e.code)).collect()
    }

    fn act(id: &str, from: &str, to: &str, milestone: bool) -> Activity {
        Activity { id: id.into(), name: "Rekrutacja".into(), from: from.into(), to: to.into(), milestone, ..Default::default() }
    }

    #[test]
    fn activities_and_milestones_lie_inside_the_plans_period() {
        let plan = ActionPlan { period_from: "2026-01".into(), period_to: "2026-12".into(),
            schedule: vec![act("a", "2026-01", "2026-03", false), act("m", "2026-12", "2026-12", true)], ..Default::default() };
        assert!(codes(&plan).is_empty());
        assert_eq!(plan.months().len(), 12);
        assert_eq!(bar(&plan.schedule[0], &plan.months()), Some((0, 3)));
        let bad = ActionPlan { schedule: vec![act("a", "2025-12", "2026-02", false), act("m", "2026-05", "2026-06", true), act("r", "2026-04", "2026-03", false)], ..plan };
        assert_eq!(codes(&bad), [
            ("/schedule/a/from".into(), "outside".into()),
            ("/schedule/m/to".into(), "milestone".into()),
            ("/schedule/r/to".into(), "range".into()),
        ]);
        let long = ActionPlan { period_from: "2026-01".into(), period_to: "2031-01".into(), ..Default::default() };
        assert_eq!(codes(&long), [("/period_to".into(), "too_long".into())]);
    }

    #[test]
    fn a_tap_moves_the_start_the_end_or_a_milestone() {
        let m = |s: &str| Month::parse(s).expect("month");
        let a = act("a", "2026-03", "2026-05", false);
        assert_eq!(tap(&a, m("2026-01")), ("2026-01".into(), "2026-05".into()));
        assert_eq!(tap(&a, m("2026-08")), ("2026-03".into(), "2026-08".into()));
        assert_eq!(tap(&a, m("2026-04")), ("2026-03".into(), "2026-04".into()));
        assert_eq!(tap(&act("n", "", "", false), m("2026-02")), ("2026-02".into(), "2026-02".into()));
        assert_eq!(tap(&act("x", "2026-03", "2026-03", true), m("2026-07")), ("2026-07".into(), "2026-07".into()));
    }

    #[test]
    fn the_plans_targets_are_compared_with_the_clients_who_reached_them_in_its_period() {
        use crate::docs::effects::{Effect, Effects};
        let plan = ActionPlan { period_from: "2026-01".into(), period_to: "2026-06".into(), indicators: vec![
            Indicator { id: "a".into(), name: "Zatrudnienie".into(), target: Some(5.0), effect: "employment".into(), ..Default::default() },
            Indicator { id: "b".into(), name: "Bez efektu".into(), target: Some(1.0), ..Default::default() },
        ], ..Default::default() };
        let e = |d: &str| Effects { rows: vec![Effect { id: "r".into(), indicator: "employment".into(), date: d.into(), ..Default::default() }], ..Default::default() };
        let (a, b, c) = (e("2026-01-01"), e("2026-06-30"), e("2026-07-01"));
        let p = progress(&plan, &[&a, &b, &c]);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].target, p[0].reached), (5.0, 2));
    }

    #[test]
    fn indicators_are_numbers_and_name_a_known_effect() {
        let plan = ActionPlan { indicators: vec![
            Indicator { id: "a".into(), horizon: "now".into(), name: "Zatrudnienie".into(), target: Some(5.0), effect: "employment".into(), ..Default::default() },
            Indicator { id: "b".into(), horizon: "later".into(), name: "X".into(), target: Some(-1.0), effect: "luck".into(), ..Default::default() },
        ], ..Default::default() };
        assert_eq!(codes(&plan), [
            ("/indicators/b/horizon".into(), "unknown_option".into()),
            ("/indicators/b/target".into(), "target".into()),
            ("/indicators/b/effect".into(), "unknown_option".into()),
        ]);
    }
}
