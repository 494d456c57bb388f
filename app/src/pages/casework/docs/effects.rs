//! The indicators of effect (section 6.3 of the guide) — their form and their print view.

use domain::docs::effects::{self, Effects};
use domain::validation::{format_date, parse_iso_date};
use leptos::prelude::*;
use serde_json::json;

use crate::pages::components::fields::{use_doc, Rows, Select, Text};
use super::print::{date, line, pl};
use crate::i18n::{tr, use_lang};

fn effect_row(path: String) -> AnyView {
    let lang = use_lang();
    let options = Signal::derive(move || {
        effects::INDICATORS.iter().map(|c| (c.to_string(), domain::i18n::t(lang.get(), &format!("effect.{c}")).to_string())).collect::<Vec<_>>()
    });
    view! {
        <div class="row">
            <Select path=format!("{path}/indicator") label="ef.indicator" options/>
            <Text path=format!("{path}/date") label="ef.date" date=true/>
        </div>
        <div class="row">
            <Text path=format!("{path}/evidence") label="ef.evidence"/>
            <Text path=format!("{path}/remarks") label="ef.remarks"/>
        </div>
    }
    .into_any()
}

#[component]
pub fn EffectsForm() -> impl IntoView {
    let doc = use_doc();
    let window = move || parse_iso_date(&doc.text("employment_date")).map(|d| format_date(effects::reintegration_end(d)));
    view! {
        <Rows path="rows" title="ef.title" add_label="ef.add" new_row=|| json!({}) row=effect_row/>
        <fieldset>
            <legend>{tr("ef.employment_date")}</legend>
            <Text path="employment_date" label="ef.employment_date" date=true/>
            {move || window().map(|end| view! {
                <p class="notice" id="reintegration-window"><strong>{tr("ef.window")} " " {end}</strong><br/>{tr("ef.window_hint")}</p>
            })}
        </fieldset>
    }
}

pub(super) fn print_view(e: &Effects, name: &str) -> AnyView {
    view! {
        <article class="print-doc" data-doc="effects" lang="pl">
            <h2 class="p-title">{pl("ef.title")}</h2>
            {line(pl("ipd.participant"), name.to_string())}
            <table class="p-table">
                <thead><tr><th>{pl("ipd.col.no")}</th><th>{pl("ef.indicator")}</th><th>{pl("ef.date")}</th><th>{pl("ef.evidence")}</th><th>{pl("ef.remarks")}</th></tr></thead>
                <tbody>
                    {e.rows.iter().enumerate().map(|(i, r)| view! {
                        <tr><td class="p-num">{format!("{}.", i + 1)}</td><td>{pl(&format!("effect.{}", r.indicator))}</td><td>{date(&r.date)}</td><td>{r.evidence.clone()}</td><td>{r.remarks.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {e.window().map(|(start, end)| view! {
                {line(pl("ef.employment_date"), format_date(start))}
                {line(pl("ef.window"), format_date(end))}
                <p class="p-small">{pl("ef.window_hint")}</p>
            })}
        </article>
    }
    .into_any()
}
