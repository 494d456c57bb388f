//! The information clause (GDPR art. 13) each organisation of a partnership gives a
//! client when it collects their data: who the controller is, on which legal basis and
//! for what, who receives the data, how long they are kept (the organisation's file-plan
//! category and the project's archive date, as disposal follows them), the person's
//! rights and where to complain. Printed in Polish, as the official forms are, one per
//! organisation, with the day it was given and a line for the person's signature.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::retention::Category;
use crate::validation::format_iso_date;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A controller: one organisation of the client's partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Controller {
    pub name: String,
    pub seat: String,
    pub krs: String,
    pub regon: String,
    pub retention_category: String,
}

/// What the clause of a client says, from the record and the partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClauseFacts {
    pub client_id: Uuid,
    pub client_name: String,
    pub partnership: String,
    pub organisations: Vec<Controller>,
    /// The project's archive date (ISO), empty when none is recorded.
    pub archive_until: String,
    /// `statute`, `agreement` or `consent` (empty: not recorded yet).
    pub legal_basis: String,
    pub consent_scope: String,
    pub information_date: String,
    pub information_by: String,
}

/// One section of a clause: its heading and its text.
pub type Section = (&'static str, String);

fn purposes(f: &ClauseFacts) -> String {
    let basis = match f.legal_basis.as_str() {
        "statute" => "art. 6 ust. 1 lit. c i e oraz art. 9 ust. 2 lit. b, g i h RODO w związku z ustawą z dnia 12 marca 2004 r. o pomocy społecznej \
             oraz ustawą z dnia 20 marca 2025 r. o rynku pracy i służbach zatrudnienia"
            .to_string(),
        "agreement" => format!(
            "art. 6 ust. 1 lit. c i e oraz art. 9 ust. 2 lit. g RODO w związku z umową o dofinansowanie projektu realizowanego przez partnerstwo „{}” \
             i przepisami o realizacji programów finansowanych z funduszy Unii Europejskiej",
            f.partnership
        ),
        "consent" => format!("art. 6 ust. 1 lit. a i art. 9 ust. 2 lit. a RODO — Pani/Pana zgoda w zakresie: {}", f.consent_scope),
        _ => "przepisy wskazane w dokumentacji sprawy".to_string(),
    };
    format!(
        "Dane są przetwarzane w celu udzielenia wsparcia w partnerstwie „{}” (rekrutacja, diagnoza, indywidualny plan działania, kontrakt socjalny, \
         usługi, monitorowanie i sprawozdawczość) na podstawie: {basis}.",
        f.partnership
    )
}

fn retention(f: &ClauseFacts, org: &Controller) -> String {
    let category = match Category::parse(&org.retention_category) {
        Some(Category::Archival) => "jako materiały archiwalne (kategoria A) — wieczyście, a następnie w archiwum państwowym".to_string(),
        Some(c @ Category::Years { years, .. }) => {
            format!("przez {years} lat od 1 stycznia roku następującego po zakończeniu sprawy (kategoria archiwalna {})", c.code())
        }
        None => "przez okres wynikający z jednolitego rzeczowego wykazu akt administratora".to_string(),
    };
    let project = if f.archive_until.is_empty() {
        String::new()
    } else {
        format!(", nie krócej jednak niż do {} (archiwizacja dokumentów projektu)", format_iso_date(&f.archive_until))
    };
    format!("Dane będą przechowywane {category}{project}. Po tym czasie dane identyfikujące zostaną usunięte, a w sprawozdaniach pozostaną wyłącznie dane statystyczne.")
}

fn rights(f: &ClauseFacts) -> String {
    let mut out = String::from(
        "Ma Pani/Pan prawo dostępu do swoich danych i otrzymania ich kopii (art. 15 RODO), ich sprostowania (art. 16), ograniczenia przetwarzania (art. 18), \
         a w przypadkach przewidzianych prawem — usunięcia (art. 17)",
    );
    match f.legal_basis.as_str() {
        "consent" => out.push_str(
            " oraz przenoszenia danych (art. 20). Zgodę można wycofać w dowolnym momencie, bez wpływu na zgodność z prawem przetwarzania, którego dokonano przed jej wycofaniem.",
        ),
        _ => out.push_str(" oraz sprzeciwu wobec przetwarzania z przyczyn związanych z Pani/Pana szczególną sytuacją (art. 21)."),
    }
    out
}

fn obligation(f: &ClauseFacts) -> &'static str {
    match f.legal_basis.as_str() {
        "statute" => "Podanie danych jest wymogiem ustawowym: bez nich nie jest możliwe udzielenie wsparcia.",
        "agreement" => "Podanie danych jest warunkiem udziału w projekcie: bez nich nie jest możliwe objęcie wsparciem.",
        _ => "Podanie danych jest dobrowolne, lecz bez nich nie jest możliwe objęcie wsparciem.",
    }
}

