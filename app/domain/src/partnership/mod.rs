//! The partnership's own documents (tools 1, 2, 3 and 9): the agreement, the
//! coordination-team decision, the action plan with its Gantt schedule and the
//! internal evaluation questionnaire. Each is written like a case document — on a
//! device first, merged field by field on the server — and checked by one validation
//! the browser and the server share.

pub mod agreement;
pub mod draft;
pub mod evaluation;
pub mod labels;
pub mod plan;
pub mod team;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::docs::{run, Partner};
use crate::lang::Lang;
use crate::validation::FieldError;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Agreement,
    Team,
    Plan,
    Evaluation,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Agreement, Kind::Team, Kind::Plan, Kind::Evaluation];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agreement => "agreement",
            Kind::Team => "team",
            Kind::Plan => "plan",
            Kind::Evaluation => "evaluation",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// One agreement, decision and plan per partnership; questionnaires one per
    /// evaluated period, keyed by its last month.
    pub fn keyed(self) -> bool {
        self == Kind::Evaluation
    }
}

/// The empty document of a kind, as a new one starts; the plan with the service
/// process's usual steps.
pub fn empty(kind: Kind, partners: &[Partner]) -> Value {
    let v = match kind {
        Kind::Agreement => serde_json::to_value(agreement::Agreement {
            parties: partners.iter().map(|p| agreement::Party { id: p.organisation_id.to_string(), name: p.name.clone(), ..Default::default() }).collect(),
            ..Default::default()
        }),
        Kind::Team => serde_json::to_value(team::TeamDecision::default()),
        Kind::Plan => serde_json::to_value(plan::ActionPlan {
            process: plan::STEPS.iter().map(|s| plan::Step { id: (*s).to_string(), step: (*s).to_string(), ..Default::default() }).collect(),
            ..Default::default()
        }),
        Kind::Evaluation => serde_json::to_value(evaluation::Evaluation::default()),
    };
    v.unwrap_or(Value::Null)
}

/// Reads, checks and normalises a partnership document.
pub fn validate(kind: Kind, doc: &Value, lang: Lang, partners: &[Partner]) -> Result<Value, Vec<FieldError>> {
    match kind {
        Kind::Agreement => run(doc, lang, |d: &agreement::Agreement, c| d.check(c, false)),
        Kind::Team => run(doc, lang, |d: &team::TeamDecision, c| d.check(c, partners, false)),
        Kind::Plan => run(doc, lang, |d: &plan::ActionPlan, c| d.check(c)),
        Kind::Evaluation => run(doc, lang, |d: &evaluation::Evaluation, c| d.check(c, partners)),
    }
}

/// The document read as its kind's type and written back, without its rules:
/// unknown fields dropped, missing ones empty; `None` when it does not parse.
pub fn normalise(kind: Kind, doc: &Value) -> Option<Value> {
    fn round<T: serde::de::DeserializeOwned + Serialize>(doc: &Value) -> Option<Value> {
        serde_json::to_value(serde_json::from_value::<T>(doc.clone()).ok()?).ok()
    }
    match kind {
        Kind::Agreement => round::<agreement::Agreement>(doc),
        Kind::Team => round::<team::TeamDecision>(doc),
        Kind::Plan => round::<plan::ActionPlan>(doc),
        Kind::Evaluation => round::<evaluation::Evaluation>(doc),
    }
}

/// The partnership's documents at a glance, and when the next evaluation is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Overview {
    pub docs: Vec<OverviewRow>,
    /// In the first year after the agreement came into force: the month by which the
    /// next questionnaire is due.
    pub evaluation_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OverviewRow {
    pub kind: Kind,
    pub key: String,
    pub version: i64,
    pub updated_at: String,
}

/// A stored partnership document as the server sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipDoc {
    pub partnership_id: Uuid,
    pub kind: Kind,
    /// Empty, or the evaluated period's last month for a questionnaire.
    pub key: String,
    /// 0 while nothing has been saved.
    pub version: i64,
    pub data: Value,
    pub updated_by: String,
    pub updated_at: String,
    /// The agreement's signatures, notices and amendments; empty for the others.
    #[serde(default)]
    pub agreement: Option<AgreementStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AgreementStatus {
    pub state: agreement::AgreementState,
    pub signatures: Vec<agreement::Signature>,
    pub withdrawals: Vec<agreement::Withdrawal>,
    pub amendments: Vec<agreement::Amendment>,
    /// The partners the agreement binds now: the signed text's parties that have not
    /// withdrawn, then those that joined by an accession in effect.
    #[serde(default)]
    pub bound: Vec<agreement::Party>,
}

