//! The partnership agreement (tool 1, "Umowa Współpracy Partnerskiej") and the rules
//! paper cannot enforce: it is in force only when every party has signed; a partner
//! withdraws by written notice no later than 30 days before its tasks start or no
//! earlier than 30 days after they end, and the agreement goes on among the others;
//! a change takes effect only when every current partner has consented (e-mail counts
//! as written form).
//!
//! The text is a document like any other (drafted offline, merged field by field);
//! signatures, notices and consents are events the server records with who and when.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use uuid::Uuid;

use crate::docs::{Check, Row, LONG, SHORT};
use crate::ident::{Krs, Regon};
use crate::lang::Lang;
use crate::validation::{format_date, format_iso_date, parse_iso_date};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Days between a withdrawal notice and the partner's tasks (§ 6 of the form).
pub const NOTICE_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default)]
pub struct Party {
    /// The row id: the member organisation's id, so two devices describing the same
    /// partner write into one row.
    pub id: String,
    pub name: String,
    pub seat: String,
    pub krs: String,
    pub regon: String,
    pub representative: String,
    pub function: String,
    /// § 4: what this partner undertakes.
    pub obligations: String,
    /// When this partner's tasks start and end: the withdrawal limits count from them.
    pub tasks_from: String,
    pub tasks_to: String,
}

impl Row for Party {
    fn row_id(&self) -> &str {
        &self.id
    }
}

impl Party {
    pub fn organisation(&self) -> Option<Uuid> {
        Uuid::parse_str(&self.id).ok()
    }

    /// A party's rules, its fields named under `prefix` (`parties/{id}/` in the
    /// agreement's text, nothing in an accession's form).
    pub fn check(&self, c: &mut Check, prefix: &str, complete: bool, indefinite: bool) {
        let at = |f: &str| format!("{prefix}{f}");
        if self.organisation().is_none() {
            c.add(&at("name"), "organisation", "Strona umowy musi być organizacją partnerstwa.".into(), "A party must be one of the partnership's organisations.".into());
        }
        for (f, v, max) in [("name", &self.name, SHORT), ("seat", &self.seat, SHORT), ("representative", &self.representative, SHORT), ("function", &self.function, SHORT), ("obligations", &self.obligations, LONG)] {
            c.text(&at(f), v, max, complete);
        }
        if !self.krs.trim().is_empty() {
            if let Err(e) = Krs::parse(&self.krs) {
                c.errors.id(&at("krs"), &e);
            }
        }
        if !self.regon.trim().is_empty() {
            if let Err(e) = Regon::parse(&self.regon) {
                c.errors.id(&at("regon"), &e);
            }
        }
        if complete && self.krs.trim().is_empty() && self.regon.trim().is_empty() {
            c.add(&at("regon"), "required", "Podaj KRS albo REGON.".into(), "Give the KRS or the REGON.".into());
        }
        let tf = c.date(&at("tasks_from"), &self.tasks_from, complete);
        let tt = c.date(&at("tasks_to"), &self.tasks_to, complete && !indefinite);
        c.range(&at("tasks_to"), tf, tt);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Agreement {
    pub date: String,
    pub place: String,
    /// § 1: the service the partners deliver together.
    pub service: String,
    /// § 2: its description (annex 1).
    pub description: String,
    pub period_from: String,
    pub period_to: String,
    /// § 3: concluded for an indefinite period.
    pub indefinite: bool,
    /// § 5: what the coordinating body is called, and delegates per partner (1 or 2).
    pub team_name: String,
    pub delegates: u8,
    pub parties: Vec<Party>,
}

impl Default for Agreement {
    fn default() -> Self {
        Agreement {
            date: String::new(),
            place: String::new(),
            service: String::new(),
            description: String::new(),
            period_from: String::new(),
            period_to: String::new(),
            indefinite: false,
            team_name: "Zespół Koordynacyjny".into(),
            delegates: 1,
            parties: Vec::new(),
        }
    }
}

impl Agreement {
    /// The structural rules hold for every draft; `complete` adds what a text needs
    /// before anyone signs it.
    pub fn check(&self, c: &mut Check, complete: bool) {
        let date = c.date("date", &self.date, complete);
        c.text("place", &self.place, SHORT, complete);
        c.text("service", &self.service, SHORT, complete);
        c.text("description", &self.description, LONG, false);
        let from = c.date("period_from", &self.period_from, complete);
        let to = c.date("period_to", &self.period_to, complete && !self.indefinite);
        if self.indefinite && !self.period_to.is_empty() {
            c.add("period_to", "indefinite", "Umowa na czas nieokreślony nie ma daty końca.".into(), "An agreement for an indefinite period has no end date.".into());
        }
        c.range("period_to", from, to);
        c.not_before_document("period_from", from, date);
        c.text("team_name", &self.team_name, SHORT, complete);
        if !(1..=2).contains(&self.delegates) {
            c.add("delegates", "delegates", "Każdy partner deleguje jednego albo dwóch przedstawicieli.".into(), "Each partner delegates one or two people.".into());
        }
        c.rows("parties", &self.parties);
        if complete && self.parties.len() < 2 {
            c.add("parties", "too_few", "Partnerstwo tworzą co najmniej dwie strony.".into(), "A partnership needs at least two parties.".into());
        }
        for p in &self.parties {
            p.check(c, &format!("parties/{}/", p.id), complete, self.indefinite);
        }
    }

    pub fn party(&self, organisation: Uuid) -> Option<&Party> {
        self.parties.iter().find(|p| p.organisation() == Some(organisation))
    }
}

/// A party's signature, recorded by a person of that organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Signature {
    pub organisation_id: Uuid,
    pub by: String,
    pub at: String,
}

/// A partner's written notice of withdrawal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Withdrawal {
    pub organisation_id: Uuid,
    pub notice: String,
    pub by: String,
    pub at: String,
}

