//! Indywidualny Plan Działania (IPD, tools 5–6): the goal, the social area and the
//! vocational area, each with task tables. A task has an owner (which partner
//! carries it) and dates; its "to" date is what reminders are due on.

use serde::{Deserialize, Serialize};

use super::{CaseDocument, Check, DocContext, DocStatus, Row, LONG, SHORT};
use crate::org::OrgType;

/// Who carries a task: one of the partners, another institution or the client.
pub const OWNERS: [&str; 6] = ["ops", "pup", "ngo", "owes", "other", "client"];

/// The task tables in the form's order: (pointer, the owner a new row starts with).
pub const SOCIAL_TABLES: [(&str, &str); 4] =
    [("tasks_ops", "ops"), ("tasks_ngo", "ngo"), ("tasks_other", "other"), ("tasks_self", "client")];
pub const VOCATIONAL_TABLES: [(&str, &str); 5] = [
    ("tasks_education", "other"),
    ("tasks_job_prep", "other"),
    ("tasks_own_search", "client"),
    ("tasks_pup", "pup"),
    ("tasks_self", "client"),
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Task {
    pub id: String,
    pub task: String,
    pub owner: String,
    pub from: String,
    pub to: String,
    pub description: String,
    pub remarks: String,
    pub done: bool,
}

impl Row for Task {
    fn row_id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialArea {
    pub resources: String,
    pub deficits: String,
    pub tasks_ops: Vec<Task>,
    pub tasks_ngo: Vec<Task>,
    pub tasks_other: Vec<Task>,
    pub tasks_self: Vec<Task>,
    pub barriers_internal: String,
    pub barriers_external: String,
    pub overcome: String,
    pub supporters: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VocationalArea {
    pub position: String,
    pub contract_form: String,
    pub resources: String,
    pub tasks_education: Vec<Task>,
    pub tasks_job_prep: Vec<Task>,
    pub tasks_own_search: Vec<Task>,
    pub tasks_pup: Vec<Task>,
    pub tasks_self: Vec<Task>,
    pub barriers_internal: String,
    pub barriers_external: String,
    pub overcome: String,
    pub supporters: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ipd {
    pub client_id: String,
    pub status: DocStatus,
    pub date: String,
    pub goal: String,
    pub social_goals: String,
    pub vocational_goals: String,
    pub social: SocialArea,
    pub vocational: VocationalArea,
    pub supervisor: String,
}

impl SocialArea {
    pub fn tables(&self) -> [(&'static str, &Vec<Task>); 4] {
        [("tasks_ops", &self.tasks_ops), ("tasks_ngo", &self.tasks_ngo), ("tasks_other", &self.tasks_other), ("tasks_self", &self.tasks_self)]
    }
}

impl VocationalArea {
    pub fn tables(&self) -> [(&'static str, &Vec<Task>); 5] {
        [
            ("tasks_education", &self.tasks_education),
            ("tasks_job_prep", &self.tasks_job_prep),
            ("tasks_own_search", &self.tasks_own_search),
            ("tasks_pup", &self.tasks_pup),
            ("tasks_self", &self.tasks_self),
        ]
    }
}

impl Ipd {
    /// Every task with the pointer of its table (`social/tasks_ops`, …).
    pub fn tasks(&self) -> Vec<(String, &Task)> {
        let social = self.social.tables().into_iter().map(|(t, rows)| (format!("social/{t}"), rows));
        let vocational = self.vocational.tables().into_iter().map(|(t, rows)| (format!("vocational/{t}"), rows));
        social.chain(vocational).flat_map(|(table, rows)| rows.iter().map(move |r| (table.clone(), r))).collect()
    }

}

/// A task can be given to a partner only in a partnership that has one.
fn owner_in_partnership(c: &mut Check, field: &str, owner: &str, ctx: &DocContext) {
    let Some(t) = OrgType::parse(owner) else { return };
    if t == OrgType::Other || ctx.has(t) {
        return;
    }
    let name = t.as_str().to_uppercase();
    c.add(
        field,
        "no_such_partner",
        format!("W tym partnerstwie nie ma partnera typu {name}; wybierz innego wykonawcę."),
        format!("This partnership has no {name} partner; choose another owner."),
    );
}

impl CaseDocument for Ipd {
    const SENSITIVE: bool = false;
    const HAS_STATUS: bool = true;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        let fin = self.status == DocStatus::Final;
        let date = c.date("date", &self.date, fin);
        c.text("goal", &self.goal, LONG, fin);
        c.text("social_goals", &self.social_goals, LONG, false);
        c.text("vocational_goals", &self.vocational_goals, LONG, false);
        c.text("supervisor", &self.supervisor, SHORT, fin);
        let s = &self.social;
        for (f, v) in [
            ("social/resources", &s.resources),
            ("social/deficits", &s.deficits),
            ("social/barriers_internal", &s.barriers_internal),
            ("social/barriers_external", &s.barriers_external),
            ("social/overcome", &s.overcome),
            ("social/supporters", &s.supporters),
        ] {
            c.text(f, v, LONG, false);
        }
        let v = &self.vocational;
        for (f, val, max) in [
            ("vocational/position", &v.position, SHORT),
            ("vocational/contract_form", &v.contract_form, SHORT),
            ("vocational/resources", &v.resources, LONG),
            ("vocational/barriers_internal", &v.barriers_internal, LONG),
            ("vocational/barriers_external", &v.barriers_external, LONG),
            ("vocational/overcome", &v.overcome, LONG),
            ("vocational/supporters", &v.supporters, LONG),
        ] {
            c.text(f, val, max, false);
        }
        let tables = s.tables().into_iter().map(|(t, r)| (format!("social/{t}"), r)).chain(v.tables().into_iter().map(|(t, r)| (format!("vocational/{t}"), r)));
        for (table, rows) in tables {
            c.rows(&table, rows);
            for t in rows {
                let at = |f: &str| format!("{table}/{}/{f}", t.id);
                c.text(&at("task"), &t.task, SHORT, fin);
                c.text(&at("description"), &t.description, LONG, false);
                c.text(&at("remarks"), &t.remarks, LONG, false);
                c.choice(&at("owner"), &t.owner, &OWNERS, fin);
                owner_in_partnership(c, &at("owner"), &t.owner, ctx);
                let from = c.date(&at("from"), &t.from, false);
                let to = c.date(&at("to"), &t.to, fin);
                c.not_before_document(&at("from"), from, date);
                c.not_before_document(&at("to"), to, date);
                c.range(&at("to"), from, to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{validate, Partner};
    use crate::docs::DocType;
    use crate::lang::Lang;
    use proptest::prelude::*;
    use serde_json::json;
    use time::macros::date;
    use uuid::Uuid;

    fn partners(types: &[OrgType]) -> Vec<Partner> {
        types.iter().map(|t| Partner { organisation_id: Uuid::now_v7(), name: t.as_str().into(), org_type: *t }).collect()
    }

    fn codes_with(doc: serde_json::Value, types: &[OrgType]) -> Vec<(String, String)> {
        let p = partners(types);
        let ctx = DocContext { today: date!(2026 - 11 - 23), partners: &p, custom_services: &[] };
        match validate(DocType::Ipd, &doc, Lang::Pl, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    fn codes(doc: serde_json::Value) -> Vec<(String, String)> {
        codes_with(doc, &[OrgType::Ops, OrgType::Pup, OrgType::Ngo])
    }

    fn task(id: &str, from: &str, to: &str, owner: &str) -> serde_json::Value {
        json!({"id": id, "task": "Kurs", "owner": owner, "from": from, "to": to})
    }

    #[test]
    fn a_task_ends_on_or_after_it_starts_and_not_before_the_plan() {
        let ok = json!({"date": "2026-11-01", "social": {"tasks_ops": [task("a", "2026-11-02", "2026-11-02", "ops")]}});
        assert!(codes(ok).is_empty());
        let back = json!({"date": "2026-11-01", "social": {"tasks_ops": [task("a", "2026-11-10", "2026-11-09", "ops")]}});
        assert_eq!(codes(back), [("/social/tasks_ops/a/to".into(), "range".into())]);
        let early = json!({"date": "2026-11-01", "vocational": {"tasks_self": [task("b", "2026-10-01", "2026-12-01", "client")]}});
        assert_eq!(codes(early), [("/vocational/tasks_self/b/from".into(), "before_document".into())]);
    }

    #[test]
    fn a_task_for_pup_needs_a_partnership_with_a_pup() {
        let doc = json!({"vocational": {"tasks_pup": [task("p", "", "", "pup")]}});
        assert!(codes(doc.clone()).is_empty());
        assert_eq!(codes_with(doc, &[OrgType::Ops, OrgType::Ngo]), [("/vocational/tasks_pup/p/owner".into(), "no_such_partner".into())]);
        let other = json!({"vocational": {"tasks_pup": [task("p", "", "", "other")]}});
        assert!(codes_with(other, &[OrgType::Owes]).is_empty());
    }

    #[test]
    fn rows_need_unique_ids() {
        let dup = json!({"social": {"tasks_self": [task("x", "", "", "client"), task("x", "", "", "client")]}});
        assert_eq!(codes(dup), [("/social/tasks_self".into(), "row_id".into())]);
    }

    #[test]
    fn a_final_plan_needs_its_date_goal_supervisor_and_task_deadlines() {
        let e = codes(json!({"status": "final", "social": {"tasks_ngo": [{"id": "n"}]}}));
        for p in ["/date", "/goal", "/supervisor", "/social/tasks_ngo/n/task", "/social/tasks_ngo/n/to", "/social/tasks_ngo/n/owner"] {
            assert!(e.iter().any(|(ptr, _)| ptr == p), "{p} missing from {e:?}");
        }
    }

    proptest! {
        #[test]
        fn a_task_is_refused_exactly_when_it_ends_before_it_starts(a in 0i64..800, b in 0i64..800) {
            let day = |n: i64| (date!(2025 - 01 - 01) + time::Duration::days(n)).to_string();
            let doc = json!({"date": "2025-01-01", "social": {"tasks_self": [task("t", &day(a), &day(b), "client")]}});
            prop_assert_eq!(codes(doc).is_empty(), b >= a);
        }

        #[test]
        fn every_table_gets_the_same_rules(idx in 0usize..9) {
            let (area, table) = if idx < 4 { ("social", SOCIAL_TABLES[idx].0) } else { ("vocational", VOCATIONAL_TABLES[idx - 4].0) };
            let doc = json!({"date": "2026-11-01", area: {table: [task("r", "2026-11-05", "2026-11-04", "client")]}});
            let want = format!("/{area}/{table}/r/to");
            prop_assert_eq!(codes(doc), vec![(want, "range".to_string())]);
        }
    }
}
