//! The forms of the case documents, field by field in the order of the official
//! forms, with their wording. Each is drawn from [`super::fields`] controls.

use domain::docs::{assessment, effects, ipd, path, services, support};
use domain::validation::{format_date, parse_iso_date};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::fields::{use_doc, Check, Choice, Multi, Rating, Rows, Select, Text};
use super::Partnership;
use crate::i18n::{tr, use_lang};

fn keyed(values: &[&str], prefix: &str) -> Vec<(String, String)> {
    values.iter().map(|v| (v.to_string(), format!("{prefix}.{v}"))).collect()
}

#[component]
pub fn AssessmentForm() -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr("as.social")}</legend>
            <Text path="strengths" label="as.strengths" long=true/>
            <Text path="weaknesses" label="as.weaknesses" long=true/>
        </fieldset>
        <fieldset>
            <legend>{tr("as.skills")}</legend>
            {assessment::SKILLS.iter().map(|k| view! { <Rating path=format!("skills/{k}") label=format!("as.skill.{k}")/> }).collect_view()}
        </fieldset>
        <Text path="predispositions" label="as.predispositions" long=true/>
        <Choice path="disability" label="as.disability" options=keyed(&assessment::DISABILITY, "as.disability")/>
        <Choice path="education" label="as.education" options=keyed(&assessment::EDUCATION, "as.education")/>
        <Text path="interests" label="as.interests" long=true/>
        <Text path="profession" label="as.profession"/>
        <Text path="career_path" label="as.career_path" long=true/>
        <Text path="work_stop_reason" label="as.work_stop_reason" long=true/>
        <Text path="job_search" label="as.job_search" long=true/>
        <fieldset>
            <legend>{tr("as.additional")}</legend>
            <div class="row">
                <Text path="computer" label="as.computer"/>
                <Text path="languages" label="as.languages"/>
                <Text path="driving_licence" label="as.driving_licence"/>
            </div>
        </fieldset>
        <Text path="other_skills" label="as.other_skills" long=true/>
        <Text path="preferred_course" label="as.preferred_course"/>
        <Text path="preferred_course_reason" label="as.preferred_course_reason" long=true/>
        <Text path="suggested_course" label="as.suggested_course"/>
        <div class="row">
            <Text path="place" label="as.place"/>
            <Text path="date" label="as.date" date=true/>
        </div>
    }
}

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

fn action_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Text path=format!("{path}/action") label="ct.action" long=true/>
            <Text path=format!("{path}/deadline") label="ct.deadline" date=true/>
        </div>
    }
    .into_any()
}

fn evaluation_row(path: String) -> AnyView {
    view! {
        <Text path=format!("{path}/date") label="ct.evaluation_made" date=true/>
        <Choice path=format!("{path}/outcome") label="ct.outcome"
            options=vec![("on_track".into(), "ct.on_track".into()), ("changes".into(), "ct.changes".into())]/>
        <Rows path=format!("{path}/person_actions") title="ct.person_actions" add_label="doc.add_row" new_row=|| json!({}) row=action_row/>
        <Rows path=format!("{path}/worker_actions") title="ct.worker_actions" add_label="doc.add_row" new_row=|| json!({}) row=action_row/>
        <Text path=format!("{path}/next_date") label="ct.e3" date=true/>
    }
    .into_any()
}

#[component]
pub fn ContractForm() -> impl IntoView {
    view! {
        <Text path="date" label="ct.date" date=true/>
        <fieldset>
            <legend>{tr("ct.person")}</legend>
            <div class="row">
                <Text path="person/surname" label="ct.surname"/>
                <Text path="person/first_name" label="ct.first_name"/>
            </div>
            <Text path="person/address" label="ct.address"/>
            <p class="hint">{tr("ct.pesel_or_doc")}</p>
            <div class="row">
                <Text path="person/pesel" label="ct.pesel"/>
                <Text path="person/id_document_name" label="ct.id_document_name"/>
                <Text path="person/id_document_number" label="ct.id_document_number"/>
            </div>
        </fieldset>
        <fieldset>
            <legend>{tr("ct.worker")}</legend>
            <div class="row">
                <Text path="worker/surname" label="ct.surname"/>
                <Text path="worker/first_name" label="ct.first_name"/>
                <Text path="worker/phone" label="ct.phone"/>
            </div>
        </fieldset>
        <fieldset>
            <legend>{tr("ct.s2")}</legend>
            <Text path="causes" label="ct.causes" long=true/>
            <Text path="capacities" label="ct.capacities" long=true/>
            <Text path="limitations" label="ct.limitations" long=true/>
            <Text path="unemployed_since" label="ct.unemployed_since" long=true/>
            <Text path="failure_reasons" label="ct.failure_reasons" long=true/>
            <Text path="effects_to_support" label="ct.effects_to_support" long=true/>
            <p class="hint">{tr("ct.goals")}</p>
            <Text path="main_goal" label="ct.main_goal" long=true/>
            <p class="hint">{tr("ct.specific")}</p>
            {["goal_a", "goal_b", "goal_c", "goal_d"].into_iter().map(|g| view! { <Text path=g label=format!("ct.{g}") long=true/> }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>{tr("ct.s3")}</legend>
            <Rows path="person_actions" title="ct.person_actions" add_label="doc.add_row" new_row=|| json!({}) row=action_row/>
            <Rows path="worker_actions" title="ct.worker_actions" add_label="doc.add_row" new_row=|| json!({}) row=action_row/>
        </fieldset>
        <Text path="evaluation_date" label="ct.s5" date=true/>
        <Text path="delivery" label="ct.s7" long=true/>
        <Check path="informed" label="ct.informed"/>
        <fieldset>
            <legend>{tr("ct.evaluations")}</legend>
            <Rows path="evaluations" title="ct.part2" add_label="ct.add_evaluation" new_row=|| json!({"outcome": "on_track"}) row=evaluation_row/>
        </fieldset>
    }
}

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

/// A label whose key is made at run time.
pub fn tr_dyn(key: String) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || domain::i18n::t(lang.get(), &key).to_string()
}