/// A proposed change and the partners who consented to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Amendment {
    pub id: Uuid,
    pub text: String,
    pub proposed_by: String,
    pub proposed_at: String,
    pub consents: Vec<Consent>,
    /// Set once every current partner (and, for an accession, the one joining) has
    /// consented.
    pub in_effect: bool,
    /// An accession: the organisation that joins the agreement by this amendment, as
    /// it is described in it.
    #[serde(default)]
    pub joining: Option<Party>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Consent {
    pub organisation_id: Uuid,
    /// `signature` or `email` (§ 5.5: e-mail counts as written form).
    pub via: String,
    pub by: String,
    pub at: String,
}

pub const CONSENT_VIA: [&str; 2] = ["signature", "email"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgreementState {
    /// Nobody has signed; the text may still change.
    Draft,
    /// Some parties signed; the text is fixed and waits for the others.
    Signing,
    /// Every party signed; in force among the partners who have not withdrawn.
    InForce,
    /// Fewer than two partners remain.
    Ended,
}

/// The parties of the signed text that have not withdrawn.
pub fn current_parties<'a>(a: &'a Agreement, withdrawals: &[Withdrawal]) -> Vec<&'a Party> {
    a.parties.iter().filter(|p| !withdrawn(p, withdrawals)).collect()
}

fn withdrawn(p: &Party, withdrawals: &[Withdrawal]) -> bool {
    withdrawals.iter().any(|w| Some(w.organisation_id) == p.organisation())
}

/// The agreement's state, `bound` being how many partners it binds now (see [`settle`]).
pub fn state(a: &Agreement, signatures: &[Signature], bound: usize) -> AgreementState {
    let signed = |p: &Party| signatures.iter().any(|s| Some(s.organisation_id) == p.organisation());
    if signatures.is_empty() {
        AgreementState::Draft
    } else if !a.parties.iter().all(signed) {
        AgreementState::Signing
    } else if bound < 2 {
        AgreementState::Ended
    } else {
        AgreementState::InForce
    }
}

