//! Print views on the official layouts of the partnership guide's forms (A4,
//! headings and numbering as on the form, signature lines; the social contract in
//! two copies). The official documents are Polish, so they print in Polish
//! whatever the interface language. They render from the device's copy when the
//! server cannot be reached, so printing works offline too.

use domain::client::{display_name, ClientInput};
use domain::docs::assessment::Assessment;
use domain::docs::contract::{Action, Contract};
use domain::docs::effects::Effects;
use domain::docs::ipd::{Ipd, Task};
use domain::docs::path::SupportPath;
use domain::docs::services::{Services, CUSTOM_PREFIX};
use domain::docs::support::Support;
use domain::docs::{doc_id_for, DocRecord};
use domain::docs::DocType;
use domain::validation::{format_date, format_iso_date};
use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::{freshest, partnership_of, tab_key};
use crate::api;
use crate::i18n::tr;
use crate::offline::use_offline;

fn pl(key: &str) -> String {
    domain::i18n::t(Lang::Pl, key).to_string()
}

fn date(s: &str) -> String {
    format_iso_date(s)
}

#[component]
pub fn PrintPage() -> impl IntoView {
    let params = use_params_map();
    let engine = use_offline();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let doc_type = Memo::new(move |_| params.with(|p| p.get("doc").and_then(|s| DocType::parse(&s))).filter(|t| *t != DocType::Client));
    let client = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}", id.get().unwrap_or_default());
        async move { api::get::<domain::api::ClientRecord>(&url).await }
    });
    let docs = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}/documents", id.get().unwrap_or_default());
        async move { api::get::<Vec<DocRecord>>(&url).await }
    });
    let body = move || {
        let (id, doc_type) = (id.get()?, doc_type.get()?);
        let (c, d) = (client.get()?, docs.get()?);
        let doc_id = doc_id_for(id, doc_type);
        let cached_client = || engine.cached(id).and_then(|d| serde_json::from_value::<ClientInput>(d.local).ok());
        let data = match c {
            Ok(r) => Some(r.data),
            Err(_) => cached_client(),
        };
        let name = data.as_ref().map(|c| display_name(&c.kind, &c.surname, &c.first_names, &c.name)).unwrap_or_default();
        let value = freshest(doc_id, d.ok()).map(|(v, _)| v);
        let partners = data
            .as_ref()
            .and_then(|c| partnership_of(c.partnership_id))
            .map(|p| (p.partners, p.custom.get_untracked()))
            .unwrap_or_default();
        Some(match value {
            None => view! { <p class="notice" id="print-missing">{tr("doc.unavailable")}</p> }.into_any(),
            Some(v) => render(doc_type, &v, &name, &partners).unwrap_or_else(|| view! { <p class="notice error">{tr("doc.unavailable")}</p> }.into_any()),
        })
    };
    view! {
        <div class="print-toolbar no-print">
            {move || id.get().map(|id| view! { <a class="button secondary" href=format!("/clients/{id}?tab={}", doc_type.get().map(DocType::as_str).unwrap_or("client"))>{tr("doc.back")}</a> })}
            <button type="button" id="print-now" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{tr("doc.print_now")}</button>
            {move || doc_type.get().map(|t| view! { <h1 class="print-heading">{tr(tab_key(t))}</h1> })}
        </div>
        {move || body().unwrap_or_else(|| view! { <p class="loading no-print">{tr("app.loading")}</p> }.into_any())}
    }
}

fn typed<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

type PartnershipData = (Vec<domain::docs::Partner>, Vec<domain::docs::CustomService>);

fn render(doc_type: DocType, v: &Value, name: &str, p: &PartnershipData) -> Option<AnyView> {
    Some(match doc_type {
        DocType::Assessment => assessment(&typed(v)?, name),
        DocType::Ipd => ipd(&typed(v)?, name),
        DocType::Contract => contract(&typed(v)?),
        DocType::Services => services(&typed(v)?, name, p),
        DocType::Effects => effects(&typed(v)?, name),
        DocType::Path => path(&typed(v)?, name),
        DocType::Support => support(&typed(v)?, name),
        DocType::Client => return None,
    })
}

fn line(label: String, value: String) -> impl IntoView {
    view! { <div class="p-line"><span class="p-label">{label}</span> <span class="p-value">{value}</span></div> }
}

fn block(label: String, value: String) -> impl IntoView {
    view! { <div class="p-block"><p class="p-label">{label}</p><p class="p-value">{value}</p></div> }
}

fn signatures(captions: Vec<String>) -> impl IntoView {
    view! {
        <div class="p-signatures">
            {captions.into_iter().map(|c| view! { <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{c}</span></div> }).collect_view()}
        </div>
    }
}

