//! Tools 5–6: the individual action plan (IPD) — its form and its print view.

use domain::docs::ipd::{self, Ipd, Task};
use leptos::prelude::*;
use serde_json::{json, Value};

use crate::pages::components::fields::{Check, Rows, Select, Text};
use super::print::{block, date, line, pl};
use super::Partnership;
use crate::i18n::{tr, use_lang};

/// Who may carry a task: the partnership's partner types, another institution, the client.
fn owner_options() -> Signal<Vec<(String, String)>> {
    let p = expect_context::<Partnership>();
    let lang = use_lang();
    Signal::derive(move || {
        ipd::OWNERS
            .iter()
            .filter(|o| matches!(**o, "other" | "client") || p.partners.iter().any(|x| x.org_type.as_str() == **o))
            .map(|o| (o.to_string(), domain::i18n::t(lang.get(), &format!("owner.{o}")).to_string()))
            .collect()
    })
}

fn task_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Text path=format!("{path}/task") label="ipd.col.task"/>
            <Select path=format!("{path}/owner") label="ipd.col.owner" options=owner_options()/>
        </div>
        <div class="row">
            <Text path=format!("{path}/from") label="ipd.col.from" date=true/>
            <Text path=format!("{path}/to") label="ipd.col.to" date=true/>
        </div>
        <Text path=format!("{path}/description") label="ipd.col.description" long=true/>
        <div class="row">
            <Text path=format!("{path}/remarks") label="ipd.col.remarks"/>
            <Check path=format!("{path}/done") label="ipd.col.done"/>
        </div>
    }
    .into_any()
}

fn task_tables(area: &'static str, tables: &'static [(&'static str, &'static str)]) -> impl IntoView {
    tables
        .iter()
        .map(|(table, owner)| {
            // The table says who the task is with; a new row starts with that owner.
            let new_row: fn() -> Value = match *owner {
                "ops" => || json!({"owner": "ops"}),
                "ngo" => || json!({"owner": "ngo"}),
                "pup" => || json!({"owner": "pup"}),
                "client" => || json!({"owner": "client"}),
                _ => || json!({"owner": "other"}),
            };
            view! { <Rows path=format!("{area}/{table}") title=format!("ipd.table.{area}.{table}") add_label="doc.add_row" new_row row=task_row/> }
        })
        .collect_view()
}

#[component]
pub fn IpdForm() -> impl IntoView {
    view! {
        <div class="row">
            <Text path="date" label="ipd.date" date=true/>
            <Text path="supervisor" label="ipd.supervisor"/>
        </div>
        <Text path="goal" label="ipd.goal" long=true/>
        <fieldset>
            <legend>{tr("ipd.specific")}</legend>
            <Text path="social_goals" label="ipd.social_goals" long=true/>
            <Text path="vocational_goals" label="ipd.vocational_goals" long=true/>
        </fieldset>
        <h3>{tr("ipd.strategy")}</h3>
        <fieldset class="area">
            <legend>{tr("ipd.social")}</legend>
            <Text path="social/resources" label="ipd.resources" hint="ipd.resources_hint" long=true/>
            <Text path="social/deficits" label="ipd.deficits" long=true/>
            {task_tables("social", &ipd::SOCIAL_TABLES)}
            <h4>{tr("ipd.barriers")}</h4>
            <Text path="social/barriers_internal" label="ipd.barriers_internal" long=true/>
            <Text path="social/barriers_external" label="ipd.barriers_external" long=true/>
            <Text path="social/overcome" label="ipd.overcome" long=true/>
            <Text path="social/supporters" label="ipd.supporters" long=true/>
        </fieldset>
        <fieldset class="area">
            <legend>{tr("ipd.vocational")}</legend>
            <p class="hint">{tr("ipd.employable")}</p>
            <div class="row">
                <Text path="vocational/position" label="ipd.position"/>
                <Text path="vocational/contract_form" label="ipd.contract_form"/>
            </div>
            <Text path="vocational/resources" label="ipd.voc_resources" long=true/>
            {task_tables("vocational", &ipd::VOCATIONAL_TABLES)}
            <h4>{tr("ipd.barriers")}</h4>
            <Text path="vocational/barriers_internal" label="ipd.barriers_internal" long=true/>
            <Text path="vocational/barriers_external" label="ipd.barriers_external" long=true/>
            <Text path="vocational/overcome" label="ipd.overcome" long=true/>
            <Text path="vocational/supporters" label="ipd.supporters" long=true/>
        </fieldset>
    }
}

