//! The accessibility statement (deklaracja dostępności), linked from every page's
//! footer and readable without signing in; the installation's operator and contact
//! come from its configuration (`GET /api/v1/accessibility`). Element ids and ISO
//! dates follow the official template, which checking tools read (`a11y-…`).

use domain::api::AccessibilityContact;
use domain::statement::PREPARED;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let lang = use_lang();
    let contact = LocalResource::new(|| async { api::get_anonymous::<AccessibilityContact>("/api/v1/accessibility").await.unwrap_or_default() });
    let who = move || contact.get().unwrap_or_default();
    let date = PREPARED;
    view! {
        <h1>{tr("st.title")}</h1>
        <article class="card statement" id="accessibility-statement">
            <p id="a11y-wstep">
                <span id="a11y-podmiot">{move || {
                    let operator = who().operator;
                    if operator.is_empty() { domain::i18n::t(lang.get(), "st.operator_unset").to_string() } else { operator }
                }}</span>
                " " {tr("st.intro")}
            </p>
            <h2>{tr("st.dates")}</h2>
            <dl class="facts">
                <dt>{tr("st.published")}</dt><dd id="a11y-data-publikacja">{date}</dd>
                <dt>{tr("st.updated")}</dt><dd id="a11y-data-aktualizacja">{date}</dd>
            </dl>
            <h2>{tr("st.status")}</h2>
            <p id="a11y-status">{tr("st.status_text")}</p>
            <ul>
                <li>{tr("st.gap.print")}</li>
                <li>{tr("st.gap.gantt")}</li>
                <li>{tr("st.gap.audit")}</li>
            </ul>
            <h2>{tr("st.prepared")}</h2>
            <p>{tr("st.prepared_on")} " " <span id="a11y-data-sporzadzenie">{date}</span> ". " {tr("st.method")}</p>
            <p>{tr("st.reviewed_on")} " " {date} "."</p>
            <h2>{tr("st.features")}</h2>
            <p>{tr("st.features_text")}</p>
            <h2>{tr("st.feedback")}</h2>
            <p>{tr("st.feedback_text")}</p>
            {move || {
                let c = who();
                if c.contact.is_empty() && c.email.is_empty() && c.phone.is_empty() {
                    view! { <p id="a11y-kontakt">{tr("st.contact_unset")}</p> }.into_any()
                } else {
                    let mail = format!("mailto:{}", c.email);
                    let tel = format!("tel:{}", c.phone.replace(' ', ""));
                    view! {
                        <dl class="facts" id="a11y-kontakt">
                            <dt>{tr("st.contact")}</dt><dd id="a11y-osoba">{c.contact.clone()}</dd>
                            <dt>{tr("st.email")}</dt><dd id="a11y-email"><a class="link-target" href=mail>{c.email.clone()}</a></dd>
                            <dt>{tr("st.phone")}</dt><dd id="a11y-telefon"><a class="link-target" href=tel>{c.phone.clone()}</a></dd>
                        </dl>
                    }.into_any()
                }
            }}
            <h2 id="a11y-procedura">{tr("st.procedure")}</h2>
            <p>{tr("st.procedure_1")}</p>
            <p>{tr("st.procedure_2")}</p>
            <p>{tr("st.procedure_3")}</p>
            <p>{tr("st.procedure_4")}</p>
            <p><a class="link-target" href="https://bip.brpo.gov.pl/" rel="external">{tr("st.rpo")}</a></p>
            <h2 id="a11y-aplikacje">{tr("st.mobile")}</h2>
            <p>{tr("st.mobile_text")}</p>
        </article>
    }
}
