//! The OWES individual support path (standard D.1) — its form and its print view.

use domain::docs::path::{self, SupportPath};
use leptos::prelude::*;
use serde_json::json;

use crate::pages::components::fields::{Choice, Multi, Rows, Text};
use super::form_common::{keyed, tr_dyn};
use super::print::{block, date, line, pl, signatures};

fn annotation_row(path: String) -> AnyView {
    view! {
        <Text path=format!("{path}/date") label="pa.annotation_date" date=true/>
        <Text path=format!("{path}/text") label="pa.annotation_text" long=true/>
    }
    .into_any()
}

#[component]
pub fn PathForm() -> impl IntoView {
    let work_forms: Vec<(String, String)> = path::WORK_FORMS.iter().map(|w| (w.to_string(), format!("client.work_form.{w}"))).collect();
    view! {
        <Multi path="directions" label="pa.directions" options=keyed(&path::DIRECTIONS, "direction")/>
        <Choice path="work_form" label="pa.work_form" options=work_forms/>
        {path::STEPS.iter().map(|s| view! {
            <fieldset class="step">
                <legend>{tr_dyn(format!("step.{s}"))}</legend>
                <Text path=format!("steps/{s}/summary") label="pa.summary" long=true/>
                <Rows path=format!("steps/{s}/annotations") title="pa.annotations" add_label="pa.add_annotation"
                    new_row=|| json!({"date": crate::api::today().to_string()}) row=annotation_row/>
            </fieldset>
        }).collect_view()}
    }
}

pub(super) fn print_view(d: &SupportPath, name: &str) -> AnyView {
    let directions = d.directions.iter().map(|k| pl(&format!("direction.{k}"))).collect::<Vec<_>>();
    view! {
        <article class="print-doc" data-doc="path" lang="pl">
            <h2 class="p-title">{pl("pa.title")}</h2>
            {line(pl("ipd.participant"), name.to_string())}
            <p class="p-label">{pl("pa.directions")}</p>
            <ul>{directions.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
            {line(pl("pa.work_form"), if d.work_form.is_empty() { String::new() } else { pl(&format!("client.work_form.{}", d.work_form)) })}
            {d.steps.list().into_iter().map(|(k, step)| view! {
                <section class="p-step">
                    <h3>{pl(&format!("step.{k}"))}</h3>
                    {block(pl("pa.summary"), step.summary.clone())}
                    <table class="p-table">
                        <thead><tr><th>{pl("pa.annotation_date")}</th><th>{pl("pa.annotation_text")}</th></tr></thead>
                        <tbody>
                            {step.annotations.iter().map(|a| view! { <tr><td>{date(&a.date)}</td><td>{a.text.clone()}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }).collect_view()}
            {signatures(vec![pl("doc.place_date"), pl("doc.signature")])}
        </article>
    }
    .into_any()
}
