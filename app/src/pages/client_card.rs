use domain::api::ClientRecord;
use domain::validation::format_iso_date;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::widgets::{work_form_key, ErrorNotice, Loading};
use crate::api;
use crate::i18n::{tr, use_lang};

#[component]
pub fn ClientCardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let record = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}", id());
        async move { api::get::<ClientRecord>(&url).await }
    });
    view! {
        <h1>{tr("client.card_title")}</h1>
        {move || match record.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(r)) => view! { <Card r/> }.into_any(),
        }}
    }
}

#[component]
fn Row(label: &'static str, value: String) -> impl IntoView {
    (!value.is_empty()).then(|| view! { <dt>{tr(label)}</dt><dd>{value}</dd> })
}

#[component]
fn Card(r: ClientRecord) -> impl IntoView {
    let lang = use_lang();
    let d = r.data.clone();
    let person = d.kind.is_person();
    let name = domain::client::display_name(&d.kind, &d.surname, &d.first_names, &d.name);
    let sex_key = format!("client.sex.{}", d.sex);
    let kind_key = format!("client.kind.{}", d.kind.as_str());
    let doc_key = format!("client.id_document_type.{}", d.id_document_type);
    let wf = work_form_key(d.work_form);
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    view! {
        <section class="card">
            <div class="card-head">
                <h2 id="client-name">{name}</h2>
                <a class="button" href=format!("/clients/{}/edit", r.id)>{tr("client.edit")}</a>
            </div>
            <dl class="facts">
                <dt>{tr("client.kind")}</dt><dd>{move || t(&kind_key)}</dd>
                <dt>{tr("client.status")}</dt><dd>{ let k = format!("client.status.{}", r.status); move || t(&k) }</dd>
                {person.then(|| view! {
                    <Row label="client.pesel" value=d.pesel.clone()/>
                    {(!d.id_document_type.is_empty()).then(|| { let doc_key = doc_key.clone(); view! {
                        <dt>{tr("client.id_document_type")}</dt><dd>{move || t(&doc_key)} " " {d.id_document_number.clone()}</dd>
                    }})}
                    <Row label="client.birth_date" value=format_iso_date(&d.birth_date)/>
                    <dt>{tr("client.sex")}</dt><dd>{ let k = sex_key.clone(); move || t(&k) }</dd>
                    <Row label="client.consent_date" value=format_iso_date(&d.consent_date)/>
                })}
                {(!person).then(|| view! {
                    <Row label="client.entity_type" value=d.entity_type.clone()/>
                    <Row label="client.krs" value=d.krs.clone()/>
                    <Row label="client.regon" value=d.regon.clone()/>
                    <Row label="client.contact_person" value=d.contact_person.clone()/>
                })}
                <Row label="client.street_address" value=d.street_address.clone()/>
                <Row label="client.postal_code" value=d.postal_code.clone()/>
                <Row label="client.city" value=d.city.clone()/>
                <Row label="client.phone" value=d.phone.clone()/>
                <dt>{tr("client.work_form")}</dt><dd>{move || t(wf)}</dd>
                <Row label="client.key_consultant" value=r.key_consultant_name.clone()/>
                <Row label="client.created" value=r.created_at.clone()/>
                <Row label="client.updated" value=r.updated_at.clone()/>
            </dl>
            {(!d.caseload_override_reason.is_empty()).then(|| view! {
                <div class="notice warn" id="override-reason">
                    <p><strong>{tr("client.override_kept")}</strong> " " {r.caseload_override_by.clone()}</p>
                    <p>{d.caseload_override_reason.clone()}</p>
                </div>
            })}
        </section>
    }
}
