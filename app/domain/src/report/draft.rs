//! A monthly report's narrative as a device keeps it: written offline, sent when the
//! network allows, merged field by field on the server. A section someone else
//! changed meanwhile is never overwritten silently: the device keeps the person's
//! text, shows the other next to it, and sends nothing for that report until the
//! person chooses.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{MonthlyReport, Narrative, ReportSave, ReportSaved};
use crate::{draft, merge};
use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportConflict {
    /// The narrative field (`risks`, `author`, …).
    pub field: String,
    pub theirs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub partnership_id: Uuid,
    pub month: String,
    /// The narrative as the server last sent it: what the edits started from.
    pub base: Narrative,
    /// What the person sees and edits.
    pub local: Narrative,
    /// The person asked to mark the report final; sent with the next save.
    #[serde(default)]
    pub finalise: bool,
    /// The last whole report the server sent, to read and write offline.
    #[serde(default)]
    pub server: Option<MonthlyReport>,
    #[serde(default)]
    pub conflicts: Vec<ReportConflict>,
    /// The server's refusal, shown next to the fields until the person fixes them.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

impl ReportDraft {
    pub fn new(partnership_id: Uuid, month: String, server: Option<MonthlyReport>) -> ReportDraft {
        let base = server.as_ref().map(|r| r.narrative.clone()).unwrap_or_default();
        ReportDraft { partnership_id, month, local: base.clone(), base, finalise: false, server, conflicts: Vec::new(), errors: Vec::new() }
    }

    pub fn is(&self, partnership: Uuid, month: &str) -> bool {
        self.partnership_id == partnership && self.month == month
    }

    /// Changes wait on the device.
    pub fn waiting(&self) -> bool {
        self.local != self.base || self.finalise
    }

    /// Ready to send: waiting, and nothing for the person to decide or fix first.
    pub fn ready(&self) -> bool {
        self.waiting() && self.conflicts.is_empty() && self.errors.is_empty()
    }

    pub fn request(&self) -> ReportSave {
        ReportSave { base: self.base.clone(), narrative: self.local.clone(), finalise: self.finalise }
    }

    /// The person typed: their text is kept, and a refusal is re-checked on the next save.
    pub fn edit(&mut self, local: Narrative) {
        self.local = local;
        self.errors.clear();
    }

    /// The server's copy, fetched while nothing waits: it becomes the draft.
    pub fn refresh(&mut self, server: MonthlyReport) {
        if !self.waiting() && self.conflicts.is_empty() {
            self.base = server.narrative.clone();
            self.local = server.narrative.clone();
        }
        self.server = Some(server);
    }

    /// Takes in the server's answer to `sent`. Edits made while it travelled are
    /// kept; fields the server reports as conflicts keep the person's text and wait
    /// for a choice.
    pub fn saved(&mut self, sent: &ReportSave, answer: ReportSaved) {
        let theirs = answer.report.narrative.clone();
        let json = |n: &Narrative| serde_json::to_value(n).unwrap_or(Value::Null);
        let server_conflicts = answer.conflicts.iter().map(|p| vec![p.trim_start_matches('/').to_string()]).collect();
        let taken = draft::take_in(&json(&sent.narrative), &json(&self.local), &json(&theirs), server_conflicts);
        let local: Narrative = serde_json::from_value(taken.local).unwrap_or_else(|_| self.local.clone());
        for (path, other) in taken.conflicts {
            let key = merge::pointer(&path).trim_start_matches('/').to_string();
            self.conflicts.retain(|c| c.field != key);
            self.conflicts.push(ReportConflict { theirs: other.as_str().unwrap_or_default().to_string(), field: key });
        }
        self.base = theirs;
        self.local = local;
        if sent.finalise {
            self.finalise = false;
        }
        self.errors.clear();
        self.server = Some(answer.report);
    }

    /// The person chose between their text and the other one.
    pub fn resolve(&mut self, field_name: &str, keep_mine: bool) {
        if let Some(i) = self.conflicts.iter().position(|c| c.field == field_name) {
            let c = self.conflicts.remove(i);
            if !keep_mine {
                self.local.set(&c.field, c.theirs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::DocStatus;
    use crate::report::Tables;
    use proptest::prelude::*;

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
        let mut d = ReportDraft::new(Uuid::nil(), "2026-10".into(), Some(report(Narrative::default())));
        d.edit(Narrative { risks: "Zima".into(), realised: "Spotkanie".into(), ..Default::default() });
        assert!(d.ready());
        let sent = d.request();
        let server = Narrative { risks: "Mało ofert".into(), realised: "Spotkanie".into(), ..Default::default() };
        d.saved(&sent, ReportSaved { report: report(server), conflicts: vec!["/risks".into()] });
        assert_eq!(d.local.risks, "Zima");
        assert_eq!(d.conflicts, [ReportConflict { field: "risks".into(), theirs: "Mało ofert".into() }]);
        assert!(!d.ready());
        d.resolve("risks", false);
        assert_eq!(d.local.risks, "Mało ofert");
        assert!(!d.waiting(), "taking theirs leaves nothing to send");
    }

    #[test]
    fn edits_made_while_a_save_travelled_are_kept() {
        let mut d = ReportDraft::new(Uuid::nil(), "2026-10".into(), None);
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
            let mut d = ReportDraft::new(Uuid::nil(), "2026-10".into(), Some(report(b.clone())));
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
