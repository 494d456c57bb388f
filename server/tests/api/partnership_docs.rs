//! The partnership's own documents: the agreement signed by every party before it is
//! in force, withdrawal within the 30-day limits, amendments in effect with every
//! current partner's consent; the plan and questionnaires merged field by field and
//! checked by the shared rules; nothing for another partnership's users.

use axum::http::{Method, StatusCode};
use domain::org::{OrgType, Role};
use serde_json::{json, Value};
use server::seed;
use time::Duration;
use uuid::Uuid;

use crate::helpers::{Response, Session, TestApp, PASSWORD};

struct Partners {
    ops: Uuid,
    pup: Uuid,
    ngo: Uuid,
    coord: Session,
    pup_user: Session,
    ngo_user: Session,
}

async fn three_partners(app: &TestApp) -> Partners {
    let (ops,): (String,) = sqlx::query_as("SELECT organisation_id FROM users WHERE id = $1").bind(app.coordinator_a.to_string()).fetch_one(&app.db.pool).await.expect("org");
    let ops = Uuid::parse_str(&ops).expect("uuid");
    let mut orgs = Vec::new();
    for (name, t, email) in [("PUP Kielce", OrgType::Pup, "pup@test"), ("Stowarzyszenie Razem", OrgType::Ngo, "ngo@test")] {
        let org = seed::organisation(&app.db, name, t, "Kielce").await.expect("org");
        sqlx::query("INSERT INTO partnership_members (partnership_id, organisation_id) VALUES ($1, $2)")
            .bind(app.partnership_a.to_string())
            .bind(org.to_string())
            .execute(&app.db.pool)
            .await
            .expect("member");
        let user = seed::user(&app.db, email, name, org, PASSWORD).await.expect("user");
        seed::grant(&app.db, user, app.partnership_a, Role::KeyConsultant).await.expect("grant");
        orgs.push(org);
    }
    Partners { ops, pup: orgs[0], ngo: orgs[1], coord: app.login("coord.a@test").await, pup_user: app.login("pup@test").await, ngo_user: app.login("ngo@test").await }
}

async fn put(app: &TestApp, path: &str, body: &Value, s: &Session) -> Response {
    app.request(Method::PUT, path, Some(body), Some(s)).await
}

fn party(org: Uuid, name: &str, from: time::Date, to: time::Date) -> Value {
    json!({"id": org, "name": name, "seat": "Kielce", "regon": "123456785", "representative": "Jan Kowalski", "function": "Dyrektor",
        "obligations": "Rekrutacja i praca socjalna", "tasks_from": from.to_string(), "tasks_to": to.to_string()})
}

