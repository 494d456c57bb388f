//! The services delivered to a client — their form and their print view.

use domain::docs::services::{self, Services, CUSTOM_PREFIX};
use leptos::prelude::*;
use serde_json::json;

use crate::pages::components::fields::{Check, Rows, Select, Text};
use super::print::{date, line, pl, PartnershipData};
use super::Partnership;
use crate::i18n::{tr, use_lang};

/// The catalogue and the partnership's own services, as (code, name).
pub fn service_options() -> Signal<Vec<(String, String)>> {
    let p = expect_context::<Partnership>();
    let lang = use_lang();
    Signal::derive(move || {
        let mut all: Vec<(String, String)> =
            services::CATALOGUE.iter().map(|c| (c.to_string(), domain::i18n::t(lang.get(), &format!("service.{c}")).to_string())).collect();
        all.extend(p.custom.get().into_iter().map(|s| (format!("{}{}", services::CUSTOM_PREFIX, s.code), s.name)));
        all
    })
}

fn partner_options() -> Signal<Vec<(String, String)>> {
    let p = expect_context::<Partnership>();
    let list: Vec<(String, String)> = p.partners.iter().map(|x| (x.organisation_id.to_string(), x.name.clone())).collect();
    Signal::derive(move || list.clone())
}

fn service_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Text path=format!("{path}/date") label="sv.date" date=true/>
            <Select path=format!("{path}/service") label="sv.service" options=service_options()/>
        </div>
        <div class="row">
            <Text path=format!("{path}/scope") label="sv.scope"/>
            <Select path=format!("{path}/partner") label="sv.partner" options=partner_options()/>
        </div>
        <div class="row">
            <Text path=format!("{path}/remarks") label="sv.remarks"/>
            <Check path=format!("{path}/finished") label="sv.finished"/>
        </div>
    }
    .into_any()
}

#[component]
pub fn ServicesForm() -> impl IntoView {
    let p = expect_context::<Partnership>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |_| {
        let body = serde_json::json!({"name": name.get_untracked()});
        let url = format!("/api/v1/partnerships/{}/services", p.id);
        leptos::task::spawn_local(async move {
            match crate::api::post::<_, Vec<domain::docs::CustomService>>(&url, &body).await {
                Ok(list) => {
                    p.custom.set(list);
                    name.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <Rows path="rows" title="sv.title" add_label="sv.add" new_row=|| json!({"date": crate::api::today().to_string()}) row=service_row/>
        {p.steers.then(|| view! {
            <fieldset class="custom-services">
                <legend>{tr("sv.custom")}</legend>
                <div class="row">
                    <div class="field">
                        <label for="custom-service">{tr("sv.custom_name")}</label>
                        <input id="custom-service" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                </div>
                <button type="button" class="secondary" id="add-custom-service" on:click=add>{tr("sv.custom_add")}</button>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </fieldset>
        })}
    }
}

pub(super) fn print_view(s: &Services, name: &str, p: &PartnershipData) -> AnyView {
    let service_name = |code: &str| match code.strip_prefix(CUSTOM_PREFIX) {
        Some(c) => p.1.iter().find(|x| x.code == c).map(|x| x.name.clone()).unwrap_or_else(|| code.to_string()),
        None => pl(&format!("service.{code}")),
    };
    let partner = |id: &str| p.0.iter().find(|x| x.organisation_id.to_string() == id).map(|x| x.name.clone()).unwrap_or_default();
    view! {
        <article class="print-doc" data-doc="services" lang="pl">
            <h2 class="p-title">{pl("sv.title")}</h2>
            {line(pl("ipd.participant"), name.to_string())}
            <table class="p-table">
                <thead><tr><th>{pl("ipd.col.no")}</th><th>{pl("sv.date")}</th><th>{pl("sv.service")}</th><th>{pl("sv.scope")}</th><th>{pl("sv.partner")}</th><th>{pl("sv.finished")}</th><th>{pl("sv.remarks")}</th></tr></thead>
                <tbody>
                    {s.rows.iter().enumerate().map(|(i, r)| view! {
                        <tr><td class="p-num">{format!("{}.", i + 1)}</td><td>{date(&r.date)}</td><td>{service_name(&r.service)}</td><td>{r.scope.clone()}</td>
                            <td>{partner(&r.partner)}</td><td>{pl(if r.finished { "doc.yes" } else { "doc.no" })}</td><td>{r.remarks.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
    .into_any()
}