/// A save: the document as the device started from it and as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocSave {
    pub base: Value,
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocSaved {
    pub doc: PartnershipDoc,
    /// Fields someone else changed to something different (merge paths); the server
    /// kept theirs.
    pub conflicts: Vec<crate::merge::Path>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Sign {
    pub organisation_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    pub organisation_id: Uuid,
    /// The day of the written notice (ISO).
    pub notice: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Propose {
    pub text: String,
}

/// A coordinator proposes that a member organisation join the agreement in force: what
/// it undertakes and who represents it (its name, seat and numbers come from the
/// register of organisations).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Accede {
    pub organisation_id: Uuid,
    pub representative: String,
    pub function: String,
    pub obligations: String,
    /// ISO dates of its tasks; the end may be empty when the agreement is indefinite.
    pub tasks_from: String,
    #[serde(default)]
    pub tasks_to: String,
}

impl Accede {
    /// The party it describes, `registered` giving the organisation's name, seat and
    /// numbers. Refused, field by field, for an organisation outside the partnership,
    /// one the agreement binds already or whose accession waits for consents, and for
    /// a description a signed text would not take.
    pub fn party(
        &self,
        lang: Lang,
        registered: &agreement::Party,
        partners: &[Partner],
        settled: (&agreement::Agreement, &[agreement::Party], &[agreement::Amendment]),
    ) -> Result<agreement::Party, Vec<FieldError>> {
        let (a, bound, amendments) = settled;
        let party = agreement::Party {
            id: self.organisation_id.to_string(),
            representative: self.representative.trim().to_string(),
            function: self.function.trim().to_string(),
            obligations: self.obligations.trim().to_string(),
            tasks_from: self.tasks_from.trim().to_string(),
            tasks_to: self.tasks_to.trim().to_string(),
            ..registered.clone()
        };
        let mut c = crate::docs::Check::new(lang);
        let pick = |pl: &str, en: &str| (pl.to_string(), en.to_string());
        let org = Some(self.organisation_id);
        let refusal = if !partners.iter().any(|p| p.organisation_id == self.organisation_id) {
            Some(("member", pick("Do umowy przystępuje organizacja partnerstwa: najpierw dodaj ją do partnerstwa.", "Only an organisation of the partnership joins: add it to the partnership first.")))
        } else if bound.iter().any(|b| b.organisation() == org) {
            Some(("party", pick("Ta organizacja jest już stroną umowy.", "This organisation is a party already.")))
        } else if amendments.iter().any(|m| !m.in_effect && m.joining.as_ref().is_some_and(|j| j.organisation() == org)) {
            Some(("pending", pick("Aneks o przystąpieniu tej organizacji czeka już na zgody.", "An accession of this organisation already waits for consents.")))
        } else {
            None
        };
        if let Some((code, (pl, en))) = refusal {
            c.add("organisation_id", code, pl, en);
        }
        party.check(&mut c, "", true, a.indefinite);
        c.errors.into_result(|| party.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentTo {
    pub organisation_id: Uuid,
    pub via: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgType;

    #[test]
    fn an_empty_document_of_every_kind_is_a_valid_draft_and_the_agreement_names_the_partners() {
        let partners = vec![Partner { organisation_id: Uuid::from_u128(7), name: "MOPS Kielce".into(), org_type: OrgType::Ops }];
        for k in Kind::ALL {
            assert!(validate(k, &empty(k, &partners), Lang::Pl, &partners).is_ok(), "{k:?}");
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(empty(Kind::Agreement, &partners)["parties"][0]["name"], "MOPS Kielce");
        assert_eq!(empty(Kind::Plan, &partners)["process"].as_array().map(Vec::len), Some(6));
        assert_eq!(validate(Kind::Plan, &serde_json::json!([1]), Lang::En, &partners).unwrap_err()[0].code, "malformed");
    }
}