fn assessment(a: &Assessment, name: &str) -> AnyView {
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

fn ipd(d: &Ipd, name: &str) -> AnyView {
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

fn actions_table(person_name: &str, person: &[Action], worker: &[Action]) -> impl IntoView {
    let n = person.len().max(worker.len()).max(1);
    let cell = |a: Option<&Action>| a.map(|a| (a.action.clone(), date(&a.deadline))).unwrap_or_default();
    view! {
        <table class="p-table p-actions">
            <thead>
                <tr><th colspan="2">{format!("Pani/Pan {person_name}")}</th><th colspan="2">"Pracownik socjalny"</th></tr>
                <tr><th>{pl("ct.action")}</th><th>{pl("ct.deadline")}</th><th>{pl("ct.action")}</th><th>{pl("ct.deadline")}</th></tr>
            </thead>
            <tbody>
                {(0..n).map(|i| {
                    let (pa, pd) = cell(person.get(i));
                    let (wa, wd) = cell(worker.get(i));
                    view! { <tr><td>{pa}</td><td>{pd}</td><td>{wa}</td><td>{wd}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn contract_copy(c: &Contract, copy: &str) -> impl IntoView {
    let p = &c.person;
    let person_name = format!("{} {}", p.first_name, p.surname);
    let identity = if p.pesel.is_empty() { format!("{} {}", p.id_document_name, p.id_document_number) } else { p.pesel.clone() };
    let goals = [("a)", &c.goal_a), ("b)", &c.goal_b), ("c)", &c.goal_c), ("d)", &c.goal_d)];
    view! {
        <section class="p-copy" data-copy=copy.to_string()>
            <p class="p-copy-name">{pl(copy)}</p>
            <p class="p-stamp">{pl("ct.stamp")}</p>
            {line(pl("ct.date"), date(&c.date))}
            <h2 class="p-title">{pl("ct.title")}</h2>
            <p class="p-center"><strong>{pl("ct.part1")}</strong></p>
            <p class="p-center"><strong>{pl("ct.arrangements")}</strong></p>
            <p class="p-center">{pl("ct.purpose")}</p>
            <p class="p-small">{pl("ct.applies")}</p>
            <h3>{pl("ct.s1")}</h3>
            <h4>{pl("ct.person")}</h4>
            <table class="p-table">
                <tbody>
                    <tr><th scope="row">"1 " {pl("ct.surname")}</th><td>{p.surname.clone()}</td></tr>
                    <tr><th scope="row">"2 " {pl("ct.first_name")}</th><td>{p.first_name.clone()}</td></tr>
                    <tr><th scope="row">"3 " {pl("ct.address")}</th><td>{p.address.clone()}</td></tr>
                    <tr><th scope="row">"4 " {pl("ct.pesel_or_doc")}</th><td>{identity}</td></tr>
                </tbody>
            </table>
            <h4>{pl("ct.worker")}</h4>
            <table class="p-table">
                <thead><tr><th>{pl("ct.surname")}</th><th>{pl("ct.first_name")}</th><th>{pl("ct.phone")}</th></tr></thead>
                <tbody><tr><td>{c.worker.surname.clone()}</td><td>{c.worker.first_name.clone()}</td><td>{c.worker.phone.clone()}</td></tr></tbody>
            </table>
            <h3>{pl("ct.s2")}</h3>
            {block(pl("ct.causes"), c.causes.clone())}
            {block(pl("ct.capacities"), c.capacities.clone())}
            {block(pl("ct.limitations"), c.limitations.clone())}
            {block(pl("ct.unemployed_since"), c.unemployed_since.clone())}
            {block(pl("ct.failure_reasons"), c.failure_reasons.clone())}
            {block(pl("ct.effects_to_support"), c.effects_to_support.clone())}
            <p class="p-label">{pl("ct.goals")}</p>
            {block(pl("ct.main_goal"), c.main_goal.clone())}
            <p class="p-label">{pl("ct.specific")}</p>
            {goals.into_iter().map(|(l, g)| line(l.to_string(), g.clone())).collect_view()}
            <h3>{pl("ct.s3")}</h3>
            {actions_table(&person_name, &c.person_actions, &c.worker_actions)}
            <p>{pl("ct.s4")}</p>
            <p><strong>{pl("ct.s5")} " " {date(&c.evaluation_date)}</strong></p>
            <p>{pl("ct.s6")}</p>
            {block(pl("ct.s7"), c.delivery.clone())}
            <p class="p-informed" data-informed=c.informed.to_string()>{pl("ct.s8")}</p>
            <p>{pl("ct.s9")}</p>
            {signatures(vec![pl("ct.sig_person"), pl("ct.sig_worker")])}
            {c.evaluations.iter().map(|e| view! {
                <section class="p-evaluation p-break">
                    <p class="p-center"><strong>{pl("ct.part2")}</strong></p>
                    <p class="p-center"><strong>{pl("ct.purpose")}</strong></p>
                    <p class="p-small">{pl("ct.applies")}</p>
                    <h3 class="p-center">{pl("ct.evaluation_title")}</h3>
                    <p>{pl("ct.e1")} " " <strong>{date(&e.date)}</strong></p>
                    <p class:p-chosen=e.outcome == "on_track">{if e.outcome == "on_track" { "☒ " } else { "☐ " }}{pl("ct.on_track")}</p>
                    <p class:p-chosen=e.outcome == "changes">{if e.outcome == "changes" { "☒ " } else { "☐ " }}{pl("ct.changes")}</p>
                    {actions_table(&person_name, &e.person_actions, &e.worker_actions)}
                    <p>{pl("ct.e2")}</p>
                    <p><strong>{pl("ct.e3")} " " {date(&e.next_date)}</strong></p>
                    <p class="p-small">{pl("ct.e3_note")}</p>
                    <p>{pl("ct.e4")}</p>
                    <p>{pl("ct.e5")}</p>
                    <p>{pl("ct.e6")}</p>
                    {signatures(vec![pl("ct.sig_person"), pl("ct.sig_worker")])}
                </section>
            }).collect_view()}
        </section>
    }
}

fn contract(c: &Contract) -> AnyView {
    view! {
        <article class="print-doc" data-doc="contract" lang="pl">
            <p class="p-form">{pl("ct.form")}</p>
            {contract_copy(c, "ct.copy_person")}
            {contract_copy(c, "ct.copy_ops")}
        </article>
    }
    .into_any()
}

fn services(s: &Services, name: &str, p: &PartnershipData) -> AnyView {
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

fn effects(e: &Effects, name: &str) -> AnyView {
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

fn path(d: &SupportPath, name: &str) -> AnyView {
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

fn support(s: &Support, name: &str) -> AnyView {
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