/// Whether every current partner has consented to a change.
pub fn in_effect(consents: &[Consent], current: &[&Party]) -> bool {
    !current.is_empty() && current.iter().all(|p| consents.iter().any(|c| Some(c.organisation_id) == p.organisation()))
}

/// Who the agreement binds now, and which changes are in effect. The parties of the
/// signed text come first; then, in the order proposed, a change takes effect once
/// every partner bound at that point — and, for an accession, the one joining, whose
/// consent is its signature — has consented, and an accession in effect binds the one
/// joining from then on (a later change needs its consent too). A partner that
/// withdrew is bound no more.
pub fn settle(a: &Agreement, withdrawals: &[Withdrawal], amendments: &mut [Amendment]) -> Vec<Party> {
    let mut bound: Vec<Party> = current_parties(a, withdrawals).into_iter().cloned().collect();
    for am in amendments.iter_mut() {
        let mut needed: Vec<&Party> = bound.iter().collect();
        needed.extend(am.joining.iter());
        am.in_effect = in_effect(&am.consents, &needed);
        if let Some(j) = am.joining.as_ref().filter(|j| am.in_effect && !withdrawn(j, withdrawals)) {
            if !bound.iter().any(|b| b.id == j.id) {
                bound.push(j.clone());
            }
        }
    }
    bound
}

/// The amendment's text for an accession, as the partners read and print it.
pub fn accession_text(p: &Party) -> String {
    let ids = [("KRS", &p.krs), ("REGON", &p.regon)].iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
    let until = if p.tasks_to.trim().is_empty() { String::new() } else { format!(" do dnia {}", format_iso_date(&p.tasks_to)) };
    format!(
        "Do Umowy przystępuje {} z siedzibą w {}, {}, reprezentowana przez: {} ({}), zwana dalej Partnerem. W ramach współpracy na rzecz realizacji Usługi Partner zobowiązuje się do: {} — od dnia {}{}. Postanowienia Umowy stosuje się do Partnera od dnia, w którym zgodę na aneks wyrazili wszyscy Partnerzy.",
        p.name, p.seat, ids, p.representative, p.function, p.obligations, format_iso_date(&p.tasks_from), until
    )
}

