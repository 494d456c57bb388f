//! The decision appointing the coordination team (tool 2): one member per partner with
//! their function, the chair chosen among them, the team's tasks and the period the
//! decision is valid for.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::docs::{Check, Partner, Row, LONG, SHORT};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Member {
    pub id: String,
    /// The partner organisation that delegates this person.
    pub organisation_id: String,
    pub name: String,
    pub function: String,
}

impl Row for Member {
    fn row_id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamDecision {
    /// "Zarządzenie Nr …".
    pub number: String,
    pub members: Vec<Member>,
    /// The member row chairing the team.
    pub chair: String,
    pub tasks: String,
    pub valid_from: String,
    pub valid_to: String,
}

impl Default for TeamDecision {
    fn default() -> Self {
        TeamDecision {
            number: String::new(),
            members: Vec::new(),
            chair: String::new(),
            // § 4 of the form, which partners may change.
            tasks: "Koordynowanie i monitorowanie realizacji Usługi zgodnie z Umową oraz utrzymywanie stałego i bieżącego kontaktu z Partnerami; rekomendowanie Partnerom decyzji niezbędnych dla prawidłowej realizacji Usługi.".into(),
            valid_from: String::new(),
            valid_to: String::new(),
        }
    }
}

impl TeamDecision {
    pub fn check(&self, c: &mut Check, partners: &[Partner], complete: bool) {
        c.text("number", &self.number, SHORT, false);
        c.text("tasks", &self.tasks, LONG, complete);
        let from = c.date("valid_from", &self.valid_from, complete);
        let to = c.date("valid_to", &self.valid_to, complete);
        c.range("valid_to", from, to);
        c.rows("members", &self.members);
        let mut seen: Vec<&str> = Vec::new();
        for m in &self.members {
            let at = |f: &str| format!("members/{}/{f}", m.id);
            let known = Uuid::parse_str(&m.organisation_id).is_ok_and(|o| partners.iter().any(|p| p.organisation_id == o));
            if m.organisation_id.is_empty() {
                c.errors.required(&at("organisation_id"));
            } else if !known {
                c.add(&at("organisation_id"), "unknown_partner", "To nie jest partner tego partnerstwa.".into(), "Not a partner of this partnership.".into());
            } else if seen.contains(&m.organisation_id.as_str()) {
                c.add(&at("organisation_id"), "one_per_partner", "Każdy partner deleguje do zespołu jedną osobę.".into(), "Each partner delegates one person to the team.".into());
            }
            seen.push(&m.organisation_id);
            c.text(&at("name"), &m.name, SHORT, true);
            c.text(&at("function"), &m.function, SHORT, complete);
        }
        if !self.chair.is_empty() && !self.members.iter().any(|m| m.id == self.chair) {
            c.add("chair", "chair", "Przewodniczący musi być członkiem zespołu.".into(), "The chair must be a member of the team.".into());
        } else if complete && self.chair.is_empty() {
            c.errors.required("chair");
        }
        if complete {
            for p in partners {
                if !self.members.iter().any(|m| m.organisation_id == p.organisation_id.to_string()) {
                    c.add("members", "missing_partner", format!("Brak przedstawiciela: {}.", p.name), format!("No member from {}.", p.name));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgType;
    use crate::lang::Lang;

    fn partners() -> Vec<Partner> {
        vec![
            Partner { organisation_id: Uuid::from_u128(1), name: "MOPS".into(), org_type: OrgType::Ops },
            Partner { organisation_id: Uuid::from_u128(2), name: "PUP".into(), org_type: OrgType::Pup },
        ]
    }

    fn codes(d: &TeamDecision, complete: bool) -> Vec<(String, String)> {
        let mut c = Check::new(Lang::En);
        d.check(&mut c, &partners(), complete);
        c.errors.into_result(|| ()).err().unwrap_or_default().into_iter().map(|e| (e.pointer, e.code)).collect()
    }

    #[test]
    fn one_member_per_partner_and_the_chair_among_them() {
        let m = |id: &str, org: u128| Member { id: id.into(), organisation_id: Uuid::from_u128(org).to_string(), name: "Jan".into(), function: "Dyrektor".into() };
        let ok = TeamDecision { members: vec![m("a", 1), m("b", 2)], chair: "a".into(), valid_from: "2026-01-02".into(), valid_to: "2026-06-30".into(), ..Default::default() };
        assert!(codes(&ok, true).is_empty());
        let twice = TeamDecision { members: vec![m("a", 1), m("b", 1)], chair: "z".into(), ..ok.clone() };
        assert_eq!(codes(&twice, false), [("/members/b/organisation_id".into(), "one_per_partner".into()), ("/chair".into(), "chair".into())]);
        let short = TeamDecision { members: vec![m("a", 1)], valid_to: "2025-12-31".into(), ..ok };
        assert_eq!(codes(&short, true), [("/valid_to".into(), "range".into()), ("/members".into(), "missing_partner".into())]);
    }
}
