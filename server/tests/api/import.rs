//! Bringing in existing clients from a spreadsheet (issue 19): a 120-row file with 3
//! wrong PESELs and 2 people registered already previews as 115 / 3 / 2 and writes
//! nothing; the import writes exactly that and keeps its report; the same file again
//! changes nothing; "update" changes only what differs; the caseload limit holds;
//! XLSX reads as CSV does; only the partnership's coordinators may import.

use axum::http::StatusCode;
use base64::Engine;
use domain::ident::{Pesel, Sex};
use serde_json::{json, Value};

use crate::helpers::TestApp;

fn pesel(n: u16) -> String {
    Pesel::generate(time::macros::date!(1985 - 03 - 14), n, Sex::Female).expect("pesel").as_str().to_string()
}

fn body(file_name: &str, bytes: &[u8], on_duplicate: &str, confirm: bool) -> Value {
    json!({"file_name": file_name, "content": base64::engine::general_purpose::STANDARD.encode(bytes), "on_duplicate": on_duplicate, "confirm": confirm})
}

/// 120 rows in the template's Polish columns (Excel's semicolons): rows 10, 50 and 90
/// have a PESEL with a wrong check digit; the people of rows 3 and 4 are registered.
fn file() -> String {
    let mut s = String::from("\u{feff}Nazwisko;Imiona;PESEL;Miejscowość;Telefon;Zgoda;Data zgody;Uwagi\n");
    for n in 1..=120u16 {
        let mut p = pesel(n);
        if [10, 50, 90].contains(&n) {
            let last = p.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
            p.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
        }
        s.push_str(&format!("Importowana{n};Anna;{p};Kielce;600 100 {n:03};tak;10.01.2026;cokolwiek\n"));
    }
    s
}

async fn clients(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM clients").fetch_one(&app.db.pool).await.expect("count")
}

