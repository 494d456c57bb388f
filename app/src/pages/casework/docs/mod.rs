//! The case documents on the client card: one tab per document, an editor that
//! keeps every keystroke on the device (encrypted, synced when the network
//! allows), the document's state, its history with a diff of any two versions,
//! and the print views.

mod form_common;
pub mod print;

mod assessment;
mod contract;
mod effects;
mod ipd;
mod path;
mod services;
mod support;

use domain::docs::{self, doc_id_for, CustomService, DocContext, DocRecord, Partner};
use domain::merge::{self, pointer};
use domain::sync::{validate_doc, DocVersion, Version};
use domain::docs::DocType;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::Value;
use uuid::Uuid;

use crate::pages::components::fields::DocCtx;
use crate::pages::components::widgets::TableScroll;
use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};
use crate::offline::{use_offline, Lock};

/// Whether the client's data are read-only whatever the device's lock: their
/// processing is restricted (GDPR art. 18). The card provides it.
#[derive(Clone, Copy)]
pub struct ReadOnly(pub Signal<bool>);

/// Whether the card's client is read-only (false where no card provides it).
pub fn read_only() -> Signal<bool> {
    use_context::<ReadOnly>().map_or_else(|| Signal::derive(|| false), |r| r.0)
}

/// The partnership a client belongs to, as its documents see it.
#[derive(Clone)]
pub struct Partnership {
    pub id: Uuid,
    pub partners: Vec<Partner>,
    pub custom: RwSignal<Vec<CustomService>>,
    pub steers: bool,
}

pub fn tab_key(t: DocType) -> &'static str {
    t.label_key()
}

/// The tab chosen in the address (`?tab=ipd`), so a reload keeps it.
pub fn use_tab() -> Memo<Option<DocType>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("tab")).and_then(|t| DocType::parse(&t)).filter(|t| *t != DocType::Client))
}

#[component]
pub fn DocTabs(client: Uuid, tab: Memo<Option<DocType>>) -> impl IntoView {
    let all = std::iter::once(DocType::Client).chain(DocType::CASE_DOCS.iter().copied());
    view! {
        <nav class="doc-tabs" aria-label=tr("doc.tabs")>
            {all.map(|t| {
                let href = match t {
                    DocType::Client => format!("/clients/{client}"),
                    other => format!("/clients/{client}?tab={}", other.as_str()),
                };
                let current = move || (tab.get().unwrap_or(DocType::Client) == t).then_some("page");
                view! { <a href=href data-tab=t.as_str() aria-current=current>{tr(tab_key(t))}</a> }
            }).collect_view()}
        </nav>
    }
}