fn task_table(title: String, rows: &[Task]) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <tr><td class="p-num">"1."</td><td></td><td></td><td></td><td></td><td></td></tr> }.into_any()
    } else {
        rows.iter()
            .enumerate()
            .map(|(i, t)| {
                let mut remarks = t.remarks.clone();
                if !t.owner.is_empty() {
                    let who = format!("{}: {}", pl("ipd.col.owner"), pl(&format!("owner.{}", t.owner)));
                    remarks = if remarks.is_empty() { who } else { format!("{remarks}; {who}") };
                }
                if t.done {
                    remarks = format!("{remarks} ({})", pl("ipd.col.done").to_lowercase());
                }
                view! { <tr><td class="p-num">{format!("{}.", i + 1)}</td><td>{t.task.clone()}</td><td>{date(&t.from)}</td><td>{date(&t.to)}</td><td>{t.description.clone()}</td><td>{remarks}</td></tr> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <h4>{title}</h4>
        <table class="p-table tasks">
            <thead>
                <tr><th rowspan="2">{pl("ipd.col.no")}</th><th rowspan="2">{pl("ipd.col.task")}</th><th colspan="2">{pl("ipd.col.time")}</th>
                    <th rowspan="2">{pl("ipd.col.description")}</th><th rowspan="2">{pl("ipd.col.remarks")}</th></tr>
                <tr><th>{pl("ipd.col.from")}</th><th>{pl("ipd.col.to")}</th></tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

pub(super) fn print_view(d: &Ipd, name: &str) -> AnyView {
    let (s, v) = (&d.social, &d.vocational);
    view! {
        <article class="print-doc" data-doc="ipd" lang="pl">
            <h2 class="p-title">{pl("ipd.title")}</h2>
            {line(pl("ipd.participant"), name.to_string())}
            {line(pl("ipd.date"), date(&d.date))}
            {block(pl("ipd.goal"), d.goal.clone())}
            <p class="p-label">{pl("ipd.specific")}</p>
            {line(pl("ipd.social_goals"), d.social_goals.clone())}
            {line(pl("ipd.vocational_goals"), d.vocational_goals.clone())}
            <h3>{pl("ipd.strategy")}</h3>
            <h3>{pl("ipd.social")}</h3>
            {block(format!("{} ({})", pl("ipd.resources"), pl("ipd.resources_hint")), s.resources.clone())}
            {block(pl("ipd.deficits"), s.deficits.clone())}
            {s.tables().into_iter().map(|(k, rows)| task_table(pl(&format!("ipd.table.social.{k}")), rows)).collect_view()}
            <h4>{pl("ipd.barriers")}</h4>
            {block(pl("ipd.barriers_internal"), s.barriers_internal.clone())}
            {block(pl("ipd.barriers_external"), s.barriers_external.clone())}
            {block(pl("ipd.overcome"), s.overcome.clone())}
            {block(pl("ipd.supporters"), s.supporters.clone())}
            <h3 class="p-break">{pl("ipd.vocational")}</h3>
            {block(pl("ipd.employable"), [v.position.as_str(), v.contract_form.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(", "))}
            {block(pl("ipd.voc_resources"), v.resources.clone())}
            {v.tables().into_iter().map(|(k, rows)| task_table(pl(&format!("ipd.table.vocational.{k}")), rows)).collect_view()}
            <h4>{pl("ipd.barriers")}</h4>
            {block(pl("ipd.barriers_internal"), v.barriers_internal.clone())}
            {block(pl("ipd.barriers_external"), v.barriers_external.clone())}
            {block(pl("ipd.overcome"), v.overcome.clone())}
            {block(pl("ipd.supporters"), v.supporters.clone())}
            <div class="p-signatures">
                <div class="p-sig"><span class="p-sig-value">{d.supervisor.clone()}</span><span class="p-sig-line"></span><span class="p-sig-caption">{pl("ipd.sig_supervisor")}</span></div>
                <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{pl("ipd.sig_participant")}</span></div>
            </div>
        </article>
    }
    .into_any()
}