#[tokio::test]
async fn a_file_previews_imports_once_and_keeps_its_report() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let consultant = app.login("consultant.a@test").await;
    for n in [3u16, 4] {
        let mut person = app.person(n, None);
        person["pesel"] = json!(pesel(n));
        assert_eq!(app.post("/api/v1/clients", &person, &consultant).await.status, StatusCode::CREATED);
    }
    let path = format!("/api/v1/partnerships/{}/import", app.partnership_a);
    let csv = file();

    // The dry run: what the import would do, row by row, and nothing written.
    let r = app.post(&path, &body("klienci.csv", csv.as_bytes(), "skip", false), &coordinator).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let preview = r.json();
    assert_eq!((preview["created"].as_u64(), preview["refused"].as_u64(), preview["skipped"].as_u64()), (Some(115), Some(3), Some(2)), "{preview}");
    assert_eq!(preview["committed"], false);
    assert_eq!(preview["id"], Value::Null);
    let refused: Vec<&Value> = preview["rows"].as_array().expect("rows").iter().filter(|r| r["outcome"] == "refused").collect();
    assert_eq!(refused.iter().map(|r| r["row"].as_u64().unwrap_or(0)).collect::<Vec<_>>(), [11, 51, 91], "file rows (the header is row 1)");
    assert_eq!(refused[0]["errors"][0]["column"], "PESEL");
    assert!(refused[0]["errors"][0]["message"].as_str().unwrap_or("").contains("kontrolna"), "the check digit named: {}", refused[0]);
    let columns: Vec<&str> = preview["columns"].as_array().expect("columns").iter().filter_map(|c| c["field"].as_str()).collect();
    assert_eq!(columns, ["surname", "first_names", "pesel", "city", "phone", "consent", "consent_date", ""], "the unknown column is ignored");
    assert_eq!(clients(&app).await, 2, "a dry run writes nothing");

    // The import does what the preview said and keeps its report.
    let done = app.post(&path, &body("klienci.csv", csv.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!((done["created"].as_u64(), done["refused"].as_u64(), done["skipped"].as_u64(), done["committed"].as_bool()), (Some(115), Some(3), Some(2), Some(true)));
    assert_eq!(clients(&app).await, 117);
    let card: String = sqlx::query_scalar("SELECT data FROM clients WHERE display_name LIKE 'Importowana7 %'").fetch_one(&app.db.pool).await.expect("row");
    assert!(card.contains("\"consent_date\":\"2026-01-10\"") && card.contains("600 100 007"), "{card}");
    let kept = app.get(&format!("/api/v1/partnerships/{}/imports", app.partnership_a), &coordinator).await.json();
    assert_eq!(kept[0]["created"], 115);
    assert_eq!(kept[0]["by"], "Koordynator A");
    assert_eq!(kept[0]["rows"].as_array().map(Vec::len), Some(120));

    // The same file again changes nothing.
    let again = app.post(&path, &body("klienci.csv", csv.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!((again["created"].as_u64(), again["skipped"].as_u64(), again["refused"].as_u64()), (Some(0), Some(117), Some(3)));
    assert_eq!(clients(&app).await, 117);
    // "Update": only rows that say something new change; the same again is unchanged.
    let phone = "Nazwisko;PESEL;Telefon\nImportowana7;".to_string() + &pesel(7) + ";+48 600 999 999\nImportowana8;" + &pesel(8) + ";600 100 008\n";
    let update = app.post(&path, &body("zmiany.csv", phone.as_bytes(), "update", true), &coordinator).await.json();
    assert_eq!((update["updated"].as_u64(), update["unchanged"].as_u64()), (Some(1), Some(1)), "{update}");
    let card: String = sqlx::query_scalar("SELECT data FROM clients WHERE display_name LIKE 'Importowana7 %'").fetch_one(&app.db.pool).await.expect("row");
    assert!(card.contains("+48 600 999 999") && card.contains("\"city\":\"Kielce\""), "what the file does not say stays: {card}");
    let twice = app.post(&path, &body("zmiany.csv", phone.as_bytes(), "update", true), &coordinator).await.json();
    assert_eq!((twice["updated"].as_u64(), twice["unchanged"].as_u64()), (Some(0), Some(2)));
}

#[tokio::test]
async fn the_caseload_limit_holds_xlsx_reads_and_only_coordinators_import() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/import", app.partnership_a);
    // Sixteen people for one consultant: the sixteenth is refused with the limit's message.
    let mut rows = vec![vec!["Surname".to_string(), "First names".into(), "PESEL".into(), "Town".into(), "Consent".into(), "Consent date".into(), "Consultant (e-mail)".into()]];
    for n in 1..=16u16 {
        rows.push(vec![format!("Limit{n}"), "Ewa".into(), pesel(200 + n), "Radom".into(), "yes".into(), "2026-01-10".into(), "Consultant.A@test".into()]);
    }
    let xlsx = server::export::xlsx(&[server::export::Sheet { name: "Clients", rows, numbers_from: u16::MAX, widths: &[] }]).expect("xlsx");
    let r = app.post(&path, &body("clients.xlsx", &xlsx, "skip", false), &coordinator).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let preview = r.json();
    assert_eq!((preview["created"].as_u64(), preview["refused"].as_u64()), (Some(15), Some(1)), "{preview}");
    let last = &preview["rows"][15];
    assert_eq!(last["errors"][0]["column"], "Consultant (e-mail)", "{last}");
    assert!(last["errors"][0]["message"].as_str().unwrap_or("").contains("15"), "{last}");
    // A consultant of the file who is no consultant here is named at the cell.
    let csv = "Nazwisko;Imiona;PESEL;Zgoda;Data zgody;Konsultant (e-mail)\nObca;Ewa;".to_string() + &pesel(300) + ";tak;2026-01-10;consultant.b@test\n";
    let r = app.post(&path, &body("a.csv", csv.as_bytes(), "skip", false), &coordinator).await.json();
    assert_eq!(r["rows"][0]["errors"][0]["column"], "Konsultant (e-mail)", "{r}");
    // What cannot be read says why; a mapping that gives a field twice is refused.
    let r = app.post(&path, &body("a.pdf", b"%PDF", "skip", false), &coordinator).await;
    assert_eq!((r.status, r.json()["errors"][0]["pointer"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("/content")));
    let mut twice = body("a.csv", csv.as_bytes(), "skip", false);
    twice["mapping"] = json!(["surname", "surname", "pesel", "consent", "consent_date", ""]);
    assert_eq!(app.post(&path, &twice, &coordinator).await.json()["errors"][0]["pointer"], "/mapping");
    // A consultant may not import; another partnership's people get nothing.
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.post(&path, &body("a.csv", csv.as_bytes(), "skip", true), &consultant).await.status, StatusCode::FORBIDDEN);
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.post(&path, &body("a.csv", csv.as_bytes(), "skip", true), &outsider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(clients(&app).await, 0);
    // The template has every column an import reads.
    let t = app.get(&format!("/api/v1/partnerships/{}/import/template.csv", app.partnership_a), &coordinator).await;
    assert!(t.text.contains("Nazwisko") && t.text.contains("Konsultant (e-mail)"), "{}", t.text);
    let t = app.get(&format!("/api/v1/partnerships/{}/import/template.xlsx", app.partnership_a), &coordinator).await;
    assert_eq!(t.status, StatusCode::OK);
}

#[tokio::test]
async fn a_staff_list_is_invited_after_its_dry_run_and_each_link_is_shown_once() {
    let app = TestApp::spawn().await;
    // A member of this partnership and someone of another, with addresses of the real form.
    let ops: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'OPS A'").fetch_one(&app.db.pool).await.expect("ops");
    let ngo: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'NGO B'").fetch_one(&app.db.pool).await.expect("ngo");
    let b: String = sqlx::query_scalar("SELECT id FROM partnerships WHERE name = 'Partnerstwo B'").fetch_one(&app.db.pool).await.expect("b");
    let uuid = |s: &str| uuid::Uuid::parse_str(s).expect("uuid");
    let ewa = server::seed::user(&app.db, "ewa@ops-a.example.pl", "Ewa Członek", uuid(&ops), crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, ewa, app.partnership_a, domain::org::Role::KeyConsultant).await.expect("grant");
    let ola = server::seed::user(&app.db, "ola@ngo-b.example.pl", "Ola Zewnętrzna", uuid(&ngo), crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, ola, uuid(&b), domain::org::Role::SocialWorker).await.expect("grant");
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/people/import", app.partnership_a);
    let csv = "Imię i nazwisko;E-mail;Organizacja;Rola\n\
               Jan Doradca;Jan@OPS-A.example.pl;ops a;doradca zawodowy\n\
               Ewa Członek;ewa@ops-a.example.pl;OPS A;kluczowy konsultant\n\
               Zła Rola;zla@ops-a.example.pl;OPS A;kierowca\n\
               Ola Zewnętrzna;ola@ngo-b.example.pl;OPS A;social_worker\n";
    let users = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(&app.db.pool).await.expect("count") };
    let before = users().await;
    let dry = app.post(&path, &json!({"file_name": "kadra.csv", "content": base64::engine::general_purpose::STANDARD.encode(csv), "confirm": false}), &coordinator).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text);
    let dry = dry.json();
    assert_eq!((dry["invited"].as_u64(), dry["added"].as_u64(), dry["skipped"].as_u64(), dry["refused"].as_u64()), (Some(1), Some(1), Some(1), Some(1)), "{dry}");
    assert_eq!(dry["rows"][2]["errors"][0]["column"], "Rola");
    assert_eq!(dry["rows"][0]["link"], "", "a dry run shows no link");
    assert_eq!(users().await, before, "a dry run writes nothing");

    let done = app.post(&path, &json!({"file_name": "kadra.csv", "content": base64::engine::general_purpose::STANDARD.encode(csv), "confirm": true}), &coordinator).await.json();
    let link = done["rows"][0]["link"].as_str().expect("link").to_string();
    assert!(link.starts_with("/konto/"), "{done}");
    let token = link.trim_start_matches("/konto/");
    let r = app.request(axum::http::Method::POST, &format!("/api/v1/account-links/{token}"), Some(&json!({"password": "hasło doradcy 2026"})), None).await;
    assert!(r.status.is_success(), "{}", r.text);
    let jan = app.login_with("jan@ops-a.example.pl", "hasło doradcy 2026").await;
    assert_eq!(app.get("/api/v1/auth/me", &jan).await.json()["memberships"][0]["role"], "job_counsellor");
    let b = app.login("ola@ngo-b.example.pl").await;
    let roles: Vec<String> = app.get("/api/v1/auth/me", &b).await.json()["memberships"].as_array().expect("m").iter().filter_map(|m| m["role"].as_str().map(String::from)).collect();
    assert_eq!(roles.len(), 2, "the account elsewhere gained the role here: {roles:?}");
    // A second time, everyone is in the partnership already (the wrong role still wrong).
    let again = app.post(&path, &json!({"file_name": "kadra.csv", "content": base64::engine::general_purpose::STANDARD.encode(csv), "confirm": true}), &coordinator).await.json();
    assert_eq!((again["skipped"].as_u64(), again["refused"].as_u64()), (Some(3), Some(1)));
    // A consultant may not.
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.post(&path, &json!({"file_name": "kadra.csv", "content": "", "confirm": false}), &consultant).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_staff_list_with_its_own_headers_is_mapped_by_the_coordinator() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/people/import", app.partnership_a);
    // An HR export: its own headers, one column the template has not.
    let csv = "Pracownik;Adres służbowy;Jednostka;Stanowisko w projekcie;Telefon\n\
               Jan Doradca;jan@ops-a.example.pl;OPS A;doradca zawodowy;600100200\n";
    let content = base64::engine::general_purpose::STANDARD.encode(csv);
    let dry = app.post(&path, &json!({"file_name": "kadry.csv", "content": content, "confirm": false}), &coordinator).await.json();
    let recognised: Vec<&str> = dry["columns"].as_array().expect("columns").iter().filter_map(|c| c["field"].as_str()).collect();
    assert_eq!(recognised, ["", "", "", "", ""], "{dry}");
    assert_eq!(dry["refused"].as_u64(), Some(1), "{dry}");
    // Mapped on screen: the same file invites its one person, the phone column skipped.
    let mapping = json!(["display_name", "email", "organisation", "role", ""]);
    let dry = app.post(&path, &json!({"file_name": "kadry.csv", "content": content, "mapping": mapping, "confirm": false}), &coordinator).await.json();
    assert_eq!((dry["invited"].as_u64(), dry["refused"].as_u64()), (Some(1), Some(0)), "{dry}");
    assert_eq!(dry["columns"][1], json!({"header": "Adres służbowy", "field": "email"}));
    // A field given twice, an unknown one, or a mapping of another length is refused.
    for wrong in [json!(["email", "email", "organisation", "role", ""]), json!(["display_name", "email", "organisation", "pesel", ""]), json!(["display_name"])] {
        let r = app.post(&path, &json!({"file_name": "kadry.csv", "content": content, "mapping": wrong, "confirm": false}), &coordinator).await;
        assert_eq!((r.status, r.json()["errors"][0]["pointer"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("/mapping")), "{}", r.text);
    }
    let done = app.post(&path, &json!({"file_name": "kadry.csv", "content": content, "mapping": mapping, "confirm": true}), &coordinator).await.json();
    assert_eq!(done["invited"].as_u64(), Some(1), "{done}");
    let jan: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'jan@ops-a.example.pl'").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(jan, 1);
}

#[tokio::test]
async fn people_without_a_pesel_are_known_again_by_their_document() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/import", app.partnership_a);
    let csv = "Nazwisko;Imiona;Data urodzenia;Płeć;Rodzaj dokumentu;Numer dokumentu;Miejscowość;Zgoda;Data zgody\n\
               Bezpeselowa;Olena;04.05.1990;K;paszport;FE 123456;Kielce;tak;10.01.2026\n\
               Drugi;Taras;1988-02-03;M;Karta pobytu;RC-998877;Kielce;tak;10.01.2026\n\
               Trzeci;Ivan;1979-12-01;M;legitymacja;X1;Kielce;tak;10.01.2026\n";
    let first = app.post(&path, &body("bez-peselu.csv", csv.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!((first["created"].as_u64(), first["refused"].as_u64()), (Some(2), Some(1)), "{first}");
    // An unknown document kind is named at its column.
    let refused = first["rows"].as_array().expect("rows").iter().find(|r| r["outcome"] == "refused").expect("refused row").clone();
    assert_eq!(refused["errors"][0]["column"], "Rodzaj dokumentu", "{refused}");
    // The same file again, and the same documents written otherwise, register no one twice.
    let again = app.post(&path, &body("bez-peselu.csv", csv.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!((again["created"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(2)), "{again}");
    let respelled = csv.replace("FE 123456", "fe123456").replace("Karta pobytu;RC-998877", "residence card;rc998877");
    let third = app.post(&path, &body("inaczej.csv", respelled.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!((third["created"].as_u64(), third["skipped"].as_u64()), (Some(0), Some(2)), "{third}");
    assert_eq!(clients(&app).await, 2);
    // Another document of the same kind is another person.
    let other = csv.replace("FE 123456", "FE 654321");
    let fourth = app.post(&path, &body("inny.csv", other.as_bytes(), "skip", true), &coordinator).await.json();
    assert_eq!(fourth["created"].as_u64(), Some(1), "{fourth}");
}
