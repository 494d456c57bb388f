//! Services delivered to a client: each row a date, a service from the catalogue
//! of support forms (extendable per partnership), its scope, the partner who
//! delivered it, whether it is finished, and remarks.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseDocument, Check, DocContext, Row, LONG, SHORT};

/// The support forms of the standards' annex; names are `service.<code>` in i18n.
pub const CATALOGUE: [&str; 33] = [
    "recruitment_meeting",
    "diagnosis_interview",
    "social_work",
    "benefits",
    "school_meals",
    "vocational_counselling",
    "job_placement",
    "job_placement_abroad",
    "job_club",
    "vocational_training",
    "training_scholarship",
    "internship",
    "socially_useful_work",
    "public_works",
    "intervention_works",
    "supported_employment",
    "psychological_counselling",
    "legal_counselling",
    "pedagogical_counselling",
    "social_counselling",
    "social_competence_training",
    "budget_training",
    "support_group",
    "volunteering",
    "kis_programme",
    "cis_referral",
    "health_education",
    "medical_examination",
    "rehabilitation",
    "childcare",
    "integration_event",
    "documents_help",
    "addiction_therapy",
];

/// A partnership's own services are `custom:<code>`.
pub const CUSTOM_PREFIX: &str = "custom:";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    pub id: String,
    pub date: String,
    pub service: String,
    pub scope: String,
    /// The partner organisation that delivered it.
    pub partner: String,
    pub finished: bool,
    pub remarks: String,
}

impl Row for Service {
    fn row_id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Services {
    pub client_id: String,
    pub rows: Vec<Service>,
}

/// Whether a service code is known: the catalogue or the partnership's own.
pub fn known(code: &str, ctx: &DocContext) -> bool {
    CATALOGUE.contains(&code)
        || code.strip_prefix(CUSTOM_PREFIX).is_some_and(|c| ctx.custom_services.iter().any(|s| s.code == c))
}

impl CaseDocument for Services {
    const SENSITIVE: bool = true;
    const HAS_STATUS: bool = false;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        c.rows("rows", &self.rows);
        for s in &self.rows {
            let at = |f: &str| format!("rows/{}/{f}", s.id);
            let d = c.date(&at("date"), &s.date, true);
            c.not_future(&at("date"), d, ctx.today);
            if s.service.is_empty() {
                c.errors.required(&at("service"));
            } else if !known(&s.service, ctx) {
                c.add(
                    &at("service"),
                    "unknown_service",
                    format!("Usługi „{}” nie ma w katalogu tego partnerstwa.", s.service),
                    format!("The service \"{}\" is not in this partnership's catalogue.", s.service),
                );
            }
            c.text(&at("scope"), &s.scope, SHORT, false);
            c.text(&at("remarks"), &s.remarks, LONG, false);
            let partner_ok = s.partner.is_empty()
                || Uuid::parse_str(&s.partner).is_ok_and(|id| ctx.partners.iter().any(|p| p.organisation_id == id));
            if !partner_ok {
                c.add(
                    &at("partner"),
                    "no_such_partner",
                    "Wybierz partnera z tego partnerstwa.".into(),
                    "Choose a partner of this partnership.".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{validate, CustomService, Partner};
    use crate::org::OrgType;
    use crate::docs::DocType;
    use crate::lang::Lang;
    use proptest::prelude::*;
    use serde_json::json;
    use time::macros::date;

    fn codes(doc: serde_json::Value, partner: Uuid) -> Vec<(String, String)> {
        let partners = [Partner { organisation_id: partner, name: "MOPS".into(), org_type: OrgType::Ops }];
        let custom = [CustomService { code: "rower".into(), name: "Wypożyczalnia rowerów".into() }];
        let ctx = DocContext { today: date!(2026 - 11 - 23), partners: &partners, custom_services: &custom };
        match validate(DocType::Services, &doc, Lang::Pl, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    #[test]
    fn a_service_comes_from_the_catalogue_or_the_partnerships_own_list() {
        let p = Uuid::now_v7();
        let row = |service: &str| json!({"rows": [{"id": "s", "date": "2026-11-20", "service": service, "partner": p.to_string()}]});
        assert!(codes(row("internship"), p).is_empty());
        assert!(codes(row("custom:rower"), p).is_empty());
        assert_eq!(codes(row("custom:basen"), p), [("/rows/s/service".into(), "unknown_service".into())]);
        assert_eq!(codes(row(""), p), [("/rows/s/service".into(), "required".into())]);
    }

    #[test]
    fn a_service_was_delivered_by_a_partner_on_a_day_that_has_come() {
        let p = Uuid::now_v7();
        let other = Uuid::now_v7().to_string();
        let doc = json!({"rows": [{"id": "s", "date": "2026-11-24", "service": "job_club", "partner": other}]});
        assert_eq!(codes(doc, p), [("/rows/s/date".into(), "future".into()), ("/rows/s/partner".into(), "no_such_partner".into())]);
    }

    proptest! {
        #[test]
        fn only_known_codes_pass(code in "[a-z_:]{1,30}") {
            let p = Uuid::now_v7();
            let doc = json!({"rows": [{"id": "s", "date": "2026-11-01", "service": code.clone()}]});
            prop_assert_eq!(codes(doc, p).is_empty(), CATALOGUE.contains(&code.as_str()) || code == "custom:rower");
        }
    }
}