/// § 6.1: a notice given on `notice` is allowed no later than 30 days before the
/// partner's tasks start, or no earlier than 30 days after they end. A refusal says
/// both limits with their dates.
pub fn check_withdrawal(party: &Party, notice: Date, lang: Lang) -> Result<(), String> {
    let from = parse_iso_date(&party.tasks_from);
    let to = parse_iso_date(&party.tasks_to);
    let latest = from.and_then(|f| f.checked_sub(Duration::days(NOTICE_DAYS)));
    let earliest = to.and_then(|t| t.checked_add(Duration::days(NOTICE_DAYS)));
    if latest.is_some_and(|l| notice <= l) || earliest.is_some_and(|e| notice >= e) {
        return Ok(());
    }
    let fmt = |d: Option<Date>| d.map(format_date).unwrap_or_else(|| "—".into());
    Err(match lang {
        Lang::Pl => format!(
            "Wypowiedzenie z dnia {} jest spóźnione: partner może wystąpić z umowy najpóźniej 30 dni przed rozpoczęciem swoich zadań (do {}) albo najwcześniej 30 dni po ich zakończeniu (od {}).",
            format_date(notice), fmt(latest), fmt(earliest)
        ),
        Lang::En => format!(
            "A notice given on {} is not allowed: a partner may withdraw no later than 30 days before its tasks start (until {}) or no earlier than 30 days after they end (from {}).",
            format_date(notice), fmt(latest), fmt(earliest)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn party(id: Uuid) -> Party {
        Party { id: id.to_string(), name: "MOPS".into(), tasks_from: "2026-03-01".into(), tasks_to: "2026-12-31".into(), ..Default::default() }
    }

    #[test]
    fn withdrawal_is_allowed_exactly_up_to_30_days_before_and_from_30_days_after() {
        let p = party(Uuid::nil());
        assert!(check_withdrawal(&p, date!(2026 - 01 - 30), Lang::Pl).is_ok(), "30 days before the start");
        let late = check_withdrawal(&p, date!(2026 - 01 - 31), Lang::Pl).unwrap_err();
        assert!(late.contains("30.01.2026") && late.contains("30.01.2027"), "{late}");
        assert!(check_withdrawal(&p, date!(2026 - 06 - 01), Lang::En).is_err(), "while the tasks go on");
        assert!(check_withdrawal(&p, date!(2027 - 01 - 29), Lang::Pl).is_err(), "29 days after the end");
        assert!(check_withdrawal(&p, date!(2027 - 01 - 30), Lang::Pl).is_ok(), "30 days after the end");
    }

    #[test]
    fn in_force_only_when_every_party_signed_and_it_goes_on_among_the_rest() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let agreement = Agreement { parties: vec![party(a), party(b), party(c)], ..Default::default() };
        let sig = |o| Signature { organisation_id: o, by: "x".into(), at: "t".into() };
        let bound = |ws: &[Withdrawal]| current_parties(&agreement, ws).len();
        assert_eq!(state(&agreement, &[], bound(&[])), AgreementState::Draft);
        assert_eq!(state(&agreement, &[sig(a), sig(b)], bound(&[])), AgreementState::Signing);
        assert_eq!(state(&agreement, &[sig(a), sig(b), sig(c)], bound(&[])), AgreementState::InForce);
        let w = |o| Withdrawal { organisation_id: o, notice: "2026-01-01".into(), by: "x".into(), at: "t".into() };
        assert_eq!(state(&agreement, &[sig(a), sig(b), sig(c)], bound(&[w(c)])), AgreementState::InForce);
        assert_eq!(current_parties(&agreement, &[w(c)]).len(), 2);
        assert_eq!(state(&agreement, &[sig(a), sig(b), sig(c)], bound(&[w(c), w(b)])), AgreementState::Ended);
    }

    #[test]
    fn a_change_takes_effect_when_every_current_partner_consented() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let agreement = Agreement { parties: vec![party(a), party(b), party(c)], ..Default::default() };
        let consent = |o| Consent { organisation_id: o, via: "email".into(), by: "x".into(), at: "t".into() };
        let all = current_parties(&agreement, &[]);
        assert!(!in_effect(&[consent(a), consent(b)], &all));
        assert!(in_effect(&[consent(a), consent(b), consent(c)], &all));
        // After C withdrew, A and B are enough.
        let w = Withdrawal { organisation_id: c, notice: "2026-01-01".into(), by: "x".into(), at: "t".into() };
        assert!(in_effect(&[consent(a), consent(b)], &current_parties(&agreement, &[w])));
    }

    #[test]
    fn an_accession_binds_the_one_joining_once_every_partner_and_it_consented() {
        let (a, b, d) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(4));
        let agreement = Agreement { parties: vec![party(a), party(b)], ..Default::default() };
        let consent = |o| Consent { organisation_id: o, via: "signature".into(), by: "x".into(), at: "t".into() };
        let change = |consents: Vec<Consent>, joining: Option<Party>| Amendment {
            id: Uuid::now_v7(), text: String::new(), proposed_by: String::new(), proposed_at: String::new(), consents, in_effect: false, joining,
        };
        // The partners agreed, the one joining has not signed yet: not in effect, not bound.
        let mut ams = vec![change(vec![consent(a), consent(b)], Some(party(d)))];
        assert_eq!(settle(&agreement, &[], &mut ams).len(), 2);
        assert!(!ams[0].in_effect);
        // Its signature completes it; a change proposed after then needs it too.
        let mut ams = vec![change(vec![consent(a), consent(b), consent(d)], Some(party(d))), change(vec![consent(a), consent(b)], None)];
        let bound = settle(&agreement, &[], &mut ams);
        assert_eq!(bound.iter().filter_map(Party::organisation).collect::<Vec<_>>(), vec![a, b, d]);
        assert!(ams[0].in_effect && !ams[1].in_effect);
        ams[1].consents.push(consent(d));
        settle(&agreement, &[], &mut ams);
        assert!(ams[1].in_effect);
        // A partner that joined and later withdrew is bound no more.
        let w = Withdrawal { organisation_id: d, notice: "2026-01-01".into(), by: "x".into(), at: "t".into() };
        assert_eq!(settle(&agreement, &[w], &mut ams).len(), 2);
        let text = accession_text(&Party { regon: "123456785".into(), tasks_to: String::new(), ..party(d) });
        assert!(text.contains("REGON: 123456785") && text.contains("od dnia 01.03.2026.") && !text.contains("KRS"), "{text}");
    }

    #[test]
    fn a_text_to_sign_needs_every_party_with_valid_identifiers() {
        let a = Uuid::from_u128(1);
        let mut p = party(a);
        p.krs = "123".into();
        let agreement = Agreement { parties: vec![p], date: "2026-01-10".into(), period_from: "2026-01-01".into(), ..Default::default() };
        let mut c = Check::new(Lang::En);
        agreement.check(&mut c, true);
        let e = c.errors.into_result(|| ()).unwrap_err();
        let pointers: Vec<&str> = e.iter().map(|e| e.pointer.as_str()).collect();
        for want in ["/place", "/service", "/period_to", "/period_from", "/parties", "/parties/00000000-0000-0000-0000-000000000001/krs",
            "/parties/00000000-0000-0000-0000-000000000001/seat"] {
            assert!(pointers.contains(&want), "{want} missing in {pointers:?}");
        }
        let mut draft = Check::new(Lang::En);
        Agreement::default().check(&mut draft, false);
        assert!(draft.errors.into_result(|| ()).is_ok(), "an empty draft is a valid draft");
    }

    proptest! {
        #[test]
        fn a_notice_is_allowed_exactly_outside_the_protected_window(offset in -400i64..800) {
            let p = party(Uuid::nil());
            let notice = date!(2026 - 03 - 01) + Duration::days(offset);
            let allowed = notice <= date!(2026 - 01 - 30) || notice >= date!(2027 - 01 - 30);
            prop_assert_eq!(check_withdrawal(&p, notice, Lang::Pl).is_ok(), allowed);
        }

        /// Whatever dates were stored (a wrong clock, 9999-12-31, the edges of the
        /// calendar), a withdrawal is answered, never a panic.
        #[test]
        fn any_stored_dates_and_any_notice_give_an_answer(from in -4_000_000i32..6_000_000, to in -4_000_000i32..6_000_000,
            notice in -4_000_000i32..6_000_000) {
            let day = |n: i32| time::Date::from_julian_day(n).unwrap_or(time::Date::MIN);
            let mut p = party(Uuid::nil());
            p.tasks_from = day(from).to_string();
            p.tasks_to = day(to).to_string();
            // An answer either way; a refusal names its limits.
            if let Err(why) = check_withdrawal(&p, day(notice), Lang::En) {
                prop_assert!(why.contains("30 days"), "{}", why);
            }
        }
    }

    #[test]
    fn a_partner_whose_tasks_end_on_9999_12_31_can_still_withdraw_before_they_start() {
        let mut p = party(Uuid::nil());
        p.tasks_to = "9999-12-31".into();
        // The impossible end is no date: only the start limits the notice, and a
        // refusal says so instead of failing.
        assert!(check_withdrawal(&p, date!(2026 - 01 - 30), Lang::Pl).is_ok());
        let refused = check_withdrawal(&p, date!(2026 - 06 - 01), Lang::Pl).unwrap_err();
        assert!(refused.contains("30.01.2026") && refused.contains("—"), "{refused}");
        p.tasks_from = "9999-01-01".into();
        assert!(check_withdrawal(&p, date!(2026 - 06 - 01), Lang::Pl).is_err());
    }
}
