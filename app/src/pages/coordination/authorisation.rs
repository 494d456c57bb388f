//! The printed authorisation to process personal data (upoważnienie), as a Polish
//! public body issues it to each employee who reads clients' data: Polish whatever the
//! interface language, with the partnership, the role, the period and both signatures.

use domain::people::Person;
use domain::validation::format_iso_date;
use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::api;
use crate::i18n::tr;
use crate::session::use_session;

fn pl(key: &str) -> String {
    domain::i18n::t(Lang::Pl, key).to_string()
}

#[component]
pub fn AuthorisationPrintPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let session = use_session();
    let person = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let partnership = Memo::new(move |_| query.with(|q| q.get("partnership").and_then(|s| Uuid::parse_str(&s).ok())));
    let people = LocalResource::new(move || {
        let p = partnership.get();
        async move {
            match p {
                Some(p) => api::get::<Vec<Person>>(&format!("/api/v1/partnerships/{p}/people")).await.ok(),
                None => None,
            }
        }
    });
    let body = move || {
        let list = people.get()?;
        let Some(who) = list.and_then(|l| l.into_iter().find(|x| Some(x.user_id) == person.get())) else {
            return Some(view! { <p class="notice" id="print-missing">{tr("doc.unavailable")}</p> }.into_any());
        };
        let partnership_name = session
            .me()
            .and_then(|m| m.memberships.into_iter().find(|m| Some(m.partnership_id) == partnership.get()))
            .map(|m| m.partnership_name)
            .unwrap_or_default();
        let a = who.authorisation.clone();
        let until = if a.expires.is_empty() { pl("auth.until_revoked") } else { format_iso_date(&a.expires) };
        Some(view! {
            <article class="print-doc" data-doc="authorisation" lang="pl">
                <h2 class="p-title">{pl("auth.title")} " nr " <span id="auth-number">{a.number.clone()}</span></h2>
                <p class="p-subtitle">{pl("auth.subtitle")}</p>
                <p>{pl("auth.basis")}</p>
                <p class="p-chosen" id="auth-person">{who.display_name.clone()}</p>
                <p>{pl("auth.employed")} " " {who.organisation_name.clone()}</p>
                <p>{pl("auth.scope")} " „" {partnership_name} "” " {pl("auth.scope_system")} " " <strong>{pl(who.role.i18n_key())}</strong>"."</p>
                <p>{pl("auth.period")} " " {format_iso_date(&a.issued)} " " {pl("auth.to")} " " {until}". " {pl("auth.ends")}</p>
                <p>{pl("auth.secrecy")}</p>
                <div class="p-signatures">
                    <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{pl("auth.sig_controller")}</span></div>
                </div>
                <p class="p-declaration">{pl("auth.declaration")}</p>
                <div class="p-signatures">
                    <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{pl("doc.place_date")}</span></div>
                    <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{pl("auth.sig_person")}</span></div>
                </div>
            </article>
        }
        .into_any())
    };
    view! {
        <div class="print-toolbar no-print">
            <a class="button secondary" href="/people">{tr("doc.back")}</a>
            <button type="button" id="print-now" on:click=move |_| crate::browser::print()>{tr("doc.print_now")}</button>
            <h1 class="print-heading">{tr("people.authorisation_title")}</h1>
        </div>
        {move || body().unwrap_or_else(|| view! { <p class="loading no-print">{tr("app.loading")}</p> }.into_any())}
    }
}