#[tokio::test]
async fn the_agreement_is_in_force_when_all_signed_and_withdrawal_and_changes_follow_the_rules() {
    let app = TestApp::spawn().await;
    let p = three_partners(&app).await;
    let base = format!("/api/v1/partnerships/{}", app.partnership_a);
    let path = format!("{base}/docs/agreement");
    let today = time::OffsetDateTime::now_utc().date();

    let empty = app.get(&path, &p.coord).await.json();
    assert_eq!((empty["version"].as_i64(), empty["agreement"]["state"].as_str()), (Some(0), Some("draft")));
    assert_eq!(empty["data"]["parties"].as_array().map(Vec::len), Some(3), "the partners are the parties");

    // A draft saves; a text with a wrong REGON does not.
    let mut text = signed_text(&p, today);
    let mut wrong = text.clone();
    wrong["parties"][1]["regon"] = json!("123456789");
    let r = put(&app, &path, &json!({"base": empty["data"], "data": wrong}), &p.coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains(&format!("/parties/{}/regon", p.pup)), "{}", r.text);
    let mut unfinished = text.clone();
    unfinished["parties"][2]["representative"] = json!("");
    let r = put(&app, &path, &json!({"base": empty["data"], "data": unfinished}), &p.ngo_user).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Nobody signs an unfinished text.
    let r = app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.ngo}), &p.ngo_user).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("representative"), "{}", r.text);
    let r = put(&app, &path, &json!({"base": unfinished, "data": text}), &p.coord).await;
    assert_eq!(r.json()["doc"]["version"], 2, "{}", r.text);

    // Each partner signs for itself only.
    let r = app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.pup}), &p.coord).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.ops}), &p.coord).await.json();
    assert_eq!(r["agreement"]["state"], "signing");
    text["service"] = json!("Inna usługa");
    let r = put(&app, &path, &json!({"base": r["data"], "data": text}), &p.coord).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a signed text changes only by amendment");
    app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.pup}), &p.pup_user).await;
    let r = app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.ngo}), &p.ngo_user).await.json();
    assert_eq!(r["agreement"]["state"], "in_force");
    assert_eq!(r["agreement"]["signatures"].as_array().map(Vec::len), Some(3));
    assert_eq!(app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.ngo}), &p.ngo_user).await.status, StatusCode::CONFLICT);
    let overview = app.get(&format!("{base}/docs"), &p.coord).await.json();
    let due = domain::calendar::Month::of(today).next().next().next().to_string();
    assert_eq!(overview["evaluation_due"], due.as_str());

    // Withdrawal: the PUP's tasks go on, so today is too late; the NGO's start in 40 days.
    let r = app.post(&format!("{base}/agreement/withdraw"), &json!({"organisation_id": p.pup, "notice": today.to_string()}), &p.pup_user).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("30 dni przed rozpoczęciem"), "{}", r.text);
    let r = app.post(&format!("{base}/agreement/withdraw"), &json!({"organisation_id": p.ngo, "notice": today.to_string()}), &p.ngo_user).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = r.json();
    assert_eq!(r["agreement"]["state"], "in_force", "the agreement goes on among the others");
    assert_eq!(r["agreement"]["withdrawals"][0]["organisation_id"], json!(p.ngo));

    // A change: in effect once every current partner (OPS and PUP) consented.
    let r = app.post(&format!("{base}/agreement/amendments"), &json!({"text": "§ 4 a) także poradnictwo prawne"}), &p.coord).await.json();
    let amendment = r["agreement"]["amendments"][0]["id"].as_str().expect("id").to_string();
    let consent = |org: Uuid, via: &str| json!({"organisation_id": org, "via": via});
    let r = app.post(&format!("{base}/agreement/amendments/{amendment}/consent"), &consent(p.ops, "signature"), &p.coord).await.json();
    assert_eq!(r["agreement"]["amendments"][0]["in_effect"], false);
    assert_eq!(app.post(&format!("{base}/agreement/amendments/{amendment}/consent"), &consent(p.ngo, "email"), &p.ngo_user).await.status, StatusCode::CONFLICT);
    assert_eq!(app.post(&format!("{base}/agreement/amendments/{amendment}/consent"), &consent(p.pup, "fax"), &p.pup_user).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post(&format!("{base}/agreement/amendments/{amendment}/consent"), &consent(p.pup, "email"), &p.pup_user).await.json();
    assert_eq!(r["agreement"]["amendments"][0]["in_effect"], true);
    assert_eq!(r["agreement"]["amendments"][0]["consents"][1]["via"], "email");

    // Another partnership's user gets nothing and changes nothing.
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&path, &outsider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": p.ops}), &outsider).await.status, StatusCode::NOT_FOUND);
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agreement_events").fetch_one(&app.db.pool).await.expect("events");
    assert_eq!(events, 3 + 1 + 1 + 2);
}

/// The text the three partners sign: the NGO's tasks start in 40 days, the others'
/// started 10 days ago.
fn signed_text(p: &Partners, today: time::Date) -> Value {
    json!({"date": today.to_string(), "place": "Kielce", "service": "Integracja społeczno-zawodowa", "period_from": today.to_string(),
        "indefinite": true, "team_name": "Zespół Koordynacyjny", "delegates": 1, "parties": [
            party(p.ops, "OPS A", today - Duration::days(10), today + Duration::days(300)),
            party(p.pup, "PUP Kielce", today - Duration::days(10), today + Duration::days(300)),
            party(p.ngo, "Stowarzyszenie Razem", today + Duration::days(40), today + Duration::days(300))]})
}

/// A fourth organisation registered with its REGON, and a person of it in the partnership.
async fn fourth(app: &TestApp) -> (Uuid, Session) {
    let org = seed::registered_organisation(&app.db, "Fundacja Nowy Start", OrgType::Ngo, "Skarżysko-Kamienna", "", "123456785").await.expect("org");
    let user = seed::user(&app.db, "fundacja@test", "Fundacja Nowy Start", org, PASSWORD).await.expect("user");
    seed::grant(&app.db, user, app.partnership_a, Role::KeyConsultant).await.expect("grant");
    (org, app.login("fundacja@test").await)
}

