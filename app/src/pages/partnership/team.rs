//! The decision appointing the coordinating team: its form and its print view.

use domain::docs::Partner;
use domain::partnership::team::TeamDecision;
use domain::validation::format_iso_date;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::{partner_name, partner_options, pl};
use crate::pages::components::fields::{use_doc, Rows, Select, Text};

fn member_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Select path=format!("{path}/organisation_id") label="tm.organisation" options=partner_options()/>
            <Text path=format!("{path}/name") label="tm.name"/>
            <Text path=format!("{path}/function") label="tm.function"/>
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn TeamForm() -> impl IntoView {
    let doc = use_doc();
    let members = Signal::derive(move || {
        doc.get("members").as_array().map(|a| a.iter().filter_map(|m| Some((m["id"].as_str()?.to_string(), m["name"].as_str().unwrap_or("").to_string()))).collect()).unwrap_or_default()
    });
    view! {
        <Text path="number" label="tm.number"/>
        <Rows path="members" title="tm.members" add_label="pd.add" new_row=|| json!({}) row=member_row/>
        <Select path="chair" label="tm.chair" options=members/>
        <Text path="tasks" label="tm.tasks" long=true/>
        <div class="row">
            <Text path="valid_from" label="tm.valid_from" date=true/>
            <Text path="valid_to" label="tm.valid_to" date=true/>
        </div>
    }
}

pub(super) fn print_team(v: &Value, partners: &[Partner]) -> AnyView {
    let d: TeamDecision = serde_json::from_value(v.clone()).unwrap_or_default();
    let chair = d.members.iter().find(|m| m.id == d.chair).map(|m| m.name.clone()).unwrap_or_default();
    view! {
        <article class="print-doc" id="print-team" data-doc="team" lang="pl">
            <h2 class="p-title">{pl("tm.heading")}</h2>
            <p class="p-center">{format!("Zarządzenie Nr {} do Umowy Współpracy Partnerskiej", d.number)}</p>
            <h3 class="p-center">"§ 1"</h3>
            <p>"Na podstawie Umowy Współpracy Partnerskiej powołuje się Zespół Koordynacyjny, w skład którego wchodzi po jednym przedstawicielu desygnowanym przez każdego z Partnerów:"</p>
            <ol>{d.members.iter().map(|m| view! { <li>{format!("{} – {} ({})", m.name, m.function, partner_name(partners, &m.organisation_id))}</li> }).collect_view()}</ol>
            <h3 class="p-center">"§ 2"</h3><p>{format!("Na przewodniczącego Zespołu Koordynującego zostaje powołana/y {chair}.")}</p>
            <h3 class="p-center">"§ 3"</h3><p>"Do zadań przewodniczącego należy kierowanie pracami Zespołu."</p>
            <h3 class="p-center">"§ 4"</h3><p class="p-value">{d.tasks.clone()}</p>
            <h3 class="p-center">"§ 5"</h3><p>{format!("Zarządzenie obowiązuje w okresie od dnia {} do dnia {}.", format_iso_date(&d.valid_from), format_iso_date(&d.valid_to))}</p>
            <h3 class="p-center">"§ 6"</h3><p>"Zarządzenie wchodzi w życie z dniem podpisania przez wszystkich Partnerów."</p>
            <div class="p-signatures">{partners.iter().map(|p| view! { <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{p.name.clone()}</span></div> }).collect_view()}</div>
        </article>
    }
    .into_any()
}
