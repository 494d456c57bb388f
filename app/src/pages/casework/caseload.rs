use domain::api::{ClientPage, ClientSummary};
use domain::caseload::MAX_CASELOAD;
use domain::client::{display_name, ClientInput};
use leptos::prelude::*;

use crate::pages::components::widgets::{ClientTable, ErrorNotice, Loading};
use crate::api::{self, ApiError};
use crate::i18n::tr;
use crate::offline::use_offline;

/// A consultant's start page: the clients they lead, against the limit of 15. Offline
/// it shows the caseload the device took at the last sync, and the drafts of clients
/// registered on this device that the server has not seen yet.
#[component]
pub fn CaseloadPage() -> impl IntoView {
    let engine = use_offline();
    // The server drew the caseload it read; the browser's first render shows the same
    // and asks the API only when the page was not drawn with it.
    let first = crate::page_data::first::<ClientPage>();
    let page = LocalResource::new({
        let first = first.clone();
        move || {
            let first = first.clone();
            async move {
                match first {
                    Some(p) => Ok(p),
                    None => api::get::<ClientPage>(crate::page_data::CASELOAD).await,
                }
            }
        }
    });
    let page = Memo::new(move |_| page.get().or_else(|| first.clone().map(Ok)));
    let summary = |id: uuid::Uuid, c: &ClientInput, consultant: String| ClientSummary {
        id,
        partnership_id: c.partnership_id,
        kind: c.kind,
        display_name: display_name(&c.kind, &c.surname, &c.first_names, &c.name),
        pesel: c.pesel.clone(),
        birth_date: c.birth_date.clone(),
        city: c.city.clone(),
        work_form: c.work_form,
        key_consultant_id: c.key_consultant_id,
        key_consultant_name: consultant,
        status: "active".into(),
    };
    let from_device = move || -> Option<ClientPage> {
        engine.store.with(|s| {
            let s = s.as_ref()?;
            let items: Vec<ClientSummary> = s
                .caseload
                .iter()
                .filter_map(|id| {
                    let d = s.docs.get(id)?;
                    let c = serde_json::from_value::<ClientInput>(d.local.clone()).ok()?;
                    Some(summary(*id, &c, d.server.as_ref().map(|r| r.key_consultant_name.clone()).unwrap_or_default()))
                })
                .collect();
            Some(ClientPage { total: items.len() as i64, total_capped: false, items, limit: 200, next: None })
        })
    };
    let drafts = move || -> Vec<ClientSummary> {
        engine.store.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.docs
                        .iter()
                        .filter(|(_, d)| d.server.is_none())
                        .filter_map(|(id, d)| serde_json::from_value::<ClientInput>(d.local.clone()).ok().map(|c| summary(*id, &c, String::new())))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let session = crate::session::use_session();
    let steers = move || session.me().is_some_and(|m| m.steers_any());
    view! {
        <h1>{tr("caseload.title")}</h1>
        // A coordinator starts from the dashboard: what needs attention comes first.
        <Show when=steers>
            <p class="notice" id="to-dashboard"><a class="link-target" href="/dashboard">{tr("dash.open")}</a></p>
        </Show>
        {move || match page.get() {
            None => view! { <Loading/> }.into_any(),
            Some(result) => {
                let (p, offline) = match result {
                    Ok(p) => (p, false),
                    Err(e @ ApiError::Unauthorized) => return view! { <ErrorNotice error=e/> }.into_any(),
                    Err(e) => match from_device() {
                        Some(p) => (p, true),
                        None => return view! { <ErrorNotice error=e/> }.into_any(),
                    },
                };
                let full = p.total >= MAX_CASELOAD;
                view! {
                    {offline.then(|| view! { <p class="notice" role="status" id="caseload-offline">{tr("caseload.offline")}</p> })}
                    <p class="caseload-count" class:full=full id="caseload-count">
                        {tr("caseload.count")} " " <strong>{p.total}</strong> " " {tr("caseload.of")} " "
                        {MAX_CASELOAD} " " {tr("caseload.clients")}
                    </p>
                    <meter min="0" max=MAX_CASELOAD value=p.total high=MAX_CASELOAD - 1 optimum="0"
                        aria-labelledby="caseload-count"></meter>
                    {full.then(|| view! { <p class="notice warn" role="status">{tr("caseload.full")}</p> })}
                    {if p.items.is_empty() {
                        view! { <p class="notice">{tr("caseload.empty")}</p> }.into_any()
                    } else {
                        view! { <ClientTable clients=p.items/> }.into_any()
                    }}
                }.into_any()
            }
        }}
        {move || {
            let list = drafts();
            (!list.is_empty()).then(|| view! {
                <section class="card" id="drafts" aria-labelledby="drafts-title">
                    <h2 id="drafts-title">{tr("caseload.drafts")}</h2>
                    <ClientTable clients=list/>
                </section>
            })
        }}
    }
}
