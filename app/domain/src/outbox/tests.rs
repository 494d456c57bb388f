//! The device store's rules: what waits, what is sent, what a refresh keeps.

use super::*;
use crate::client::ClientInput;
use serde_json::json;
use time::macros::date;

fn record(id: Uuid, version: i64, city: &str) -> ClientRecord {
    let mut data = ClientInput::empty(Uuid::nil());
    data.surname = "Nowak".into();
    data.first_names = "Anna".into();
    data.city = city.into();
    data.pesel = crate::ident::Pesel::generate(date!(1985 - 03 - 14), 1, crate::ident::Sex::Female).expect("pesel").as_str().to_string();
    data.consent = true;
    data.consent_date = "2026-01-10".into();
    data.information_by = "Anna Kowalska".into();
    data = data.validate(Lang::Pl, date!(2026 - 11 - 23)).expect("valid").get().clone();
    ClientRecord { version, ..ClientRecord::unsent(id, data) }
}

fn with_city(r: &ClientRecord, city: &str) -> Value {
    let mut v = serde_json::to_value(&r.data).expect("json");
    v["city"] = json!(city);
    v
}

#[test]
fn typing_coalesces_into_one_unsent_change_and_a_sent_change_is_never_altered() {
    let id = Uuid::now_v7();
    let r = record(id, 4, "Łódź");
    let mut s = DeviceStore::new();
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "K"), 1);
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Kraków"), 2);
    assert_eq!(s.waiting(), 1);
    let batch = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]);
    assert_eq!(batch.len(), 1);
    let Op::Edit { base_revision, changes, .. } = &batch[0].op else { panic!("an edit") };
    assert_eq!((*base_revision, changes.len()), (4, 1));
    assert_eq!(changes[0].new, json!("Kraków"));
    // Typing after the send makes a second change that starts from the first.
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Kraków-Nowa Huta"), 3);
    assert_eq!(s.waiting(), 2);
    let again = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]);
    assert_eq!(again[0], batch[0], "a resend is the very same mutation");
    let Op::Edit { changes, .. } = &again[1].op else { panic!("an edit") };
    assert_eq!((changes[0].old.clone(), changes[0].new.clone()), (json!("Kraków"), json!("Kraków-Nowa Huta")));
}

#[test]
fn an_invalid_draft_stays_on_the_device_and_is_not_sent() {
    let id = Uuid::now_v7();
    let mut s = DeviceStore::new();
    let mut empty = record(id, 1, "Łódź").data;
    empty.first_names = String::new();
    s.edit(DocType::Client, id, None, serde_json::to_value(&empty).expect("json"), 1);
    assert!(s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]).is_empty());
    assert_eq!(s.waiting(), 1);
    empty.first_names = "Anna".into();
    s.edit(DocType::Client, id, None, serde_json::to_value(&empty).expect("json"), 2);
    let batch = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]);
    assert!(matches!(batch[0].op, Op::Create { .. }));
}

#[test]
fn a_refused_change_keeps_the_draft_and_its_errors_and_the_next_edit_resends_everything() {
    let id = Uuid::now_v7();
    let r = record(id, 1, "Łódź");
    let mut s = DeviceStore::new();
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Radom"), 1);
    let batch = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]);
    let errors = vec![FieldError { pointer: "/city".into(), code: "x".into(), message: "nie".into() }];
    s.apply_results(&[MutationResult { mutation_id: batch[0].id, outcome: Outcome::Rejected { errors: errors.clone() } }], 5);
    assert_eq!(s.waiting(), 0);
    assert_eq!(s.docs[&id].errors, errors);
    assert_eq!(s.docs[&id].local["city"], "Radom");
    assert_eq!(s.rejected.len(), 1);
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Radom Zachód"), 6);
    let Op::Edit { changes, .. } = &s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[])[0].op else { panic!("an edit") };
    assert_eq!((changes[0].old.clone(), changes[0].new.clone()), (json!("Łódź"), json!("Radom Zachód")));
}

#[test]
fn notes_written_offline_show_in_writing_order_until_confirmed() {
    let client = Uuid::now_v7();
    let mut s = DeviceStore::new();
    s.notes.push(Note { id: Uuid::now_v7(), client_id: client, text: "druga".into(), written_at: 20, author_name: "A".into() });
    s.add_note(client, "trzecia".into(), 30);
    s.add_note(client, "pierwsza".into(), 10);
    let texts: Vec<(String, bool)> = s.notes_of(client).into_iter().map(|(n, p)| (n.text, p)).collect();
    assert_eq!(texts, [("pierwsza".to_string(), true), ("druga".to_string(), false), ("trzecia".to_string(), true)]);
    let batch = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]);
    let results: Vec<MutationResult> = batch.iter().map(|m| MutationResult { mutation_id: m.id, outcome: Outcome::Applied { revision: 0 } }).collect();
    s.apply_results(&results, 40);
    assert_eq!(s.waiting(), 0);
    assert_eq!(s.notes_of(client).iter().filter(|(_, pending)| !pending).count(), 3);
}

