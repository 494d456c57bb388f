//! Tool 4: the needs and competence assessment — its form and its print view.

use domain::docs::assessment::{self, Assessment};
use leptos::prelude::*;

use crate::pages::components::fields::{Choice, Rating, Text};
use super::form_common::keyed;
use super::print::{block, date, line, pl};
use crate::i18n::tr;

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

pub(super) fn print_view(a: &Assessment, name: &str) -> AnyView {
    let rating = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let opt = |prefix: &str, v: &str| if v.is_empty() { String::new() } else { pl(&format!("{prefix}.{v}")) };
    let rows: Vec<(String, String)> = vec![
        (pl("as.predispositions"), a.predispositions.clone()),
        (pl("as.disability"), opt("as.disability", &a.disability)),
        (pl("as.education"), opt("as.education", &a.education)),
        (pl("as.interests"), a.interests.clone()),
        (pl("as.profession"), a.profession.clone()),
        (pl("as.career_path"), a.career_path.clone()),
        (pl("as.work_stop"), [a.work_stop_reason.as_str(), a.job_search.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" / ")),
    ];
    let after: Vec<(String, String)> = vec![
        (pl("as.other_skills"), a.other_skills.clone()),
        (pl("as.preferred_course_print"), [a.preferred_course.as_str(), a.preferred_course_reason.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" — ")),
        (pl("as.suggested_course"), a.suggested_course.clone()),
    ];
    view! {
        <article class="print-doc" data-doc="assessment" lang="pl">
            <p class="p-form">{pl("as.form")}</p>
            <h2 class="p-title">{pl("as.title")}</h2>
            {line(pl("as.participant"), name.to_string())}
            <h3>{pl("as.social")}</h3>
            {block(pl("as.strengths"), a.strengths.clone())}
            {block(pl("as.weaknesses"), a.weaknesses.clone())}
            <table class="p-table">
                <thead><tr><th colspan="2">{pl("as.skills")}</th></tr></thead>
                <tbody>
                    {a.skills.list().into_iter().map(|(k, v)| view! { <tr><th scope="row">{pl(&format!("as.skill.{k}"))}</th><td class="p-num">{rating(v)}</td></tr> }).collect_view()}
                    {rows.into_iter().map(|(l, v)| view! { <tr><th scope="row">{l}</th><td>{v}</td></tr> }).collect_view()}
                    <tr><th scope="row" rowspan="3">{pl("as.additional")} ": " {pl("as.computer")}</th><td>{a.computer.clone()}</td></tr>
                    <tr><td>{pl("as.languages")} ": " {a.languages.clone()}</td></tr>
                    <tr><td>{pl("as.driving_licence")} ": " {a.driving_licence.clone()}</td></tr>
                    {after.into_iter().map(|(l, v)| view! { <tr><th scope="row">{l}</th><td>{v}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <div class="p-signatures">
                <div class="p-sig"><span class="p-sig-value">{format!("{} {}", a.place, date(&a.date))}</span><span class="p-sig-line"></span><span class="p-sig-caption">{pl("doc.place_date")}</span></div>
                <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{pl("doc.signature")}</span></div>
            </div>
        </article>
    }
    .into_any()
}
