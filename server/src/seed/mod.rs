//! Organisations, partnerships and users: the helpers the `create-user` command, the
//! demo data and the tests share, and the fictional demo data itself.

use domain::client::{ClientInput, ClientKind, WorkForm};
use domain::ident::{Pesel, Sex};
use domain::org::{OrgType, PartnershipKind, Role};
use time::macros::date;
use uuid::Uuid;

mod casework;
mod paperwork;

use crate::auth::password;
use crate::error::AppError;
use crate::{now, Db};

/// Demo and benchmark data sign in with a password alone, so that anyone can try
/// them; a real installation requires two-factor sign-in unless its administrator
/// switches it off.
pub async fn second_factor_optional(db: &Db) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    crate::store::second_factor::set_settings(&mut conn, None, &domain::installation::Settings { two_factor_required: false }).await
}

pub async fn organisation(db: &Db, name: &str, org_type: OrgType, seat: &str) -> Result<Uuid, AppError> {
    registered_organisation(db, name, org_type, seat, "", "").await
}

/// An organisation with its registry numbers, each validated (and normalised) by the
/// domain's identifiers; empty means "has none".
pub async fn registered_organisation(
    db: &Db,
    name: &str,
    org_type: OrgType,
    seat: &str,
    krs: &str,
    regon: &str,
) -> Result<Uuid, AppError> {
    let lang = domain::Lang::En;
    let input = domain::installation::OrganisationInput {
        name: name.into(),
        org_type,
        seat: seat.into(),
        krs: krs.into(),
        regon: regon.into(),
        nip: String::new(),
        retention_category: String::new(),
    }
    .validate(lang)
    .map_err(AppError::fields(lang))?;
    let mut conn = db.pool.acquire().await?;
    crate::store::installation::insert_organisation(&mut conn, &input).await
}

