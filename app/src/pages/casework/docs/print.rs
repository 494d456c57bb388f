//! Print views on the official layouts of the partnership guide's forms (A4,
//! headings and numbering as on the form, signature lines; the social contract in
//! two copies). The official documents are Polish, so they print in Polish
//! whatever the interface language. They render from the device's copy when the
//! server cannot be reached, so printing works offline too.
//!
//! Each kind draws its own view, next to its form in the kind's module; this one
//! holds the page, the pieces the views share and the choice of view.

use domain::client::{display_name, ClientInput};
use domain::docs::{doc_id_for, DocRecord};
use domain::docs::DocType;
use domain::validation::format_iso_date;
use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::{assessment, contract, effects, freshest, ipd, partnership_of, path, services, support, tab_key};
use crate::api;
use crate::i18n::tr;
use crate::offline::use_offline;

pub(super) fn pl(key: &str) -> String {
    domain::i18n::t(Lang::Pl, key).to_string()
}

pub(super) fn date(s: &str) -> String {
    format_iso_date(s)
}

#[component]
pub fn PrintPage() -> impl IntoView {
    let params = use_params_map();
    let engine = use_offline();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let doc_type = Memo::new(move |_| params.with(|p| p.get("doc").and_then(|s| DocType::parse(&s))).filter(|t| *t != DocType::Client));
    let client = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}", id.get().unwrap_or_default());
        async move { api::get::<domain::api::ClientRecord>(&url).await }
    });
    let docs = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}/documents", id.get().unwrap_or_default());
        async move { api::get::<Vec<DocRecord>>(&url).await }
    });
    let body = move || {
        let (id, doc_type) = (id.get()?, doc_type.get()?);
        let (c, d) = (client.get()?, docs.get()?);
        let doc_id = doc_id_for(id, doc_type);
        let cached_client = || engine.cached(id).and_then(|d| serde_json::from_value::<ClientInput>(d.local).ok());
        let data = match c {
            Ok(r) => Some(r.data),
            Err(_) => cached_client(),
        };
        let name = data.as_ref().map(|c| display_name(&c.kind, &c.surname, &c.first_names, &c.name)).unwrap_or_default();
        let value = freshest(doc_id, d.ok()).map(|(v, _)| v);
        let partners = data
            .as_ref()
            .and_then(|c| partnership_of(c.partnership_id))
            .map(|p| (p.partners, p.custom.get_untracked()))
            .unwrap_or_default();
        Some(match value {
            None => view! { <p class="notice" id="print-missing">{tr("doc.unavailable")}</p> }.into_any(),
            Some(v) => render(doc_type, &v, &name, &partners).unwrap_or_else(|| view! { <p class="notice error">{tr("doc.unavailable")}</p> }.into_any()),
        })
    };
    view! {
        <div class="print-toolbar no-print">
            {move || id.get().map(|id| view! { <a class="button secondary" href=format!("/clients/{id}?tab={}", doc_type.get().map(DocType::as_str).unwrap_or("client"))>{tr("doc.back")}</a> })}
            <button type="button" id="print-now" on:click=move |_| crate::browser::print()>{tr("doc.print_now")}</button>
            {move || doc_type.get().map(|t| view! { <h1 class="print-heading">{tr(tab_key(t))}</h1> })}
        </div>
        {move || body().unwrap_or_else(|| view! { <p class="loading no-print">{tr("app.loading")}</p> }.into_any())}
    }
}

fn typed<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

pub(super) type PartnershipData = (Vec<domain::docs::Partner>, Vec<domain::docs::CustomService>);

fn render(doc_type: DocType, v: &Value, name: &str, p: &PartnershipData) -> Option<AnyView> {
    Some(match doc_type {
        DocType::Assessment => assessment::print_view(&typed(v)?, name),
        DocType::Ipd => ipd::print_view(&typed(v)?, name),
        DocType::Contract => contract::print_view(&typed(v)?),
        DocType::Services => services::print_view(&typed(v)?, name, p),
        DocType::Effects => effects::print_view(&typed(v)?, name),
        DocType::Path => path::print_view(&typed(v)?, name),
        DocType::Support => support::print_view(&typed(v)?, name),
        DocType::Client => return None,
    })
}

pub(super) fn line(label: String, value: String) -> impl IntoView {
    view! { <div class="p-line"><span class="p-label">{label}</span> <span class="p-value">{value}</span></div> }
}

pub(super) fn block(label: String, value: String) -> impl IntoView {
    view! { <div class="p-block"><p class="p-label">{label}</p><p class="p-value">{value}</p></div> }
}

pub(super) fn signatures(captions: Vec<String>) -> impl IntoView {
    view! {
        <div class="p-signatures">
            {captions.into_iter().map(|c| view! { <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{c}</span></div> }).collect_view()}
        </div>
    }
}