/// The clause `org` gives, section by section.
pub fn sections(f: &ClauseFacts, org: &Controller) -> Vec<Section> {
    let mut controller = org.name.clone();
    if !org.seat.is_empty() {
        controller.push_str(&format!(", {}", org.seat));
    }
    for (label, number) in [("KRS", &org.krs), ("REGON", &org.regon)] {
        if !number.is_empty() {
            controller.push_str(&format!(", {label} {number}"));
        }
    }
    let others: Vec<&str> = f.organisations.iter().filter(|o| o.name != org.name).map(|o| o.name.as_str()).collect();
    let partners = if others.is_empty() { String::new() } else { format!("pozostali członkowie partnerstwa ({}), ", others.join(", ")) };
    vec![
        ("Administrator danych", format!("Administratorem Pani/Pana danych osobowych jest {controller}.")),
        (
            "Inspektor ochrony danych",
            "Z inspektorem ochrony danych administratora można się kontaktować we wszystkich sprawach dotyczących danych osobowych: \
             ................................................................"
                .to_string(),
        ),
        ("Cele i podstawa prawna", purposes(f)),
        (
            "Odbiorcy danych",
            format!(
                "Odbiorcami danych mogą być {partners}instytucje uprawnione do kontroli i monitorowania wsparcia oraz projektu (w tym regionalny ośrodek \
                 polityki społecznej i instytucja zarządzająca programem) oraz podmioty przetwarzające dane na zlecenie administratora (dostawca i operator systemu)."
            ),
        ),
        ("Okres przechowywania", retention(f, org)),
        ("Pani/Pana prawa", rights(f)),
        ("Skarga", "Ma Pani/Pan prawo wnieść skargę do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa).".to_string()),
        ("Obowiązek podania danych", obligation(f).to_string()),
        ("Zautomatyzowane decyzje", "Dane nie służą do zautomatyzowanego podejmowania decyzji, w tym profilowania.".to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(basis: &str) -> ClauseFacts {
        ClauseFacts {
            client_id: Uuid::nil(),
            client_name: "Nowak Anna".into(),
            partnership: "Partnerstwo Kielce".into(),
            organisations: vec![
                Controller { name: "MOPR Kielce".into(), seat: "Kielce".into(), krs: String::new(), regon: "123456785".into(), retention_category: "B10".into() },
                Controller { name: "PUP Kielce".into(), seat: "Kielce".into(), krs: String::new(), regon: String::new(), retention_category: String::new() },
            ],
            archive_until: "2034-12-31".into(),
            legal_basis: basis.into(),
            consent_scope: "Udział w klubie pracy".into(),
            information_date: "2026-11-02".into(),
            information_by: "Anna Kowalska".into(),
        }
    }

    fn text(s: &[Section]) -> String {
        s.iter().map(|(h, t)| format!("{h}: {t}")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn each_organisation_is_its_own_controller_with_its_own_retention() {
        let f = facts("statute");
        let mops = text(&sections(&f, &f.organisations[0]));
        assert!(mops.contains("Administratorem Pani/Pana danych osobowych jest MOPR Kielce, Kielce, REGON 123456785."));
        assert!(mops.contains("przez 10 lat od 1 stycznia roku następującego po zakończeniu sprawy (kategoria archiwalna B10), nie krócej jednak niż do 31.12.2034"));
        assert!(mops.contains("pozostali członkowie partnerstwa (PUP Kielce)"));
        assert!(mops.contains("ustawą z dnia 12 marca 2004 r. o pomocy społecznej") && mops.contains("wymogiem ustawowym") && mops.contains("art. 21"));
        let pup = text(&sections(&f, &f.organisations[1]));
        assert!(pup.contains("jednolitego rzeczowego wykazu akt administratora"));
    }

    #[test]
    fn consent_names_its_scope_and_the_right_to_withdraw_it() {
        let f = facts("consent");
        let t = text(&sections(&f, &f.organisations[0]));
        assert!(t.contains("art. 6 ust. 1 lit. a i art. 9 ust. 2 lit. a RODO — Pani/Pana zgoda w zakresie: Udział w klubie pracy"));
        assert!(t.contains("Zgodę można wycofać") && t.contains("art. 20") && t.contains("dobrowolne"));
        let a = facts("agreement");
        let t = text(&sections(&a, &a.organisations[0]));
        assert!(t.contains("umową o dofinansowanie projektu realizowanego przez partnerstwo „Partnerstwo Kielce”") && t.contains("warunkiem udziału w projekcie"));
    }
}
