//! The information clause (GDPR art. 13) printed for a client: one page per
//! organisation of the partnership, each its own controller with its own retention,
//! in Polish as the official forms are, with the day it was given and a line for the
//! person's signature. The text is `domain::clause`'s.

use domain::clause::{self, ClauseFacts};
use domain::validation::format_iso_date;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api;
use crate::i18n::tr;
use crate::pages::components::widgets::{ErrorNotice, Loading};

#[component]
pub fn ClausePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let facts = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::get::<ClauseFacts>(&format!("/api/v1/clients/{id}/information-clause")).await,
                None => Err(api::ApiError::NotFound),
            }
        }
    });
    view! {
        <div class="print-toolbar no-print">
            {move || id().map(|id| view! { <a class="button secondary" href=format!("/clients/{id}")>{tr("doc.back")}</a> })}
            <button type="button" id="print-now" on:click=move |_| crate::browser::print()>{tr("doc.print_now")}</button>
            <h1 class="print-heading">{tr("client.print_clause")}</h1>
        </div>
        {move || match facts.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(f)) => view! { <Clauses f/> }.into_any(),
        }}
    }
}

#[component]
fn Clauses(f: ClauseFacts) -> impl IntoView {
    let given = if f.information_date.is_empty() {
        "Klauzulę przekazano dnia: ....................  przez: ........................................".to_string()
    } else {
        format!("Klauzulę przekazano dnia {} — {}", format_iso_date(&f.information_date), f.information_by)
    };
    f.organisations
        .iter()
        .map(|org| {
            let sections = clause::sections(&f, org);
            view! {
                <article class="print-doc clause" data-doc="clause" lang="pl">
                    <h2 class="p-title">"Klauzula informacyjna"</h2>
                    <p class="p-subtitle">"art. 13 RODO — " {org.name.clone()}</p>
                    <p>"Dotyczy: " <strong>{f.client_name.clone()}</strong></p>
                    {sections.into_iter().map(|(heading, text)| view! { <h3>{heading}</h3><p>{text}</p> }).collect_view()}
                    <p class="p-declaration">{given.clone()}</p>
                    <div class="p-signatures">
                        <p>"............................................"<br/>"data i podpis osoby przekazującej"</p>
                        <p>"............................................"<br/>"Zapoznałam/em się z klauzulą — data i podpis"</p>
                    </div>
                </article>
            }
        })
        .collect_view()
}