#[test]
fn a_draft_written_by_an_older_app_version_waits_for_review_and_is_never_dropped() {
    let id = Uuid::now_v7();
    let r = record(id, 1, "Łódź");
    let mut s = DeviceStore::new();
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Radom"), 1);
    // As if an older version of the app had written this draft.
    s.docs.get_mut(&id).expect("doc").schema_version = 0;
    assert!(s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]).is_empty());
    assert_eq!(s.waiting(), 1);
    assert_eq!(s.docs[&id].local["city"], "Radom");
    // The person opens and saves it: it is written in the current schema and sent.
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Radom"), 2);
    assert_eq!(s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[]).len(), 1);
}

#[test]
fn a_refresh_never_overwrites_a_draft_with_waiting_changes() {
    let id = Uuid::now_v7();
    let r = record(id, 1, "Łódź");
    let mut s = DeviceStore::new();
    s.edit(DocType::Client, id, Some(&r), with_city(&r, "Radom"), 1);
    let newer = record(id, 2, "Gdańsk");
    s.refresh(Caseload { clients: vec![newer], notes: vec![], conflicts: vec![], documents: vec![], older_notes: vec![] }, vec![], 2);
    assert_eq!(s.docs[&id].local["city"], "Radom");
    assert_eq!(s.docs[&id].server.as_ref().map(|r| r.version), Some(2));
}

#[test]
fn a_refresh_names_only_the_clients_whose_server_copy_changed() {
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut s = DeviceStore::new();
    let load = |notes: Vec<Note>, version_b: i64| Caseload {
        clients: vec![record(a, 1, "Łódź"), record(b, version_b, "Radom")],
        notes,
        conflicts: vec![],
        documents: vec![],
        older_notes: vec![],
    };
    assert_eq!(s.refresh(load(vec![], 1), vec![], 1).len(), 2, "both are new to the device");
    assert!(s.refresh(load(vec![], 1), vec![], 2).is_empty(), "nothing changed: no page reads again");
    assert_eq!(s.refresh(load(vec![], 2), vec![], 3), vec![b]);
    let note = Note { id: Uuid::now_v7(), client_id: a, text: "wizyta".into(), written_at: 1, author_name: "A".into() };
    assert_eq!(s.refresh(load(vec![note.clone()], 2), vec![], 4), vec![a]);
    assert!(s.refresh(load(vec![note.clone()], 2), vec![], 5).is_empty());
    // b leaves the caseload.
    let only_a = Caseload { clients: vec![record(a, 1, "Łódź")], notes: vec![note], conflicts: vec![], documents: vec![], older_notes: vec![] };
    assert_eq!(s.refresh(only_a, vec![], 6), vec![b]);
}

#[test]
fn the_device_knows_which_older_notes_stayed_on_the_server() {
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut s = DeviceStore::new();
    let load = |older: Vec<OlderNotes>| Caseload {
        clients: vec![record(a, 1, "Łódź"), record(b, 1, "Radom")],
        notes: vec![],
        conflicts: vec![],
        documents: vec![],
        older_notes: older,
    };
    s.refresh(load(vec![OlderNotes { client_id: a, count: 340 }]), vec![], 1);
    assert_eq!((s.older_notes(a), s.older_notes(b)), (340, 0));
    s.refresh(load(vec![OlderNotes { client_id: a, count: 341 }]), vec![], 2);
    assert_eq!(s.older_notes(a), 341, "replaced, not added");
    s.refresh(load(vec![]), vec![], 3);
    assert_eq!(s.older_notes(a), 0);
}

/// Case documents on the device: their context, schema and batches.
mod case_docs {
    use super::*;
    use crate::api::Membership;
    use crate::docs::Partner;
    use crate::org::{OrgType, PartnershipKind, Role};
    use serde_json::json;
    use time::macros::date;

    fn membership(partnership: Uuid, types: &[OrgType]) -> Membership {
        Membership {
            partnership_id: partnership,
            partnership_name: "P".into(),
            partnership_kind: PartnershipKind::Local,
            role: Role::Coordinator,
            partners: types.iter().map(|t| Partner { organisation_id: Uuid::now_v7(), name: t.as_str().into(), org_type: *t }).collect(),
            custom_services: vec![],
        }
    }

    #[test]
    fn a_document_of_a_client_outside_the_caseload_is_checked_against_its_own_partnership() {
        let (client, partnership) = (Uuid::now_v7(), Uuid::now_v7());
        let doc_id = doc_id_for(client, DocType::Ipd);
        let mut s = DeviceStore::new();
        let doc = json!({"client_id": client, "social": {"tasks_ops": [{"id": "t", "task": "Terapia", "owner": "ops"}]}});
        s.edit_doc(DocType::Ipd, doc_id, partnership, None, doc, 1);
        // The client record is not on this device; the editor's partnership has an OPS.
        let batch = s.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[membership(partnership, &[OrgType::Ops])]);
        assert!(matches!(batch[0].op, Op::Create { doc_type: DocType::Ipd, .. }));
        // In a partnership without an OPS the same task stays on the device.
        let mut t = DeviceStore::new();
        let doc = json!({"client_id": client, "social": {"tasks_ops": [{"id": "t", "task": "Terapia", "owner": "ops"}]}});
        t.edit_doc(DocType::Ipd, doc_id, partnership, None, doc, 1);
        assert!(t.next_batch(10, Lang::Pl, date!(2026 - 11 - 23), &[membership(partnership, &[OrgType::Ngo])]).is_empty());
        assert_eq!(t.waiting(), 1);
    }
}