/// What a new document starts from: empty, and for the contract the person's
/// data from the client record.
pub fn prefill(doc_type: DocType, client: Uuid, data: Option<&domain::client::ClientInput>) -> Value {
    let mut v = docs::empty(doc_type, client);
    if let (DocType::Contract, Some(c)) = (doc_type, data) {
        v["person"]["surname"] = Value::String(c.surname.clone());
        v["person"]["first_name"] = Value::String(c.first_names.clone());
        let address = [c.street_address.as_str(), c.postal_code.as_str(), c.city.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ");
        v["person"]["address"] = Value::String(address);
        v["person"]["pesel"] = Value::String(c.pesel.clone());
    }
    v
}

/// The copy of a case document to show, with the server's record of it: what
/// waits on the device wins; otherwise the server's copy (from `server`, the
/// client's documents as fetched, `None` when unreachable) is the freshest; the
/// device's copy when the server cannot be reached. `None` when neither has it.
pub fn freshest(doc_id: Uuid, server: Option<Vec<DocRecord>>) -> Option<(Value, Option<DocRecord>)> {
    let engine = use_offline();
    let record = server.and_then(|list| list.into_iter().find(|d| d.id == doc_id));
    let local = engine.cached(doc_id).filter(|d| !d.local.is_null());
    match (local, record) {
        (Some(d), r) if engine.has_pending(doc_id) => Some((d.local, r.or(d.record))),
        (_, Some(r)) => Some((r.data.clone(), Some(r))),
        (Some(d), None) => Some((d.local, d.record)),
        (None, None) => None,
    }
}

/// The tab of one case document: waits for the device store and the server (or
/// their absence), then edits the freshest copy.
#[component]
pub fn DocEditor(client: Uuid, doc_type: DocType, partnership: Partnership, start: Value) -> impl IntoView {
    let engine = use_offline();
    let doc_id = doc_id_for(client, doc_type);
    let server = LocalResource::new(move || async move { api::get::<Vec<DocRecord>>(&format!("/api/v1/clients/{client}/documents")).await });
    let initial = RwSignal::new(None::<(Value, Option<DocRecord>)>);
    let start = StoredValue::new(start);
    Effect::new(move |_| {
        if initial.with_untracked(Option::is_some) || engine.lock.get() == Lock::Unknown {
            return;
        }
        let Some(fetched) = server.get() else { return };
        let chosen = untrack(|| freshest(doc_id, fetched.ok())).unwrap_or_else(|| (start.get_value(), None));
        initial.set(Some(chosen));
    });
    provide_context(partnership.clone());
    view! {
        <section class="card doc" data-doc=doc_type.as_str() aria-labelledby="doc-title">
            <div class="card-head">
                <h2 id="doc-title">{tr(tab_key(doc_type))}</h2>
                <a class="button secondary" id="print-doc" href=format!("/clients/{client}/print/{}", doc_type.as_str())>{tr("doc.print")}</a>
            </div>
            {move || match initial.get() {
                Some((value, record)) => view! { <Editor client doc_type value record partnership=partnership.clone()/> }.into_any(),
                None => view! { <p class="loading">{tr("app.loading")}</p> }.into_any(),
            }}
        </section>
        <DocHistory client doc_id/>
    }
}

#[component]
fn Editor(client: Uuid, doc_type: DocType, value: Value, record: Option<DocRecord>, partnership: Partnership) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let doc_id = doc_id_for(client, doc_type);
    let value = RwSignal::new(value);
    let record = StoredValue::new(record);
    let p = partnership.clone();
    let errors = Memo::new(move |_| {
        let custom = p.custom.get();
        let ctx = DocContext { today: api::today(), partners: &p.partners, custom_services: &custom };
        value.with(|v| validate_doc(doc_type, v, lang.get(), &ctx).err().unwrap_or_default())
    });
    let restricted = read_only();
    let readonly = Signal::derive(move || engine.lock.get() != Lock::Open || restricted.get());
    let partnership_id = partnership.id;
    let save = Callback::new(move |_| engine.edit_doc(doc_type, doc_id, partnership_id, record.get_value(), value.get_untracked()));
    provide_context(DocCtx { value, errors, save, readonly });

    // When a sync brings a newer server copy and nothing of ours waits, show it:
    // another device's merged fields, or a conflict someone resolved.
    let seen = StoredValue::new(record.with_value(|r| r.as_ref().map(|r| r.version)));
    Effect::new(move |_| {
        let fresh = engine.store.with(|s| {
            let s = s.as_ref()?;
            let d = s.docs.get(&doc_id)?;
            let version = d.record.as_ref().map(|r| r.version)?;
            (!s.has_pending(doc_id) && !d.local.is_null()).then(|| (version, d.local.clone(), d.record.clone()))
        });
        if let Some((version, local, rec)) = fresh {
            if seen.get_value() != Some(version) {
                seen.set_value(Some(version));
                record.set_value(rec);
                value.set(local);
            }
        }
    });

    let state = Memo::new(move |_| {
        if readonly.get() {
            return "locked";
        }
        let conflict = engine.store.with(|s| s.as_ref().is_some_and(|s| s.conflicts.iter().any(|c| c.doc_id == doc_id && c.resolved_at.is_empty())));
        let pending = engine.has_pending(doc_id);
        let known = record.with_value(Option::is_some) || engine.cached(doc_id).is_some_and(|d| d.record.is_some());
        if conflict {
            "conflict"
        } else if pending && !errors.with(Vec::is_empty) {
            "invalid"
        } else if pending {
            "waiting"
        } else if known {
            "synced"
        } else {
            "new"
        }
    });
    // A restricted client's document says why it is read-only, not that the device is locked.
    let shown_state = move || if restricted.get() { "restricted" } else { state.get() };
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let is_final = move || value.with(|v| v.get("status").and_then(Value::as_str) == Some("final"));
    let form = match doc_type {
        DocType::Assessment => view! { <assessment::AssessmentForm/> }.into_any(),
        DocType::Ipd => view! { <ipd::IpdForm/> }.into_any(),
        DocType::Contract => view! { <contract::ContractForm/> }.into_any(),
        DocType::Services => view! { <services::ServicesForm/> }.into_any(),
        DocType::Effects => view! { <effects::EffectsForm/> }.into_any(),
        DocType::Path => view! { <path::PathForm/> }.into_any(),
        DocType::Support => view! { <support::SupportForm/> }.into_any(),
        DocType::Client => ().into_any(),
    };
    let has_status = doc_type.has_status();
    view! {
        <p class="doc-status" id="doc-status" role="status" data-state=shown_state>
            {move || t(&format!("doc.state.{}", shown_state()))}
        </p>
        {has_status.then(|| view! {
            <div class="field check final">
                <input type="checkbox" id="doc-final" prop:checked=is_final disabled=move || readonly.get()
                    on:change=move |ev| {
                        let status = if event_target_checked(&ev) { "final" } else { "draft" };
                        value.update(|v| v["status"] = Value::String(status.into()));
                        engine.edit_doc(doc_type, doc_id, partnership_id, record.get_value(), value.get_untracked());
                        // A document marked final that lacks what a final one needs is not
                        // sent: take the person to the first field to complete.
                        if status == "final" && !errors.with_untracked(Vec::is_empty) {
                            crate::browser::focus_first_error();
                        }
                    }/>
                <label for="doc-final">{tr("doc.final")}</label>
                <p class="hint">{tr("doc.final_hint")}</p>
            </div>
        })}
        <fieldset class="doc-form" disabled=move || readonly.get()>
            {form}
        </fieldset>
    }
}

