//! The demo's case work over the last three months, so every screen a new user opens
//! shows a living partnership: assessments, IPDs with tasks (some due soon, one
//! overdue), contracts with their evaluations, services, notes, effects reached, a
//! course of support ended with a job. Everything goes in as the consultants' own
//! devices would send it (`store::sync::apply`), through the same validation.

use domain::sync::{Mutation, Op};
use domain::Lang;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::AppError;
use crate::store::history::Origin;
use crate::store::user::CurrentUser;
use crate::Db;

/// A person acting in the demo: the user as a session would carry them.
pub(super) async fn acting_as(db: &Db, user: Uuid) -> Result<CurrentUser, AppError> {
    let (email, display_name, organisation_id, organisation_name): (String, String, String, String) = sqlx::query_as(
        "SELECT u.email, u.display_name, o.id, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1",
    )
    .bind(user.to_string())
    .fetch_one(&db.pool)
    .await?;
    Ok(CurrentUser {
        id: user,
        email,
        display_name,
        organisation_id: Uuid::parse_str(&organisation_id).map_err(crate::error::internal)?,
        organisation_name,
        memberships: crate::auth::session::memberships_of(&db.pool, &user.to_string()).await?,
        installation_admin: false,
        csrf_token: String::new(),
        token_hash: String::new(),
    })
}

/// A day relative to `today`, as the forms write it.
fn day(today: time::Date, offset: i64) -> String {
    (today + time::Duration::days(offset)).to_string()
}

/// A day of the month `back` months before today's (1 = last month).
fn in_month(today: time::Date, back: u8, day_of_month: u8) -> String {
    let mut month = domain::calendar::Month::of(today);
    for _ in 0..back {
        month = month.previous();
    }
    format!("{month}-{:02}", day_of_month.min(28))
}

const NOTES: &[&str] = &[
    "Wizyta w domu: rozmowa o planie na najbliższy miesiąc, klientka zmotywowana.",
    "Telefon: potwierdzenie terminu warsztatów w klubie pracy.",
    "Spotkanie w OPS: omówienie postępów, przypomnienie o dokumentach do PUP.",
    "Rozmowa z doradcą zawodowym o kursie; ustalono termin badań lekarskich.",
    "Klient odwołał spotkanie (choroba dziecka), nowy termin za tydzień.",
];

