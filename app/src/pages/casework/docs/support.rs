//! The course of support — its form and its print view.

use domain::docs::support::{self, Support};
use leptos::prelude::*;
use serde_json::json;

use crate::pages::components::fields::{Choice, Multi, Rows, Text};
use super::form_common::keyed;
use super::print::{date, line, pl};
use crate::i18n::tr;

fn period_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Text path=format!("{path}/from") label="su.from" date=true/>
            <Text path=format!("{path}/to") label="su.to" date=true/>
        </div>
        <Choice path=format!("{path}/reason") label="su.reason" options=keyed(&support::REASONS, "support.reason")/>
        <Text path=format!("{path}/reason_text") label="su.reason_text"/>
        <Text path=format!("{path}/situation") label="su.after" long=true/>
    }
    .into_any()
}

#[component]
pub fn SupportForm() -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr("su.situation")}</legend>
            <Choice path="labour" label="su.labour" options=keyed(&support::LABOUR, "support.labour")/>
            <Multi path="features" label="su.features" options=keyed(&support::FEATURES, "support.feature")/>
            <p class="hint">{tr("su.features_hint")}</p>
            <Text path="other_features" label="su.other_features"/>
        </fieldset>
        <fieldset>
            <legend>{tr("su.periods")}</legend>
            <p class="hint">{tr("su.periods_hint")}</p>
            <Rows path="periods" title="su.periods" add_label="su.add_period"
                new_row=|| json!({"from": crate::api::today().to_string()}) row=period_row/>
        </fieldset>
    }
}

pub(super) fn print_view(s: &Support, name: &str) -> AnyView {
    let opt = |prefix: &str, v: &str| if v.is_empty() { String::new() } else { pl(&format!("{prefix}.{v}")) };
    let mut features: Vec<String> = s.features.iter().map(|f| pl(&format!("support.feature.{f}"))).collect();
    if !s.other_features.is_empty() {
        features.push(s.other_features.clone());
    }
    view! {
        <article class="print-doc" data-doc="support" lang="pl">
            <h2 class="p-title">{pl("doc.support")}</h2>
            {line(pl("ipd.participant"), name.to_string())}
            {line(pl("su.labour"), opt("support.labour", &s.labour))}
            {line(pl("su.features"), features.join("; "))}
            <table class="p-table">
                <thead><tr><th>{pl("su.from")}</th><th>{pl("su.to")}</th><th>{pl("su.reason")}</th><th>{pl("su.after")}</th></tr></thead>
                <tbody>
                    {s.ordered().into_iter().map(|p| view! {
                        <tr><td>{date(&p.from)}</td><td>{date(&p.to)}</td>
                            <td>{[opt("support.reason", &p.reason), p.reason_text.clone()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(": ")}</td>
                            <td>{p.situation.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
    .into_any()
}