/// The document's versions, who made them and when, and what changed between
/// any two of them.
#[component]
pub fn DocHistory(client: Uuid, doc_id: Uuid) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let changed = engine.changed(client);
    let versions = LocalResource::new(move || {
        let _ = changed.get();
        async move { api::get::<Vec<Version>>(&format!("/api/v1/documents/{doc_id}/history")).await }
    });
    let from = RwSignal::new(None::<i64>);
    let to = RwSignal::new(None::<i64>);
    let diff = RwSignal::new(None::<Result<Vec<merge::Change>, String>>);
    let compare = move |_| {
        let (Some(a), Some(b)) = (from.get_untracked(), to.get_untracked()) else { return };
        leptos::task::spawn_local(async move {
            let (ua, ub) = (format!("/api/v1/documents/{doc_id}/versions/{a}"), format!("/api/v1/documents/{doc_id}/versions/{b}"));
            let result = match (api::get::<DocVersion>(&ua).await, api::get::<DocVersion>(&ub).await) {
                (Ok(x), Ok(y)) => Ok(merge::diff(&x.data, &y.data)),
                (Err(e), _) | (_, Err(e)) => Err(e.message()),
            };
            diff.set(Some(result));
        });
    };
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let list = move || versions.get().and_then(Result::ok).unwrap_or_default();
    Effect::new(move |_| {
        let l = list();
        if to.get_untracked().is_none() && l.len() >= 2 {
            to.set(l.first().map(|v| v.revision));
            from.set(l.get(1).map(|v| v.revision));
        }
    });
    let option = move |v: &Version, chosen: RwSignal<Option<i64>>| {
        let r = v.revision;
        view! { <option value=r.to_string() selected=move || chosen.get() == Some(r)>{format!("{} {r} — {}, {}", t("doc.version"), v.by, v.at)}</option> }
    };
    let shown = move |v: &Value| match v {
        Value::Null => t("doc.empty_value"),
        Value::String(s) if s.is_empty() => t("doc.empty_value"),
        Value::String(s) => s.clone(),
        Value::Bool(b) => t(if *b { "doc.yes" } else { "doc.no" }),
        other => other.to_string(),
    };
    view! {
        <section class="card doc-history" aria-labelledby="doc-history-title">
            <h2 id="doc-history-title">{tr("doc.history")}</h2>
            {move || {
                let l = list();
                if l.is_empty() {
                    return view! { <p class="muted">{tr("doc.no_history")}</p> }.into_any();
                }
                view! {
                    <ol class="plain" id="doc-versions">
                        {l.iter().map(|v| view! {
                            <li class="version"><strong>{format!("{} {}", t("doc.version"), v.revision)}</strong> " — " {v.by.clone()} ", " {v.at.clone()}
                                <span class="muted">" " {v.fields.join(", ")}</span></li>
                        }).collect_view()}
                    </ol>
                    <div class="row compare">
                        <div class="field">
                            <label for="compare-from">{tr("doc.compare_from")}</label>
                            <select id="compare-from" on:change=move |ev| from.set(event_target_value(&ev).parse().ok())>
                                {l.iter().map(|v| option(v, from)).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="compare-to">{tr("doc.compare_to")}</label>
                            <select id="compare-to" on:change=move |ev| to.set(event_target_value(&ev).parse().ok())>
                                {l.iter().map(|v| option(v, to)).collect_view()}
                            </select>
                        </div>
                    </div>
                    <button type="button" class="secondary" id="compare" on:click=compare>{tr("doc.compare")}</button>
                }.into_any()
            }}
            {move || diff.get().map(|d| match d {
                Err(e) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
                Ok(changes) if changes.is_empty() => view! { <p id="diff">{tr("doc.no_diff")}</p> }.into_any(),
                Ok(changes) => view! {
                    <TableScroll label=tr("doc.diff.title")>
                        <table id="diff">
                            <thead><tr><th scope="col">{tr("doc.diff.field")}</th><th scope="col">{tr("doc.diff.before")}</th><th scope="col">{tr("doc.diff.after")}</th></tr></thead>
                            <tbody>
                                {changes.iter().map(|c| view! {
                                    <tr><th scope="row">{pointer(&c.path)}</th><td class="before">{shown(&c.old)}</td><td class="after">{shown(&c.new)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            })}
        </section>
    }
}

/// The partnership context of a client, from the signed-in user's memberships.
pub fn partnership_of(id: Uuid) -> Option<Partnership> {
    let me = use_session().me()?;
    let m = me.memberships.iter().find(|m| m.partnership_id == id)?;
    Some(Partnership { id, partners: m.partners.clone(), custom: RwSignal::new(m.custom_services.clone()), steers: m.role.steers() })
}

/// Every control of every case-document form is bound to a path that exists in the
/// document: forms name fields by strings, and this is what checks them.
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::pages::components::fields::testing;
    use domain::docs;

    #[test]
    fn every_bound_field_path_exists_in_its_document() {
        let mut with_row_controls = 0;
        let mut mismatched = Vec::new();
        for kind in DocType::CASE_DOCS.iter().copied() {
            let doc = testing::fill_rows(docs::empty(kind, Uuid::nil()), |tried| kind.normalise(tried));
            let partnership = || provide_context(Partnership { id: Uuid::nil(), partners: testing::partners(), custom: RwSignal::new(Vec::new()), steers: false });
            let bound = testing::bound_paths(&format!("{kind:?}"), &doc, partnership, || match kind {
                DocType::Assessment => view! { <assessment::AssessmentForm/> }.to_html(),
                DocType::Ipd => view! { <ipd::IpdForm/> }.to_html(),
                DocType::Contract => view! { <contract::ContractForm/> }.to_html(),
                DocType::Services => view! { <services::ServicesForm/> }.to_html(),
                DocType::Effects => view! { <effects::EffectsForm/> }.to_html(),
                DocType::Path => view! { <path::PathForm/> }.to_html(),
                DocType::Support => view! { <support::SupportForm/> }.to_html(),
                DocType::Client => String::new(),
            });
            with_row_controls += usize::from(bound.iter().any(|(p, _)| p.contains("#r1/")));
            // Every field has the label its form shows, in the domain's table, so a
            // conflict in it is titled as the form titles it.
            let shown: std::collections::BTreeSet<(String, String)> =
                bound.iter().map(|(p, l)| (docs::field_labels::pattern(&p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>()), l.clone())).collect();
            let table: std::collections::BTreeSet<(String, String)> =
                docs::field_labels::LABELS.iter().filter(|(k, ..)| *k == kind.as_str()).map(|(_, p, l)| (p.to_string(), l.to_string())).collect();
            if shown != table {
                mismatched.push(shown.iter().map(|(p, l)| format!("    (\"{}\", \"{p}\", \"{l}\"),", kind.as_str())).collect::<Vec<_>>().join("\n"));
            }
        }
        // Every kind but the assessment has tables; their row controls were checked too.
        assert!(with_row_controls >= DocType::CASE_DOCS.len() - 1, "row controls rendered for {with_row_controls} kinds");
        assert!(mismatched.is_empty(), "domain::docs::field_labels::LABELS differs from the forms; for the kinds that differ it should read:\n{}", mismatched.join("\n"));
    }
}