pub async fn partnership(db: &Db, name: &str, kind: PartnershipKind, members: &[Uuid]) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO partnerships (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(name)
        .bind(kind.as_str())
        .bind(now())
        .execute(&db.pool)
        .await?;
    for m in members {
        sqlx::query("INSERT INTO partnership_members (partnership_id, organisation_id) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(m.to_string())
            .execute(&db.pool)
            .await?;
    }
    Ok(id)
}

pub async fn user(db: &Db, email: &str, display_name: &str, organisation: Uuid, password_plain: &str) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let hash = password::hash(password_plain.to_string()).await?;
    sqlx::query("INSERT INTO users (id, email, display_name, organisation_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.to_string())
        .bind(email.trim().to_lowercase())
        .bind(display_name)
        .bind(organisation.to_string())
        .bind(hash)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(id)
}

pub async fn grant(db: &Db, user: Uuid, partnership: Uuid, role: Role) -> Result<(), AppError> {
    sqlx::query("INSERT INTO user_roles (user_id, partnership_id, role) VALUES ($1, $2, $3)")
        .bind(user.to_string())
        .bind(partnership.to_string())
        .bind(role.as_str())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Stores a validated client directly, as the demo data and tests need many.
pub async fn client(db: &Db, input: &ClientInput, created_by: Uuid) -> Result<Uuid, AppError> {
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1").bind(created_by.to_string()).fetch_one(&db.pool).await?;
    let valid = input
        .clone()
        .with_informer(&name)
        .validate(domain::Lang::En, crate::today())
        .map_err(|e| AppError::Internal(format!("invalid seed client: {e:?}")))?;
    let id = Uuid::new_v4();
    let mut conn = db.pool.acquire().await?;
    crate::store::client::insert(&mut conn, id, &valid, None, created_by, now(), Default::default()).await?;
    Ok(id)
}

pub const DEMO_PASSWORD: &str = "demo-sciezka-2026";

/// (e-mail, name, organisation index, role, partnership index)
/// The demo installation's administrator (e-mail, name).
pub const DEMO_ADMIN: (&str, &str) = ("admin@mops.demo", "Krzysztof Nowicki");

pub const DEMO_USERS: &[(&str, &str, usize, Role, usize)] = &[
    ("koordynator@mops.demo", "Barbara Wiśniewska", 0, Role::Coordinator, 0),
    ("anna.nowak@mops.demo", "Anna Nowak", 0, Role::SocialWorker, 0),
    ("piotr.lis@pup.demo", "Piotr Lis", 1, Role::JobCounsellor, 0),
    ("ewa.zajac@razem.demo", "Ewa Zając", 2, Role::KeyConsultant, 0),
    ("koordynator@owes.demo", "Tomasz Król", 3, Role::Coordinator, 1),
    ("marek.sowa@owes.demo", "Marek Sowa", 3, Role::ReintegrationSpecialist, 1),
];

const SURNAMES_F: &[&str] = &["Łukasik", "Śliwa", "Żak", "Kowalska", "Zielińska", "Lis", "Ćwik", "Mazur", "Szewczyk", "Sowa", "Wójcik", "Kamińska", "Lewandowska", "Dąbrowska", "Ostrowska", "Jaworska", "Żurek", "Łuczak"];
const SURNAMES_M: &[&str] = &["Łukasik", "Śliwa", "Żak", "Kowalski", "Zieliński", "Lis", "Ćwik", "Mazur", "Szewczyk", "Sowa", "Wójcik", "Kamiński", "Lewandowski", "Dąbrowski", "Ostrowski", "Jaworski", "Żurek", "Łuczak"];
const NAMES_F: &[&str] = &["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Magdalena", "Ewelina", "Zofia", "Halina", "Danuta"];
const NAMES_M: &[&str] = &["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Łukasz", "Stanisław", "Zbigniew", "Jerzy"];
const TOWNS: &[(&str, &str)] = &[("Kielce", "25-001"), ("Chęciny", "26-060"), ("Daleszyce", "26-021"), ("Bodzentyn", "26-010"), ("Nowiny", "26-052"), ("Suchedniów", "26-130")];

/// Target groups of the guide's annex, as the street of a fictional person hints nothing:
/// each demo client's birth year and sex follow the group.
const GROUPS: &[(&str, i32, Sex)] = &[
    ("samotna matka", 1992, Sex::Female),
    ("osoba z niepełnosprawnością", 1978, Sex::Male),
    ("długotrwale bezrobotny 50+", 1968, Sex::Male),
    ("osoba do 25 r.ż.", 2003, Sex::Female),
    ("osoba bezdomna", 1975, Sex::Male),
    ("osoba wychodząca z uzależnienia", 1985, Sex::Male),
    ("mieszkanka obszaru wiejskiego", 1989, Sex::Female),
];

fn demo_person(i: usize, partnership: Uuid, consultant: Uuid) -> ClientInput {
    let (_, year, sex) = GROUPS[i % GROUPS.len()];
    let day = 1 + (i * 7 % 28) as u8;
    let month = time::Month::try_from(1 + (i * 5 % 12) as u8).unwrap_or(time::Month::January);
    let birth = time::Date::from_calendar_date(year + (i as i32 % 5), month, day).unwrap_or(date!(1980 - 01 - 01));
    let pesel = Pesel::generate(birth, (i * 37 % 1000) as u16, sex).map(|p| p.to_string()).unwrap_or_default();
    let (surname, first) = match sex {
        Sex::Female => (SURNAMES_F[i % SURNAMES_F.len()], NAMES_F[i * 3 % NAMES_F.len()]),
        Sex::Male => (SURNAMES_M[i % SURNAMES_M.len()], NAMES_M[i * 3 % NAMES_M.len()]),
    };
    let (town, postal) = TOWNS[i % TOWNS.len()];
    ClientInput {
        kind: ClientKind::Person,
        work_form: if i.is_multiple_of(9) { WorkForm::ESupport } else { WorkForm::Individual },
        key_consultant_id: Some(consultant),
        surname: surname.into(),
        first_names: first.into(),
        pesel,
        street_address: format!("ul. Przykładowa {}", i + 1),
        postal_code: postal.into(),
        city: town.into(),
        phone: format!("600 100 {:03}", i),
        // The demo shows each legal basis: the statute (most), the project's
        // agreement, and consent.
        legal_basis: ["statute", "statute", "agreement", "consent"][i % 4].into(),
        information_date: "2026-10-01".into(),
        information_by: "Barbara Wiśniewska".into(),
        consent_date: if i % 4 == 3 { "2026-10-01".into() } else { String::new() },
        consent_scope: if i % 4 == 3 { domain::client::DEFAULT_CONSENT_SCOPE.into() } else { String::new() },
        ..ClientInput::empty(partnership)
    }
}

/// Loads the fictional demo partnership and OWES once, with three months of case work;
/// a second run changes nothing.
pub async fn demo(db: &Db) -> Result<bool, AppError> {
    demo_with(db, true).await
}

/// The demo, with or without its case work (documents, notes, services, effects).
pub async fn demo_with(db: &Db, with_casework: bool) -> Result<bool, AppError> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1").bind(DEMO_USERS[0].0).fetch_one(&db.pool).await?;
    if existing > 0 {
        return Ok(false);
    }
    let orgs = [
        organisation(db, "Miejski Ośrodek Pomocy Rodzinie w Kielcach (demo)", OrgType::Ops, "Kielce").await?,
        organisation(db, "Powiatowy Urząd Pracy w Kielcach (demo)", OrgType::Pup, "Kielce").await?,
        organisation(db, "Stowarzyszenie „Razem” (demo)", OrgType::Ngo, "Kielce").await?,
        organisation(db, "Świętokrzyski OWES (demo)", OrgType::Owes, "Kielce").await?,
    ];
    let partnerships = [
        partnership(db, "Partnerstwo Lokalne Kielce (demo)", PartnershipKind::Local, &orgs[..3]).await?,
        partnership(db, "Świętokrzyski OWES (demo)", PartnershipKind::Owes, &orgs[3..]).await?,
    ];
    // Retention as the demo's file plans and project agreement set it (issue 20).
    for (org, category) in orgs.iter().zip(["B10", "BE10", "B5", "B10"]) {
        sqlx::query("UPDATE organisations SET retention_category = $1 WHERE id = $2").bind(category).bind(org.to_string()).execute(&db.pool).await?;
    }
    sqlx::query("UPDATE partnerships SET archive_until = '2034-12-31' WHERE id = $1").bind(partnerships[0].to_string()).execute(&db.pool).await?;
    // The installation's administrator, of the OPS's IT: organisations and
    // partnerships on /admin, and no client.
    let admin_hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let mut conn = db.pool.acquire().await?;
    let admin = crate::store::installation::insert_admin(&mut conn, DEMO_ADMIN.0, DEMO_ADMIN.1, orgs[0], &admin_hash).await?;
    // An installation whose administrator came first (`create-admin`) keeps its record.
    let _ = crate::store::installation::mark_set_up(&mut conn, admin).await;
    drop(conn);
    second_factor_optional(db).await?;
    let mut users = Vec::new();
    for (email, name, org, role, p) in DEMO_USERS {
        let id = user(db, email, name, orgs[*org], DEMO_PASSWORD).await?;
        grant(db, id, partnerships[*p], *role).await?;
        users.push(id);
    }
    // Caseloads: 12, 10 and 14 in the local partnership, so that one consultant is one
    // client from the limit of 15.
    let mut i = 0;
    let mut casework = Vec::new();
    for (consultant, count) in [(users[1], 12), (users[2], 10), (users[3], 14)] {
        for _ in 0..count {
            casework.push((client(db, &demo_person(i, partnerships[0], consultant), users[0]).await?, consultant, false));
            i += 1;
        }
    }
    // And one client of each whose support ended last month with a job: the report's
    // section XI and the employment indicator have someone to show; the caseloads
    // above stay as they are.
    if with_casework {
        for consultant in [users[1], users[2], users[3]] {
            casework.push((client(db, &demo_person(i, partnerships[0], consultant), users[0]).await?, consultant, true));
            i += 1;
        }
        casework::seed(db, &casework).await?;
        // Signed for the OPS by its coordinator, for the PUP and the NGO by their staff.
        let parties = [(orgs[0], users[0]), (orgs[1], users[2]), (orgs[2], users[3])].map(|(organisation, signer)| paperwork::Party { organisation, signer });
        paperwork::seed(db, partnerships[0], users[0], &parties).await?;
        // Everyone holds a written authorisation; Ewa Zając's ends in 20 days, so the
        // dashboard has one to remind of.
        let mut conn = db.pool.acquire().await?;
        for (k, id) in users.iter().enumerate() {
            let expires = if k == 3 { (crate::today() + time::Duration::days(20)).to_string() } else { String::new() };
            let a = domain::people::Authorisation { number: format!("{}/2026", k + 1), issued: "2026-01-02".into(), expires };
            crate::store::people::set_authorisation(&mut conn, *id, &a).await?;
        }
    }
    for k in 0..2 {
        client(db, &demo_person(i + k, partnerships[1], users[5]), users[4]).await?;
    }
    let entity = |kind, name: &str, krs: &str, regon: &str, contact: &str| ClientInput {
        kind,
        work_form: WorkForm::Group,
        key_consultant_id: Some(users[5]),
        name: name.into(),
        entity_type: match kind {
            ClientKind::Group => "grupa inicjatywna".into(),
            _ => "stowarzyszenie".into(),
        },
        krs: krs.into(),
        regon: regon.into(),
        contact_person: contact.into(),
        city: "Kielce".into(),
        postal_code: "25-001".into(),
        ..ClientInput::empty(partnerships[1])
    };
    client(db, &entity(ClientKind::Group, "Grupa inicjatywna spółdzielni socjalnej „Zielony Ogród”", "", "", "Halina Żurek"), users[4]).await?;
    client(db, &entity(ClientKind::Organisation, "Stowarzyszenie „Nowy Start” (demo)", "0000123456", "123456785", "Jerzy Łuczak"), users[4]).await?;
    // Two past months of the client survey, so results and their comparison show.
    let this_month = domain::calendar::Month::of(crate::today());
    for (period, people) in [(this_month.previous().previous(), 6), (this_month.previous(), 9)] {
        let answers: Vec<_> = (0..people).map(demo_survey_answer).collect();
        crate::store::survey::rounds::seed_round(db, partnerships[0], users[0], period, &answers).await?;
    }
    Ok(true)
}

/// A varied, fictional survey answer.
fn demo_survey_answer(i: usize) -> domain::survey::SurveyAnswer {
    let mut a = domain::survey::SurveyAnswer::default();
    let pick = |list: &[&'static str], k: usize| list[k % list.len()];
    let worked = !i.is_multiple_of(4);
    a.toggle("q1", if worked { "yes" } else { "no" });
    if worked {
        a.toggle("q2", pick(&["upto2", "2to5", "6to10", "over10"], i));
    }
    a.toggle("q3", "yes");
    a.toggle("q4", pick(&["qualifications", "experience", "age", "education"], i));
    a.toggle("q5", "trainings");
    a.toggle("q5", pick(&["counselling", "placement", "childcare", "internships"], i));
    a.toggle("q6", pick(&["ops", "pup", "friends", "ngo"], i));
    a.toggle("q7", pick(&["adequate", "adequate", "narrow"], i));
    if i % 3 == 2 {
        a.texts.insert("q7".into(), "Chciał(a)bym więcej zajęć praktycznych.".into());
    }
    a.toggle("q9", "one_place");
    a.toggle("q10", pick(&["self_belief", "job_chances", "search_skills"], i));
    a.toggle("q11", pick(&["yes", "no"], i));
    a.toggle("q12", pick(&["def_yes", "rather_yes", "rather_yes", "dont_know"], i));
    a.toggle("sex", pick(&["woman", "man"], i));
    a.toggle("age", pick(&["18_30", "31_45", "46_65"], i));
    a.toggle("education", pick(&["lower_secondary", "upper_secondary", "primary"], i));
    a.toggle("place", pick(&["town", "village"], i / 2));
    a
}

pub fn demo_logins() -> String {
    let mut s = format!("Demo logins (password for all: {DEMO_PASSWORD}):\n");
    for (email, name, _, role, _) in DEMO_USERS {
        s.push_str(&format!("  {email:<26} {name} ({})\n", role.as_str()));
    }
    s.push_str(&format!("  {:<26} {} (installation administrator)\n", DEMO_ADMIN.0, DEMO_ADMIN.1));
    s
}

/// A partnership of `clients` fictional people for the benchmark, readable by
/// `bench@demo` (a coordinator), spread over 20 consultants.
pub async fn bench(db: &Db, clients: usize) -> Result<(), AppError> {
    let org = organisation(db, "Benchmark OPS", OrgType::Ops, "Kielce").await?;
    let p = partnership(db, "Benchmark", PartnershipKind::Local, &[org]).await?;
    let coordinator = user(db, "bench@demo", "Benchmark", org, "bench-password-2026").await?;
    grant(db, coordinator, p, Role::Coordinator).await?;
    let mut consultants = Vec::new();
    for i in 0..20 {
        let id = user(db, &format!("bench{i}@demo"), &format!("Konsultant {i}"), org, "bench-password-2026").await?;
        grant(db, id, p, Role::KeyConsultant).await?;
        consultants.push(id);
    }
    for i in 0..clients {
        let mut person = demo_person(i, p, consultants[i % consultants.len()]);
        // Unique PESELs: vary the serial beyond the demo's range.
        let birth = time::Date::from_calendar_date(1950 + (i / 10_000) as i32 % 50, time::Month::January, 1).unwrap_or(date!(1960 - 01 - 01))
            + time::Duration::days((i % 10_000 / 1000) as i64);
        person.pesel = Pesel::generate(birth, (i % 1000) as u16, Sex::Female).map(|x| x.to_string()).unwrap_or_default();
        person.surname = SURNAMES_F[i % SURNAMES_F.len()].to_string();
        client(db, &person, coordinator).await?;
    }
    Ok(())
}

/// The region-scale benchmark data of issue 7: `partnerships` partnerships of
/// `clients / partnerships` clients each (15 consultants and one coordinator per
/// partnership), every client with an IPD, a services record of five services, a
/// contract for every other and effects for every fifth, and `notes` notes spread over
/// the clients and the last year. `region@demo` coordinates the first partnership;
/// `region-all@demo` coordinates every one of them, so its client list and search span
/// the whole region.
/// Rows go in by multi-row statements in large transactions: 100,000 clients one by
/// one would take longer than the benchmark itself.
pub async fn region(db: &Db, partnerships: usize, clients: usize, notes: usize, access_log: usize) -> Result<(), AppError> {
    second_factor_optional(db).await?;
    let hash = password::hash("bench-password-2026".to_string()).await?;
    let today = crate::today();
    let per = clients.div_ceil(partnerships.max(1));
    let at = now();
    let mut conn = db.pool.acquire().await?;
    let mut client_ids: Vec<(String, String, String)> = Vec::with_capacity(clients); // (client, partnership, consultant)
    let region_org = organisation(db, "Regionalny ośrodek polityki społecznej", OrgType::Other, "Kielce").await?;
    let everywhere = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, display_name, organisation_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(everywhere.to_string())
        .bind("region-all@demo")
        .bind("Koordynacja regionu")
        .bind(region_org.to_string())
        .bind(&hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    for p in 0..partnerships {
        let org = organisation(db, &format!("OPS regionu {p}"), OrgType::Ops, "Kielce").await?;
        let pid = partnership(db, &format!("Partnerstwo regionu {p}"), PartnershipKind::Local, &[org]).await?;
        let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
        let mut users = Vec::new();
        for u in 0..16 {
            let id = Uuid::new_v4();
            let email = if p == 0 && u == 0 { "region@demo".to_string() } else { format!("r{p}u{u}@region.demo") };
            sqlx::query("INSERT INTO users (id, email, display_name, organisation_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id.to_string())
                .bind(email)
                .bind(format!("Osoba {p}/{u}"))
                .bind(org.to_string())
                .bind(&hash)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let role = if u == 0 { Role::Coordinator } else { Role::KeyConsultant };
            sqlx::query("INSERT INTO user_roles (user_id, partnership_id, role) VALUES ($1, $2, $3)")
                .bind(id.to_string())
                .bind(pid.to_string())
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            users.push(id);
        }
        sqlx::query("INSERT INTO user_roles (user_id, partnership_id, role) VALUES ($1, $2, $3)")
            .bind(everywhere.to_string())
            .bind(pid.to_string())
            .bind(Role::Coordinator.as_str())
            .execute(&mut *tx)
            .await?;
        for i in 0..per.min(clients - client_ids.len().min(clients)) {
            let n = client_ids.len();
            let consultant = users[1 + i % 15];
            let mut person = demo_person(n, pid, consultant);
            person.pesel = String::new();
            person.id_document_type = "passport".into();
            person.id_document_number = format!("RG{n:08}");
            person.birth_date = format!("{}-0{}-1{}", 1960 + n % 40, 1 + n % 9, n % 10);
            person.sex = if n.is_multiple_of(2) { "female" } else { "male" }.into();
            let valid = person.validate(domain::Lang::En, today).map_err(|e| AppError::Internal(format!("invalid region client: {e:?}")))?;
            let id = Uuid::new_v4();
            crate::store::client::insert(&mut tx, id, &valid, None, users[0], at - (n as i64 % 365) * 86_400, Default::default()).await?;
            client_ids.push((id.to_string(), pid.to_string(), consultant.to_string()));
        }
        tx.commit().await?;
    }
    // Documents: IPD, services, and some contracts and effects.
    let day = |d: i64| (today + time::Duration::days(d)).to_string();
    let mut docs: Vec<(String, String, String, &str, String)> = Vec::new();
    let mut closed: Vec<String> = Vec::new();
    for (n, (cid, pid, _)) in client_ids.iter().enumerate() {
        let client = Uuid::parse_str(cid).map_err(crate::error::internal)?;
        let k = n as i64;
        let ipd = serde_json::json!({"client_id": cid, "date": day(-90), "goal": "Zatrudnienie", "social": {"tasks_ops": [
            {"id": "t1", "task": "Kurs zawodowy", "owner": "ops", "from": day(-60), "to": day(k % 40 - 20)},
            {"id": "t2", "task": "Doradztwo", "owner": "ops", "from": day(-60), "to": day(k % 90), "done": k % 3 == 0}]}});
        let services = serde_json::json!({"client_id": cid, "rows": (0..5).map(|s| serde_json::json!(
            {"id": format!("s{s}"), "date": day(-(k * 7 + s * 13) % 360), "service": "job_club", "scope": "grupowe"})).collect::<Vec<_>>()});
        // A quarter of the clients ended support in the last 90 days; every tenth came back.
        let ended = n % 4 == 0;
        let mut periods = vec![serde_json::json!({"id": "p1", "from": day(-200 - k % 150),
            "to": if ended { day(-(k % 90)) } else { String::new() }, "reason": if ended { "employment" } else { "" },
            "situation": if ended { "Pracuje" } else { "" }})];
        if ended && n % 10 == 0 {
            periods.push(serde_json::json!({"id": "p2", "from": day(1 - (k % 90))}));
        }
        let support = serde_json::json!({"client_id": cid, "labour": LABOUR_CYCLE[n % LABOUR_CYCLE.len()],
            "features": if n % 7 == 0 { vec!["single_parent"] } else { vec![] }, "periods": periods});
        if ended && n % 10 != 0 {
            closed.push(cid.clone());
        }
        let mut kinds = vec![("ipd", ipd), ("services", services), ("support", support)];
        if n % 3 == 0 {
            let disability = ["none", "light", "moderate"][(n / 3) % 3];
            kinds.push(("assessment", serde_json::json!({"client_id": cid, "disability": disability})));
        }
        if n % 2 == 0 {
            kinds.push(("contract", serde_json::json!({"client_id": cid, "date": day(-120), "evaluations": [
                {"id": "e1", "date": day(-30), "outcome": "on_track", "next_date": day(k % 60 - 10)}]})));
        }
        if n % 5 == 0 {
            kinds.push(("effects", serde_json::json!({"client_id": cid, "employment_date": day(-(k % 400)),
                "rows": [{"id": "r1", "indicator": INDICATOR_CYCLE[(n / 5) % INDICATOR_CYCLE.len()], "date": day(-(k % 180)), "evidence": "zaświadczenie"}]})));
        }
        for (kind, data) in kinds {
            let doc_type = domain::docs::DocType::parse(kind).ok_or_else(|| AppError::Internal(kind.into()))?;
            docs.push((domain::docs::doc_id_for(client, doc_type).to_string(), cid.clone(), pid.clone(), kind, data.to_string()));
        }
    }
    let creator = client_ids.first().map(|c| c.2.clone()).unwrap_or_default();
    for chunk in docs.chunks(200) {
        let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!("(${}, ${}, ${}, ${}, ${}, 1, ${}, {at}, ${}, {at})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 6)
            })
            .collect();
        let sql = format!(
            "INSERT INTO documents (id, client_id, partnership_id, doc_type, data, version, created_by, created_at, updated_by, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (id, cid, pid, kind, data) in chunk {
            q = q.bind(id.clone()).bind(cid.clone()).bind(pid.clone()).bind(*kind).bind(data.clone()).bind(creator.clone());
        }
        q.execute(&mut *tx).await?;
        tx.commit().await?;
    }
    // Their status follows the course of support, as the sync engine keeps it.
    for chunk in closed.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("UPDATE clients SET status = 'closed' WHERE id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.clone());
        }
        q.execute(&mut *conn).await?;
    }
    // Notes, spread over the clients and the last year, in writing order per client.
    let year_ms = 365 * 86_400_000_i64;
    let now_ms = at * 1000;
    let mut written = 0;
    while written < notes {
        let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
        for _ in 0..20 {
            let batch = (notes - written).min(500);
            if batch == 0 {
                break;
            }
            let values: Vec<String> = (0..batch)
                .map(|i| {
                    let b = i * 6;
                    format!("(${}, ${}, ${}, ${}, ${}, ${}, {now_ms})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6)
                })
                .collect();
            let sql = format!("INSERT INTO notes (id, client_id, partnership_id, text, written_at, author_id, received_at) VALUES {}", values.join(", "));
            let mut q = sqlx::query(&sql);
            for i in 0..batch {
                let n = written + i;
                let (cid, pid, author) = &client_ids[n % client_ids.len().max(1)];
                let when = now_ms - ((n as i64 * 7_919_000) % year_ms);
                q = q.bind(Uuid::new_v4().to_string()).bind(cid.clone()).bind(pid.clone()).bind("Rozmowa wspierająca, omówienie postępów.").bind(when).bind(author.clone());
            }
            q.execute(&mut *tx).await?;
            written += batch;
        }
        tx.commit().await?;
    }
    // The access log a year of such work leaves: each entry a consultant's read, change,
    // list or sync of one client, oldest first as the log grows, so the filters and the
    // deep pages of `/audit` are measured on what a region's log holds.
    const ACTIONS: [&str; 4] = ["read", "update", "list", "sync"];
    let year = 365 * 86_400_i64;
    let mut logged = 0;
    while logged < access_log {
        let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
        for _ in 0..20 {
            let batch = (access_log - logged).min(500);
            if batch == 0 {
                break;
            }
            let values: Vec<String> = (0..batch)
                .map(|i| {
                    let n = (logged + i) as i64;
                    let when = at - year + n * year / access_log.max(1) as i64;
                    let b = i * 5;
                    format!("({when}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5)
                })
                .collect();
            let sql = format!("INSERT INTO audit_log (at, user_id, partnership_id, client_id, action, detail) VALUES {}", values.join(", "));
            let mut q = sqlx::query(&sql);
            for i in 0..batch {
                let n = logged + i;
                // A pseudo-random client per entry, so one client's entries are spread
                // over the year as they are when a file is worked on for months.
                let (cid, pid, consultant) = &client_ids[(n.wrapping_mul(7_919)) % client_ids.len().max(1)];
                let action = ACTIONS[n % ACTIONS.len()];
                q = q.bind(consultant.clone()).bind(pid.clone()).bind(cid.clone()).bind(action).bind("");
            }
            q.execute(&mut *tx).await?;
            logged += batch;
        }
        tx.commit().await?;
    }
    Ok(())
}

const LABOUR_CYCLE: [&str; 3] = ["long_term_unemployed", "unemployed", "inactive"];
const INDICATOR_CYCLE: [&str; 5] = ["employment", "internship", "education", "qualification", "own_job_search"];
