//! A monthly report's narrative as a device keeps it: written offline, sent when the
//! network allows, merged field by field on the server by the rule of [`crate::draft`].
//! What is the report's own: it is named by partnership and month, and its closing
//! step is being marked final.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{MonthlyReport, Narrative, ReportSave, ReportSaved};
use crate::draft::{Draft, Whole};
use crate::merge::Path;

/// A report's draft on a device.
pub type ReportDraft = Draft<MonthlyReport>;

/// What names a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportKey {
    pub partnership_id: Uuid,
    pub month: String,
}

impl Whole for MonthlyReport {
    type Key = ReportKey;
    type Content = Narrative;
    type Save = ReportSave;
    type Saved = ReportSaved;

    fn key(&self) -> ReportKey {
        ReportKey { partnership_id: self.partnership_id, month: self.month.clone() }
    }

    fn content(&self) -> &Narrative {
        &self.narrative
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn save_path(key: &ReportKey) -> String {
        format!("/api/v1/partnerships/{}/reports/{}", key.partnership_id, key.month)
    }

    fn save(base: Narrative, narrative: Narrative, finalise: bool) -> ReportSave {
        ReportSave { base, narrative, finalise }
    }

    fn sent(save: &ReportSave) -> (&Narrative, bool) {
        (&save.narrative, save.finalise)
    }

    /// The report names its conflicts as JSON pointers (`/risks`).
    fn answer(saved: ReportSaved) -> (MonthlyReport, Vec<Path>) {
        let paths = saved.conflicts.iter().map(|p| vec![p.trim_start_matches('/').to_string()]).collect();
        (saved.report, paths)
    }
}

impl ReportKey {
    pub fn new(partnership_id: Uuid, month: &str) -> ReportKey {
        ReportKey { partnership_id, month: month.to_string() }
    }
}

/// The narrative field a conflict is about (`risks`, `author`, …).
pub fn field(path: &[String]) -> &str {
    path.first().map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::DocStatus;
    use crate::merge;
    use crate::report::Tables;
    use proptest::prelude::*;
    use serde_json::Value;

    fn report(n: Narrative) -> MonthlyReport {
        MonthlyReport {
            partnership_id: Uuid::nil(),
            partnership: "P".into(),
            month: "2026-10".into(),
            version: 1,
            status: DocStatus::Draft,
            narrative: n,
            tables: Tables::default(),
            finalised_at: String::new(),
            finalised_by: String::new(),
            changed_since: Vec::new(),
            custom_services: Vec::new(),
        }
    }

    #[test]
    fn a_conflict_keeps_both_texts_and_nothing_is_sent_until_the_person_chooses() {
        let mut d = ReportDraft::new(ReportKey::new(Uuid::nil(), "2026-10"), Some(report(Narrative::default())));
        d.edit(Narrative { risks: "Zima".into(), realised: "Spotkanie".into(), ..Default::default() });
        assert!(d.ready());
        let sent = d.request();
        let server = Narrative { risks: "Mało ofert".into(), realised: "Spotkanie".into(), ..Default::default() };
        d.saved(&sent, ReportSaved { report: report(server), conflicts: vec!["/risks".into()] });
        assert_eq!(d.local.risks, "Zima");
        assert_eq!(d.conflicts, [crate::draft::Conflict { path: vec!["risks".into()], theirs: "Mało ofert".into() }]);
        assert!(!d.ready());
        d.resolve(&["risks".to_string()], false);
        assert_eq!(d.local.risks, "Mało ofert");
        assert!(!d.waiting(), "taking theirs leaves nothing to send");
    }

    /// A device that kept a report draft before there was one draft type still reads
    /// it whole, its waiting conflict included.
    #[test]
    fn a_draft_kept_by_an_older_version_is_read_whole() {
        let kept = serde_json::json!({
            "partnership_id": Uuid::nil(), "month": "2026-10",
            "base": Narrative::default(), "local": Narrative { risks: "Zima".into(), ..Default::default() },
            "finalise": false, "server": null,
            "conflicts": [{"field": "risks", "theirs": "Mało ofert"}], "errors": []
        });
        let d: ReportDraft = serde_json::from_value(kept).expect("an older draft reads");
        assert_eq!(d.key, ReportKey::new(Uuid::nil(), "2026-10"));
        assert_eq!(d.local.risks, "Zima");
        assert_eq!(d.conflicts, [crate::draft::Conflict { path: vec!["risks".into()], theirs: "Mało ofert".into() }]);
        let again: ReportDraft = serde_json::from_value(serde_json::to_value(&d).expect("writes")).expect("reads back");
        assert_eq!(again, d);
    }

    #[test]
    fn edits_made_while_a_save_travelled_are_kept() {
        let mut d = ReportDraft::new(ReportKey::new(Uuid::nil(), "2026-10"), None);
        d.edit(Narrative { planned: "A".into(), ..Default::default() });
        let sent = d.request();
        d.edit(Narrative { planned: "A".into(), next_month: "B".into(), ..Default::default() });
        let server = Narrative { planned: "A".into(), author: "Ewa".into(), ..Default::default() };
        d.saved(&sent, ReportSaved { report: report(server), conflicts: vec![] });
        assert_eq!((d.local.planned.as_str(), d.local.next_month.as_str(), d.local.author.as_str()), ("A", "B", "Ewa"));
        assert!(d.ready());
        assert_eq!(d.request().narrative.next_month, "B");
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), Just("a".to_string()), Just("b".to_string()), Just("c".to_string())]
    }

    proptest! {
        /// Whatever the server holds, a text the person typed is never lost: it is
        /// either what the draft keeps, or it was already on the server.
        #[test]
        fn a_typed_text_is_never_lost(base in text(), mine in text(), theirs in text(), during in proptest::option::of(text())) {
            let b = Narrative { risks: base.clone(), ..Default::default() };
            let mut d = ReportDraft::new(ReportKey::new(Uuid::nil(), "2026-10"), Some(report(b.clone())));
            d.edit(Narrative { risks: mine.clone(), ..Default::default() });
            let sent = d.request();
            if let Some(t) = &during {
                d.edit(Narrative { risks: t.clone(), ..Default::default() });
            }
            // What the server does: the same three-way merge.
            let j = |n: &Narrative| serde_json::to_value(n).unwrap_or(Value::Null);
            let m = merge::merge(&j(&b), &j(&sent.narrative), &j(&Narrative { risks: theirs.clone(), ..Default::default() }));
            let merged: Narrative = serde_json::from_value(m.doc).unwrap_or_default();
            let conflicts = m.conflicts.iter().map(|c| merge::pointer(&c.path)).collect();
            d.saved(&sent, ReportSaved { report: report(merged.clone()), conflicts });
            let latest = during.unwrap_or(mine);
            // Only what the person typed counts: an untouched field follows the server.
            prop_assume!(latest != base);
            prop_assert!(d.local.risks == latest || merged.risks == latest, "lost {latest:?}: local {:?}, server {:?}", d.local.risks, merged.risks);
            if d.local.risks != merged.risks {
                prop_assert!(d.waiting());
            }
        }
    }
}
