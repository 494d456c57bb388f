//! The coordinator's start page: caseloads against the limit of 15 (overloaded first,
//! with the reasons given), what is overdue or coming due with a link to the document,
//! the indicators of effect over six months, and the latest client survey.

use domain::dashboard::Dashboard;
use domain::i18n::t;
use domain::calendar::Month;
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::components::widgets::{steered_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};
use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};

/// A horizontal bar for a share, drawn beside its number (hidden from screen readers,
/// which read the number).
fn bar(value: f64, max: f64, over: bool) -> impl IntoView {
    let w = if max > 0.0 { (value / max).clamp(0.0, 1.0) * 160.0 } else { 0.0 };
    view! {
        <svg class="bar" width="160" height="14" viewBox="0 0 160 14" aria-hidden="true" focusable="false">
            <rect x="0" y="1" width="160" height="12" class="bar-track"/>
            <rect x="0" y="1" width=format!("{w:.0}") height="12" class=if over { "bar-fill over" } else { "bar-fill" }/>
        </svg>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = steered_partnership(chosen);
    let organisation = RwSignal::new(String::new());
    let consultant = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let data = LocalResource::new(move || {
        let (p, o, c, m) = (partnership(), organisation.get(), consultant.get(), period.get());
        async move {
            let Some(p) = p else { return Ok(None) };
            let mut q = Vec::new();
            if !o.is_empty() {
                q.push(format!("organisation={o}"));
            }
            if !c.is_empty() {
                q.push(format!("consultant={c}"));
            }
            if !m.is_empty() {
                q.push(format!("period={m}"));
            }
            api::get::<Dashboard>(&format!("/api/v1/partnerships/{p}/dashboard?{}", q.join("&"))).await.map(Some)
        }
    });
    let partners = move || {
        let p = partnership();
        session.me().and_then(|m| m.memberships.into_iter().find(|m| Some(m.partnership_id) == p)).map(|m| m.partners).unwrap_or_default()
    };
    // Breaches still to be reported to UODO, with the hours left of the 72.
    let breaches = LocalResource::new(move || {
        let p = partnership();
        async move {
            let Some(p) = p else { return Vec::new() };
            let all = api::get::<Vec<domain::breach::Breach>>(&format!("/api/v1/partnerships/{p}/breaches")).await.unwrap_or_default();
            all.into_iter().filter(|b| b.hours_left.is_some()).collect::<Vec<_>>()
        }
    });
    let l = move |k: &str| t(lang.get(), k).to_string();
    view! {
        <h1>{tr("dash.title")}</h1>
        <SteeredPicker id="dash-partnership" chosen/>
        {move || breaches.get().filter(|b| !b.is_empty()).map(|pending| view! {
            <section class="notice warn" id="breach-deadlines" aria-labelledby="breach-deadlines-title">
                <h2 id="breach-deadlines-title">{tr("breaches.pending")}</h2>
                <ul>
                    {pending.into_iter().map(|b| {
                        let (standing, _) = b.standing(lang.get());
                        view! { <li data-number=b.number><a href="/breaches">{format!("{} {}", l("breaches.entry"), b.number)}</a>": "{standing}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <div class="filters">
            <div class="field">
                <label for="dash-organisation">{tr("dash.organisation")}</label>
                <select id="dash-organisation" on:change=move |ev| organisation.set(event_target_value(&ev))>
                    <option value="">{tr("dash.all")}</option>
                    <For each=partners key=|p| p.organisation_id let:p>
                        <option value=p.organisation_id.to_string()>{p.name}</option>
                    </For>
                </select>
            </div>
            <div class="field">
                <label for="dash-consultant">{tr("dash.consultant")}</label>
                <select id="dash-consultant" on:change=move |ev| consultant.set(event_target_value(&ev))>
                    <option value="">{tr("dash.all")}</option>
                    {move || data.get().and_then(|d| d.ok().flatten()).map(|d| d.caseloads.into_iter().map(|c| view! {
                        <option value=c.consultant_id.to_string() selected=consultant.get_untracked() == c.consultant_id.to_string()>{c.consultant}</option>
                    }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="dash-period">{tr("dash.period")}</label>
                // Empty until chosen, the field shows the month the figures are for.
                <input id="dash-period" type="month" prop:value=move || {
                        let chosen = period.get();
                        if chosen.is_empty() { data.get().and_then(|d| d.ok().flatten()).map(|d| d.period).unwrap_or_default() } else { chosen }
                    }
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if v.is_empty() || Month::parse(&v).is_some() {
                            period.set(v);
                        }
                    }/>
            </div>
            <a class="button secondary" href="/reports" id="to-reports">{tr("nav.reports")}</a>
        </div>
        {move || match data.get() {
            None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(Some(d))) => {
                let month = Month::parse(&d.period).map(|p| p.label(lang.get_untracked())).unwrap_or_default();
                let active = d.active_clients.max(1) as f64;
                let latest = d.indicators.last().cloned();
                view! {
                    <section class="card" aria-labelledby="dash-caseloads-h">
                        <h2 id="dash-caseloads-h">{tr("dash.caseloads")}</h2>
                        <p class="hint">{tr("dash.caseloads_hint")}</p>
                        <TableScroll label=tr("dash.caseloads")><table id="dash-caseloads">
                            <thead><tr>
                                <th scope="col">{tr("dash.consultant")}</th>
                                <th scope="col">{tr("dash.organisation")}</th>
                                <th scope="col">{tr("dash.active")}</th>
                                <th scope="col"><span class="sr-only">{tr("survey.ui.chart")}</span></th>
                                <th scope="col">{tr("dash.override_reasons")}</th>
                            </tr></thead>
                            <tbody>
                                {d.caseloads.into_iter().map(|c| view! {
                                    <tr class=if c.overloaded { "overloaded" } else { "" } data-consultant=c.consultant.clone()>
                                        <th scope="row">{c.consultant.clone()}</th>
                                        <td>{c.organisation.clone()}</td>
                                        <td class="num">{format!("{} / {}", c.active, c.limit)}
                                            {c.overloaded.then(|| view! { " " <strong class="badge warn">{tr("dash.overloaded")}</strong> })}</td>
                                        <td>{bar(c.active as f64, c.limit as f64, c.overloaded)}</td>
                                        <td>{c.override_reasons.join("; ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                    </section>
                    <section class="card" aria-labelledby="dash-due-h">
                        <h2 id="dash-due-h">{tr("dash.due")}</h2>
                        {if d.due.is_empty() {
                            view! { <p>{tr("dash.nothing_due")}</p> }.into_any()
                        } else {
                            view! {
                                <TableScroll label=tr("dash.due")><table id="dash-due">
                                    <thead><tr>
                                        <th scope="col">{tr("dash.date")}</th>
                                        <th scope="col">{tr("dash.kind")}</th>
                                        <th scope="col">{tr("dash.client")}</th>
                                        <th scope="col">{tr("dash.consultant")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {d.due.into_iter().map(|i| {
                                            let href = if i.kind.tab() == "card" { format!("/clients/{}", i.client_id) } else { format!("/clients/{}?tab={}", i.client_id, i.kind.tab()) };
                                            view! {
                                                <tr class=if i.overdue { "overdue" } else { "" } data-kind=format!("{:?}", i.kind)>
                                                    <td class="num">{domain::validation::format_iso_date(&i.date)}
                                                        {i.overdue.then(|| view! { " " <strong class="badge warn">{tr("dash.overdue")}</strong> })}</td>
                                                    <td>{l(i.kind.i18n_key())}{(!i.what.is_empty()).then(|| format!(": {}", i.what))}</td>
                                                    <td><a href=href>{i.client.clone()}</a></td>
                                                    <td>{i.consultant.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></TableScroll>
                            }.into_any()
                        }}
                    </section>
                    <section class="card" aria-labelledby="dash-ind-h">
                        <h2 id="dash-ind-h">{tr("dash.indicators")}</h2>
                        <p class="hint">{tr("dash.indicators_hint")} " " {month}</p>
                        <TableScroll label=tr("dash.indicators")><table id="dash-indicators">
                            <thead><tr>
                                <th scope="col">{tr("dash.indicator")}</th>
                                {d.indicators.iter().map(|m| view! { <th scope="col" class="num">{m.period.clone()}</th> }).collect_view()}
                                <th scope="col">{tr("dash.share")}</th>
                                <th scope="col"><span class="sr-only">{tr("survey.ui.chart")}</span></th>
                            </tr></thead>
                            <tbody>
                                {d.indicator_codes.iter().enumerate().map(|(k, code)| {
                                    let now = latest.as_ref().map(|m| m.counts[k]).unwrap_or(0);
                                    let share = f64::from(now) * 100.0 / active;
                                    let key = format!("effect.{code}");
                                    view! {
                                        <tr data-indicator=code.clone()>
                                            <th scope="row">{move || l(&key)}</th>
                                            {d.indicators.iter().map(|m| view! { <td class="num">{m.counts[k]}</td> }).collect_view()}
                                            <td class="num">{move || domain::numbers::percent(share, lang.get())}</td>
                                            <td>{bar(share, 100.0, false)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                    </section>
                    {(!d.plan.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="dash-plan-h">
                            <h2 id="dash-plan-h">{tr("dash.plan")}</h2>
                            <p class="hint">{tr("dash.plan_hint")}</p>
                            <TableScroll label=tr("dash.plan")><table id="dash-plan">
                                <thead><tr>
                                    <th scope="col">{tr("pl.ind_name")}</th>
                                    <th scope="col" class="num">{tr("pl.ind_target")}</th>
                                    <th scope="col" class="num">{tr("dash.reached")}</th>
                                    <th scope="col"><span class="sr-only">{tr("survey.ui.chart")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {d.plan.iter().map(|g| view! {
                                        <tr data-effect=g.effect.clone()>
                                            <th scope="row">{g.name.clone()}</th>
                                            <td class="num">{format!("{} {}", g.target, g.unit)}</td>
                                            <td class="num">{g.reached}</td>
                                            <td>{bar(f64::from(g.reached), g.target, false)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        </section>
                    })}
                    {(!d.authorisations.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="dash-auth-h">
                            <h2 id="dash-auth-h">{tr("dash.authorisations")}</h2>
                            <ul class="plain" id="dash-authorisations">
                                {d.authorisations.iter().map(|a| {
                                    let day = domain::validation::parse_iso_date(&a.expires).map(domain::validation::format_date).unwrap_or(a.expires.clone());
                                    let key = if a.lapsed { "dash.authorisation_lapsed" } else { "dash.authorisation_ends" };
                                    view! {
                                        <li class:overdue=a.lapsed>
                                            <strong>{a.name.clone()}</strong> " — " {a.number.clone()} ": " {tr(key)} " " {day}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <a class="button secondary" href="/people">{tr("nav.people")}</a>
                        </section>
                    })}
                    <section class="card" aria-labelledby="dash-survey-h">
                        <h2 id="dash-survey-h">{tr("dash.survey")}</h2>
                        {match d.survey {
                            None => view! { <p><a href="/surveys">{tr("dash.no_survey")}</a></p> }.into_any(),
                            Some(s) => {
                                let label = Month::parse(&s.period).map(|p| p.label(lang.get_untracked())).unwrap_or(s.period.clone());
                                view! {
                                    <p id="dash-survey">{label} ": " {tr("survey.ui.respondents")} " " <strong>{s.respondents}</strong> " "
                                        {if s.withheld {
                                            view! { <span>{tr("dash.survey_withheld")}</span> }.into_any()
                                        } else {
                                            view! { <a href=format!("/surveys/{}", s.id)>{tr("survey.ui.results")}</a> }.into_any()
                                        }}
                                    </p>
                                }.into_any()
                            }
                        }}
                    </section>
                }.into_any()
            }
        }}
    }
}
