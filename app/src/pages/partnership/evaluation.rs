//! The partnership's evaluation: each partner's opinions side by side, and its print
//! view.

use domain::docs::Partner;
use domain::i18n::t;
use domain::partnership::evaluation::{self, opinion_id, AREAS, AREA_QUESTIONS, GENERAL};
use leptos::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{partner_name, pl, trk, Partners};
use crate::session::use_session;
use crate::i18n::{tr, use_lang};
use crate::pages::components::fields::{use_doc, Text};

/// One partner's opinion on one question, beside the other partners' (never merged).
#[component]
fn Opinion(question: String, org: Uuid) -> impl IntoView {
    let doc = use_doc();
    let lang = use_lang();
    let partners = expect_context::<Partners>().0;
    let id = opinion_id(&question, org);
    let dom = format!("op-{}", question.replace('.', "-"));
    let q = StoredValue::new(question.clone());
    let row_id = StoredValue::new(id.clone());
    let mine = move || {
        doc.get("opinions").as_array().and_then(|a| a.iter().find(|o| o["id"].as_str() == Some(row_id.get_value().as_str())).and_then(|o| o["text"].as_str().map(str::to_string))).unwrap_or_default()
    };
    let others = move || {
        doc.get("opinions").as_array().map(|a| a.iter().filter(|o| o["question"].as_str() == Some(q.get_value().as_str()) && o["id"].as_str() != Some(row_id.get_value().as_str()))
            .filter_map(|o| Some((o["organisation_id"].as_str()?.to_string(), o["text"].as_str()?.to_string()))).collect::<Vec<_>>()).unwrap_or_default()
    };
    let set = move |text: String| {
        let (rid, question) = (row_id.get_value(), q.get_value());
        doc.update_list("opinions", |list| {
            match list.iter_mut().find(|o| o["id"].as_str() == Some(rid.as_str())) {
                Some(o) => o["text"] = Value::String(text),
                None => list.push(json!({"id": rid, "question": question, "organisation_id": org, "text": text})),
            }
        });
    };
    let label = if question.contains('.') { format!("ev.q.{}", question.split('.').nth(1).unwrap_or_default()) } else { format!("ev.q.{question}") };
    view! {
        <div class="field opinion" data-question=question.clone()>
            <label for=dom.clone()>{move || t(lang.get(), &label).to_string()}</label>
            <textarea id=dom prop:value=mine disabled=move || doc.readonly.get() on:input=move |ev| set(event_target_value(&ev))></textarea>
            <ul class="others">
                {move || others().into_iter().filter(|(_, text)| !text.trim().is_empty()).map(|(o, text)| view! {
                    <li><strong>{partner_name(&partners, &o)}</strong> ": " {text}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub(super) fn EvaluationForm() -> impl IntoView {
    let session = use_session();
    let partners = expect_context::<Partners>().0;
    let own = session.me().and_then(|m| m.organisation_id).filter(|o| partners.iter().any(|p| p.organisation_id == *o));
    let acting = RwSignal::new(own.or_else(|| partners.first().map(|p| p.organisation_id)));
    view! {
        <div class="row">
            <Text path="period_from" label="ev.period_from" month=true/>
            <Text path="period_to" label="ev.period_to" month=true/>
        </div>
        <Text path="filled_by" label="ev.filled_by"/>
        <p class="hint">{tr("ev.diverging")}</p>
        <div class="field">
            <label for="ev-partner">{tr("ev.as_partner")}</label>
            <select id="ev-partner" on:change=move |ev| acting.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                {partners.iter().map(|p| view! { <option value=p.organisation_id.to_string() selected=Some(p.organisation_id) == acting.get_untracked()>{p.name.clone()}</option> }).collect_view()}
            </select>
        </div>
        {move || acting.get().map(|org| view! {
            {AREAS.iter().map(|area| view! {
                <fieldset>
                    <legend>{trk(format!("ev.area.{area}"))}</legend>
                    {AREA_QUESTIONS.iter().map(|q| view! { <Opinion question=format!("{area}.{q}") org/> }).collect_view()}
                </fieldset>
            }).collect_view()}
            {GENERAL.iter().map(|g| view! { <fieldset><Opinion question=g.to_string() org/></fieldset> }).collect_view()}
        })}
    }
}

pub(super) fn print_evaluation(v: &Value, partners: &[Partner]) -> AnyView {
    let e: evaluation::Evaluation = serde_json::from_value(v.clone()).unwrap_or_default();
    let question = |key: String, title: String| {
        let ops: Vec<(String, String)> = e.on(&key).into_iter().map(|o| (partner_name(partners, &o.organisation_id), o.text.clone())).collect();
        view! {
            <div class="p-block"><p class="p-label">{title}</p>
                {ops.into_iter().map(|(who, text)| view! { <p class="p-value"><strong>{who}</strong> ": " {text}</p> }).collect_view()}
            </div>
        }
    };
    view! {
        <article class="print-doc" id="print-evaluation" data-doc="evaluation" lang="pl">
            <h2 class="p-title">{pl("ev.heading")}</h2>
            <p>{format!("I. Okres: {} – {}", e.period_from, e.period_to)}</p>
            <p>{format!("II. {}: {}", pl("ev.filled_by"), e.filled_by)}</p>
            {AREAS.iter().map(|area| view! {
                <h3>{pl(&format!("ev.area.{area}"))}</h3>
                {AREA_QUESTIONS.iter().map(|q| question(format!("{area}.{q}"), pl(&format!("ev.q.{q}")))).collect_view()}
            }).collect_view()}
            {GENERAL.iter().map(|g| question(g.to_string(), pl(&format!("ev.q.{g}")))).collect_view()}
        </article>
    }
    .into_any()
}