/// The documents and notes of the `n`-th demo client, written by its consultant;
/// `ended`: its support ended last month with a job.
fn case(n: usize, client: Uuid, today: time::Date, ended: bool) -> Vec<(i64, Op)> {
    let k = n as i64;
    let doc = |doc_type: domain::docs::DocType, data: Value| {
        let mut data = data;
        data["client_id"] = json!(client);
        Op::Create { doc_type, doc_id: domain::docs::doc_id_for(client, doc_type), data }
    };
    let task = |id: &str, task: &str, owner: &str, from: i64, to: i64, done: bool| {
        json!({"id": id, "task": task, "owner": owner, "from": day(today, from), "to": day(today, to), "done": done})
    };
    let mut ops = Vec::new();
    ops.push((-85, doc(domain::docs::DocType::Assessment, json!({
        "strengths": "Punktualność, dobry kontakt z ludźmi",
        "skills": {"motivation": 6 + k % 4, "communicativeness": 5 + k % 5, "flexibility": 4 + k % 6},
        "education": (["primary", "lower_secondary", "upper_secondary"][n % 3]),
    }))));
    // One task overdue (the first client's), others due within two weeks or later.
    let due = if n == 0 { -3 } else { 4 + k % 25 };
    ops.push((-80, doc(domain::docs::DocType::Ipd, json!({
        "date": day(today, -80),
        "goal": (["Podjęcie pracy w handlu", "Ukończenie kursu opiekuna osoby starszej", "Powrót na rynek pracy po przerwie"][n % 3]),
        "social": {"resources": "Wsparcie rodziny", "tasks_ops": [
            task("t1", "Udział w grupie wsparcia", "ops", -75, -20, true),
            task("t2", "Uregulowanie zadłużenia czynszowego", "ops", -60, due, false),
        ]},
        "vocational": {"tasks_pup": [task("t3", "Rejestracja i ustalenie profilu pomocy", "pup", -70, -60, true)]},
    }))));
    if n.is_multiple_of(2) {
        ops.push((-78, doc(domain::docs::DocType::Contract, json!({
            "date": day(today, -78),
            "main_goal": "Usamodzielnienie i podjęcie zatrudnienia",
            "person_actions": [{"id": "a1", "action": "Udział w warsztatach klubu pracy", "deadline": day(today, 10 + k % 20)}],
            "evaluations": [{"id": "e1", "date": day(today, -30), "outcome": "on_track", "next_date": day(today, 3 + k % 20)}],
        }))));
    }
    // Services in each of the last months, and this month's once their day has come.
    let services: Vec<Value> = [(2u8, 8u8, "social_counselling"), (1, 12, "job_club"), (1, 20, "vocational_counselling"), (0, 2, "psychological_counselling")]
        .iter()
        .enumerate()
        .map(|(i, (back, d, service))| (i, in_month(today, *back, d + (n % 5) as u8), *service))
        .filter(|(_, date, _)| *date <= today.to_string())
        .map(|(i, date, service)| json!({"id": format!("s{i}"), "date": date, "service": service}))
        .collect();
    ops.push((-10, doc(domain::docs::DocType::Services, json!({"rows": services}))));
    let mut period = json!({"id": "p1", "from": in_month(today, 3, 3 + (n % 20) as u8)});
    if ended {
        period["to"] = json!(in_month(today, 1, 15 + (n % 10) as u8));
        period["reason"] = json!("employment");
        period["situation"] = json!("Umowa o pracę na pół etatu");
    }
    ops.push((-84, doc(domain::docs::DocType::Support, json!({
        "labour": (["long_term_unemployed", "unemployed", "inactive"][n % 3]),
        "features": if n.is_multiple_of(4) { vec!["single_parent"] } else { vec![] },
        "periods": [period],
    }))));
    if ended || n % 4 == 1 {
        let (indicator, back) = if ended { ("employment", 1) } else { (["qualification", "own_job_search", "internship"][n % 3], (n % 3) as u8) };
        let date = in_month(today, back, 10 + (n % 10) as u8).min(today.to_string());
        let mut effects = json!({"rows": [{"id": "r1", "indicator": indicator, "date": date, "evidence": "zaświadczenie"}]});
        if ended {
            effects["employment_date"] = json!(in_month(today, 1, 16 + (n % 10) as u8));
        }
        ops.push((-2, doc(domain::docs::DocType::Effects, effects)));
    }
    for (j, back) in [(0, 2u8), (1, 1), (2, 0)] {
        let date = in_month(today, back, 5 + ((n + j) % 20) as u8).min(today.to_string());
        let at = time::Date::parse(&date, &time::format_description::well_known::Iso8601::DATE).unwrap_or(today);
        let days = (at - today).whole_days();
        ops.push((days, Op::AddNote { note_id: Uuid::new_v4(), client_id: client, text: NOTES[(n + j) % NOTES.len()].to_string() }));
    }
    ops
}

/// Writes the case work of `clients` (each with its consultant, and whether its support
/// ended last month with a job) as those consultants.
pub(super) async fn seed(db: &Db, clients: &[(Uuid, Uuid, bool)]) -> Result<(), AppError> {
    let today = crate::today();
    let mut people = std::collections::BTreeMap::new();
    let mut conn = db.pool.acquire().await?;
    for (n, (client, consultant, ended)) in clients.iter().enumerate() {
        if !people.contains_key(consultant) {
            people.insert(*consultant, acting_as(db, *consultant).await?);
        }
        let user = &people[consultant];
        for (days, op) in case(n, *client, today, *ended) {
            let written_at = (today.midnight().assume_utc() + time::Duration::days(days) + time::Duration::hours(10)).unix_timestamp() * 1000;
            let m = Mutation { id: Uuid::new_v4(), written_at, op };
            crate::store::sync::apply(&mut conn, user, Lang::En, Origin::default(), &m)
                .await
                .map_err(|e| AppError::Internal(format!("demo case work of client {n} does not validate: {e:?}")))?;
        }
    }
    Ok(())
}