#[tokio::test]
async fn a_member_added_later_is_in_the_unsigned_text_and_joins_a_signed_one_by_an_accession_all_consent_to() {
    let app = TestApp::spawn().await;
    let p = three_partners(&app).await;
    let base = format!("/api/v1/partnerships/{}", app.partnership_a);
    let path = format!("{base}/docs/agreement");
    let today = time::OffsetDateTime::now_utc().date();
    let org = seed::registered_organisation(&app.db, "Centrum Integracji Społecznej", OrgType::Other, "Kielce", "", "123456785").await.expect("org");

    // While nobody signed, a new member becomes a party of the stored text at once.
    let empty = app.get(&path, &p.coord).await.json();
    let r = put(&app, &path, &json!({"base": empty["data"], "data": signed_text(&p, today)}), &p.coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app.post(&format!("{base}/members"), &json!({"organisation_id": org}), &p.coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let text = app.get(&path, &p.coord).await.json();
    assert_eq!(text["version"], 2);
    let parties = text["data"]["parties"].as_array().expect("parties");
    assert_eq!(parties.len(), 4);
    assert_eq!((parties[3]["id"].as_str(), parties[3]["name"].as_str(), parties[3]["regon"].as_str()),
        (Some(org.to_string().as_str()), Some("Centrum Integracji Społecznej"), Some("123456785")));
    assert_eq!(text["data"]["parties"][0]["representative"], "Jan Kowalski", "the rest of the text stays");
}

#[tokio::test]
async fn an_organisation_joins_the_agreement_in_force_once_every_partner_consented_and_it_signed() {
    let app = TestApp::spawn().await;
    let p = three_partners(&app).await;
    let base = format!("/api/v1/partnerships/{}", app.partnership_a);
    let path = format!("{base}/docs/agreement");
    let today = time::OffsetDateTime::now_utc().date();
    let empty = app.get(&path, &p.coord).await.json();
    put(&app, &path, &json!({"base": empty["data"], "data": signed_text(&p, today)}), &p.coord).await;
    for (org, s) in [(p.ops, &p.coord), (p.pup, &p.pup_user), (p.ngo, &p.ngo_user)] {
        app.post(&format!("{base}/agreement/sign"), &json!({"organisation_id": org}), s).await;
    }
    let accede = format!("{base}/agreement/accessions");
    let (org, fundacja) = fourth(&app).await;
    let joining = json!({"organisation_id": org, "representative": "Ewa Lis", "function": "Prezes Zarządu",
        "obligations": "Prowadzenie Klubu Integracji Społecznej", "tasks_from": (today + Duration::days(5)).to_string()});

    // Not yet a member: refused at its field. Joining, the text stays as signed.
    let r = app.post(&accede, &joining, &p.coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("/organisation_id"), "{}", r.text);
    let r = app.post(&format!("{base}/members"), &json!({"organisation_id": org}), &p.coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let doc = app.get(&path, &p.coord).await.json();
    assert_eq!((doc["version"].as_i64(), doc["data"]["parties"].as_array().map(Vec::len)), (Some(1), Some(3)), "a signed text is not changed");

    // Only a coordinator proposes; what the newcomer undertakes is required.
    assert_eq!(app.post(&accede, &joining, &p.pup_user).await.status, StatusCode::FORBIDDEN);
    let mut vague = joining.clone();
    vague["obligations"] = json!(" ");
    let r = app.post(&accede, &vague, &p.coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("/obligations"), "{}", r.text);
    let r = app.post(&accede, &joining, &p.coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = r.json();
    let am = &r["agreement"]["amendments"][0];
    assert_eq!((am["joining"]["name"].as_str(), am["joining"]["regon"].as_str(), am["in_effect"].as_bool()),
        (Some("Fundacja Nowy Start"), Some("123456785"), Some(false)), "described from the register");
    assert!(am["text"].as_str().is_some_and(|t| t.contains("Do Umowy przystępuje Fundacja Nowy Start") && t.contains("Klubu Integracji")), "{am}");
    assert_eq!(r["agreement"]["bound"].as_array().map(Vec::len), Some(3));
    let r = app.post(&accede, &joining, &p.coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "one accession waits at a time: {}", r.text);
    let id = am["id"].as_str().expect("id").to_string();
    let consent = format!("{base}/agreement/amendments/{id}/consent");

    // Every bound partner consents and the newcomer signs; before the last, it is not bound.
    for (org, s) in [(org, &fundacja), (p.ops, &p.coord), (p.pup, &p.pup_user)] {
        let r = app.post(&consent, &json!({"organisation_id": org, "via": "signature"}), s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["agreement"]["amendments"][0]["in_effect"], false);
    }
    let r = app.post(&consent, &json!({"organisation_id": p.ngo, "via": "email"}), &p.ngo_user).await.json();
    assert_eq!(r["agreement"]["amendments"][0]["in_effect"], true);
    let bound: Vec<&str> = r["agreement"]["bound"].as_array().expect("bound").iter().filter_map(|b| b["name"].as_str()).collect();
    assert_eq!(bound, ["OPS A", "PUP Kielce", "Stowarzyszenie Razem", "Fundacja Nowy Start"]);
    assert_eq!(r["agreement"]["state"], "in_force");
    let r = app.post(&accede, &joining, &p.coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a party already: {}", r.text);

    // A later change needs the new partner's consent too.
    let r = app.post(&format!("{base}/agreement/amendments"), &json!({"text": "§ 5: dwóch przedstawicieli"}), &p.coord).await.json();
    let later = r["agreement"]["amendments"][1]["id"].as_str().expect("id").to_string();
    let consent = format!("{base}/agreement/amendments/{later}/consent");
    for (org, s) in [(p.ops, &p.coord), (p.pup, &p.pup_user), (p.ngo, &p.ngo_user)] {
        app.post(&consent, &json!({"organisation_id": org, "via": "email"}), s).await;
    }
    assert_eq!(app.get(&path, &p.coord).await.json()["agreement"]["amendments"][1]["in_effect"], false);
    let r = app.post(&consent, &json!({"organisation_id": org, "via": "email"}), &fundacja).await.json();
    assert_eq!(r["agreement"]["amendments"][1]["in_effect"], true);

    // Another partnership's coordinator proposes nothing here.
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.post(&accede, &joining, &outsider).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_plan_and_the_questionnaire_merge_field_by_field_and_keep_each_partners_opinion() {
    let app = TestApp::spawn().await;
    let p = three_partners(&app).await;
    let path = format!("/api/v1/partnerships/{}/docs/plan", app.partnership_a);
    let start = app.get(&path, &p.coord).await.json()["data"].clone();
    assert_eq!(start["process"].as_array().map(Vec::len), Some(6));
    let mut a = start.clone();
    a["goals_now"] = json!("Zatrudnienie 5 osób");
    a["period_from"] = json!("2026-01");
    a["period_to"] = json!("2026-12");
    a["schedule"] = json!([{"id": "r", "name": "Rekrutacja", "from": "2026-01", "to": "2026-02"}]);
    let r = put(&app, &path, &json!({"base": start, "data": a}), &p.coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Another device from the same start: a new activity and the same goal typed differently.
    let mut b = start.clone();
    b["goals_now"] = json!("Zatrudnienie 6 osób");
    b["schedule"] = json!([{"id": "m", "name": "Konferencja", "from": "2026-06", "to": "2026-06", "milestone": true}]);
    let r = put(&app, &path, &json!({"base": start, "data": b}), &p.pup_user).await.json();
    assert_eq!(r["conflicts"], json!([["goals_now"]]));
    assert_eq!(r["doc"]["data"]["goals_now"], "Zatrudnienie 5 osób");
    assert_eq!(r["doc"]["data"]["schedule"].as_array().map(Vec::len), Some(2), "both activities kept");
    // The shared rules: an activity outside the plan's period is refused.
    let mut outside = r["doc"]["data"].clone();
    outside["schedule"][0]["to"] = json!("2027-03");
    let bad = put(&app, &path, &json!({"base": r["doc"]["data"], "data": outside}), &p.coord).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("outside"), "{}", bad.text);

    // A questionnaire: each partner's opinion in its own row, never merged into one.
    let ev = format!("/api/v1/partnerships/{}/docs/evaluation", app.partnership_a);
    assert_eq!(app.get(&ev, &p.coord).await.status, StatusCode::BAD_REQUEST, "a questionnaire is named by its month");
    let op = |org: Uuid, text: &str| json!({"id": format!("recruitment.how:{org}"), "question": "recruitment.how", "organisation_id": org, "text": text});
    let q = format!("{ev}?key=2026-03");
    let empty = app.get(&q, &p.coord).await.json()["data"].clone();
    put(&app, &q, &json!({"base": empty, "data": {"period_from": "2026-01", "period_to": "2026-03", "opinions": [op(p.ops, "Sprawnie")]}}), &p.coord).await;
    let r = put(&app, &q, &json!({"base": empty, "data": {"opinions": [op(p.ngo, "Za mało informacji dla NGO")]}}), &p.ngo_user).await.json();
    assert_eq!(r["conflicts"], json!([]));
    let texts: Vec<&str> = r["doc"]["data"]["opinions"].as_array().expect("opinions").iter().filter_map(|o| o["text"].as_str()).collect();
    assert_eq!(texts, ["Sprawnie", "Za mało informacji dla NGO"]);
    let forged = put(&app, &q, &json!({"base": r["doc"]["data"], "data": {"opinions": [{"id": format!("recruitment.how:{}", p.ops), "question": "recruitment.how", "organisation_id": p.ngo, "text": "x"}]}}), &p.ngo_user).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);

    let outsider = app.login("consultant.b@test").await;
    assert_eq!(put(&app, &path, &json!({"base": start, "data": start}), &outsider).await.status, StatusCode::NOT_FOUND);
}
