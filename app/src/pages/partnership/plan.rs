//! The action plan: its form with the Gantt schedule edited by tapping months, and
//! its print view with the schedule as an SVG chart.

use domain::calendar::Month;
use domain::docs::Partner;
use domain::i18n::t;
use domain::partnership::plan::{self, ActionPlan, TEXTS};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::{partner_name, partner_options, pl};
use crate::i18n::{tr, use_lang};
use crate::pages::components::fields::{dom_id, use_doc, Check, Choice, Rows, Select, Text};

/// A number bound to the document (the plan's indicator targets).
#[component]
fn Number(#[prop(into)] path: String, label: &'static str) -> impl IntoView {
    let doc = use_doc();
    let id = dom_id(&path);
    let p = StoredValue::new(path);
    view! {
        <div class="field" class:invalid=move || doc.error(&p.get_value()).is_some()>
            <label for=id.clone()>{tr(label)}</label>
            <input id=id type="number" inputmode="decimal" min="0" step="any" prop:value=move || doc.text(&p.get_value()) disabled=move || doc.readonly.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    let n = v.replace(',', ".").parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null);
                    doc.set(&p.get_value(), n);
                }/>
            <p class="field-error" aria-live="polite">{move || doc.error(&p.get_value())}</p>
        </div>
    }
}

fn indicator_row(path: String) -> AnyView {
    let lang = use_lang();
    let effects = Signal::derive(move || {
        domain::docs::effects::INDICATORS.iter().map(|c| (c.to_string(), t(lang.get(), &format!("effect.{c}")).to_string())).collect::<Vec<_>>()
    });
    view! {
        <div class="row">
            <Text path=format!("{path}/name") label="pl.ind_name"/>
            <Choice path=format!("{path}/horizon") label="pl.ind_horizon" options=vec![("now".into(), "pl.ind_horizon.now".into()), ("long".into(), "pl.ind_horizon.long".into())]/>
        </div>
        <div class="row">
            <Number path=format!("{path}/target") label="pl.ind_target"/>
            <Text path=format!("{path}/unit") label="pl.ind_unit"/>
            <Select path=format!("{path}/effect") label="pl.ind_effect" options=effects/>
        </div>
    }
    .into_any()
}

fn step_row(path: String) -> AnyView {
    view! {
        <Text path=format!("{path}/step") label="pl.step"/>
        <div class="row">
            <Text path=format!("{path}/pup") label="pl.pup"/>
            <Text path=format!("{path}/ops") label="pl.ops"/>
            <Text path=format!("{path}/ngo") label="pl.ngo"/>
        </div>
        <div class="row">
            <Text path=format!("{path}/others") label="pl.others"/>
            <Text path=format!("{path}/responsible") label="pl.responsible"/>
        </div>
    }
    .into_any()
}

fn potential_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Select path=format!("{path}/partner") label="pl.partner" options=partner_options()/>
            <Text path=format!("{path}/staff") label="pl.staff"/>
            <Text path=format!("{path}/time") label="pl.time"/>
        </div>
        <div class="row">
            <Text path=format!("{path}/benefits") label="pl.benefits"/>
            <Text path=format!("{path}/value") label="pl.value"/>
        </div>
    }
    .into_any()
}

fn activity_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Text path=format!("{path}/name") label="pl.activity"/>
            <Select path=format!("{path}/owner") label="pl.owner" options=partner_options()/>
        </div>
        <div class="row">
            <Text path=format!("{path}/from") label="pl.from" month=true/>
            <Text path=format!("{path}/to") label="pl.to" month=true/>
            <Check path=format!("{path}/milestone") label="pl.milestone"/>
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn PlanForm() -> impl IntoView {
    let text = |key: &'static str| view! { <Text path=key label=format!("pl.{key}") long=!matches!(key, "voivodeship" | "county" | "coordinator" | "monitoring_person")/> };
    let section = |s: &str| TEXTS.iter().filter(|(_, sec)| *sec == s).map(|(k, _)| text(k)).collect_view();
    view! {
        <fieldset><legend>{tr("pl.s1")}</legend>{section("I")}</fieldset>
        <fieldset><legend>{tr("pl.s2")}</legend>{section("II")}
            <Rows path="indicators" title="pl.indicators" add_label="pd.add" new_row=|| json!({"horizon": "now"}) row=indicator_row/>
        </fieldset>
        <fieldset><legend>{tr("pl.s3")}</legend>{section("III")}</fieldset>
        <fieldset><legend>{tr("pl.s4")}</legend>{section("IV")}</fieldset>
        <fieldset><legend>{tr("pl.s5")}</legend>{section("V")}</fieldset>
        <fieldset><legend>{tr("pl.s6")}</legend>
            <Rows path="process" title="pl.s6" add_label="pd.add" new_row=|| json!({}) row=step_row/>
        </fieldset>
        <fieldset><legend>{tr("pl.s7")}</legend>{section("VII")}</fieldset>
        <fieldset><legend>{tr("pl.s8")}</legend>
            <Rows path="potential" title="pl.s8" add_label="pd.add" new_row=|| json!({}) row=potential_row/>
        </fieldset>
        <fieldset><legend>{tr("pl.s9")}</legend>{section("IX")}</fieldset>
        <fieldset><legend>{tr("pl.s10")}</legend>
            <div class="row">
                <Text path="period_from" label="pl.period_from" month=true/>
                <Text path="period_to" label="pl.period_to" month=true/>
            </div>
            <Rows path="schedule" title="pl.s10" add_label="pl.add_activity" new_row=|| json!({}) row=activity_row/>
            <GanttEditor/>
        </fieldset>
    }
}

/// The schedule as a grid of months a finger edits: each cell is a 44 px button.
#[component]
fn GanttEditor() -> impl IntoView {
    let doc = use_doc();
    let lang = use_lang();
    let plan = Memo::new(move |_| serde_json::from_value::<ActionPlan>(doc.value.get()).unwrap_or_default());
    let tap = move |id: String, month: Month| {
        let Some(a) = plan.with_untracked(|p| p.schedule.iter().find(|a| a.id == id).cloned()) else { return };
        let (from, to) = plan::tap(&a, month);
        doc.set(&format!("schedule/#{id}/from"), Value::String(from));
        doc.set(&format!("schedule/#{id}/to"), Value::String(to));
    };
    view! {
        <div class="gantt-edit" id="gantt-editor">
            <h4>{tr("pl.gantt")}</h4>
            <p class="hint">{tr("pl.gantt_hint")}</p>
            {move || {
                let p = plan.get();
                let months = p.months();
                (!months.is_empty()).then(|| view! {
                    <div class="table-wrap"><table class="gantt-grid">
                        <thead><tr><th scope="col">{tr("pl.activity")}</th>
                            {months.iter().map(|m| view! { <th scope="col" class="num">{format!("{:02}.{}", m.month, m.year % 100)}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {p.schedule.iter().map(|a| {
                                let span = plan::bar(a, &months);
                                view! {
                                    <tr data-activity=a.id.clone()>
                                        <th scope="row">{a.name.clone()}</th>
                                        {months.iter().enumerate().map(|(i, m)| {
                                            let on = span.is_some_and(|(s, n)| i >= s && i < s + n);
                                            let (id, m) = (a.id.clone(), *m);
                                            let label = format!("{} — {}", a.name, m.label(lang.get_untracked()));
                                            view! {
                                                <td><button type="button" class="cell" class:on=on class:milestone=a.milestone && on data-month=m.to_string()
                                                    aria-pressed=on.to_string() aria-label=label disabled=move || doc.readonly.get()
                                                    on:click=move |_| tap(id.clone(), m)>{if a.milestone && on { "◆" } else { "" }}</button></td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                })
            }}
        </div>
    }
}

/// The schedule as an SVG Gantt chart: bars by month, milestones as diamonds, with a
/// text description for screen readers.
fn gantt_svg(p: &ActionPlan, partners: &[Partner]) -> AnyView {
    let months = p.months();
    let (label_w, cell, row_h, head) = (220.0, 34.0, 26.0, 40.0);
    let width = label_w + cell * months.len() as f64;
    let height = head + row_h * p.schedule.len() as f64 + 4.0;
    let desc = p.schedule.iter().map(|a| format!("{}: {} – {}{}", a.name, a.from, a.to, if a.milestone { " (kamień milowy)" } else { "" })).collect::<Vec<_>>().join("; ");
    view! {
        <svg class="gantt" role="img" aria-labelledby="gantt-title gantt-desc" viewBox=format!("0 0 {width} {height}") width=width.to_string()>
            <title id="gantt-title">{pl("pl.s10")}</title>
            <desc id="gantt-desc">{desc}</desc>
            {months.iter().enumerate().map(|(i, m)| {
                let x = label_w + cell * i as f64;
                view! {
                    <rect x=x y="0" width=cell height=height class="g-col"/>
                    // The month on one line, the year under it where a year begins (and
                    // at the first column), so no two labels run together.
                    <text x=x + cell / 2.0 y="15" text-anchor="middle" class="g-month">{format!("{:02}", m.month)}</text>
                    {(i == 0 || m.month == 1).then(|| view! {
                        <text x=x + 3.0 y="32" class="g-year">{m.year.to_string()}</text>
                    })}
                }
            }).collect_view()}
            {p.schedule.iter().enumerate().map(|(r, a)| {
                let y = head + row_h * r as f64;
                let owner = partner_name(partners, &a.owner);
                let name = if owner.is_empty() { a.name.clone() } else { format!("{} ({owner})", a.name) };
                let shape = plan::bar(a, &months).map(|(s, n)| {
                    let x = label_w + cell * s as f64;
                    if a.milestone {
                        let (cx, cy) = (x + cell / 2.0, y + row_h / 2.0);
                        view! { <polygon class="g-milestone" points=format!("{cx},{} {},{cy} {cx},{} {},{cy}", cy - 9.0, cx + 9.0, cy + 9.0, cx - 9.0)/> }.into_any()
                    } else {
                        view! { <rect class="g-bar" x=x + 2.0 y=y + 5.0 width=cell * n as f64 - 4.0 height=row_h - 10.0 rx="3"/> }.into_any()
                    }
                });
                view! {
                    <text x="4" y=y + row_h / 2.0 + 4.0 class="g-label">{name}</text>
                    {shape}
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

pub(super) fn print_plan(v: &Value, partners: &[Partner]) -> AnyView {
    let p: ActionPlan = serde_json::from_value(v.clone()).unwrap_or_default();
    let block = |key: &str, text: &str| view! { <div class="p-block"><p class="p-label">{pl(&format!("pl.{key}"))}</p><p class="p-value">{text.to_string()}</p></div> };
    let texts = |sec: &str| TEXTS.iter().filter(|(_, s)| *s == sec).map(|(k, _)| block(k, p.text(k))).collect_view();
    view! {
        <article class="print-doc" id="print-plan" data-doc="plan" lang="pl">
            <h2 class="p-title">{pl("pl.heading")}</h2>
            <h3>{pl("pl.s1")}</h3>{texts("I")}
            <h3>{pl("pl.s2")}</h3>{texts("II")}
            <table class="p-table">
                <thead><tr><th>{pl("pl.ind_name")}</th><th>{pl("pl.ind_horizon")}</th><th>{pl("pl.ind_target")}</th><th>{pl("pl.ind_unit")}</th></tr></thead>
                <tbody>{p.indicators.iter().map(|i| view! {
                    <tr><td>{i.name.clone()}</td><td>{if i.horizon.is_empty() { String::new() } else { pl(&format!("pl.ind_horizon.{}", i.horizon)) }}</td>
                        <td class="num">{i.target.map(|t| t.to_string())}</td><td>{i.unit.clone()}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <h3>{pl("pl.s3")}</h3>{texts("III")}
            <h3>{pl("pl.s4")}</h3>{texts("IV")}
            <h3>{pl("pl.s5")}</h3>{texts("V")}
            <h3>{pl("pl.s6")}</h3>
            <table class="p-table">
                <thead><tr><th>{pl("pl.step")}</th><th>"PUP"</th><th>"OPS"</th><th>"NGO"</th><th>{pl("pl.others")}</th><th>{pl("pl.responsible")}</th></tr></thead>
                <tbody>{p.process.iter().map(|st| {
                    let name = if plan::STEPS.contains(&st.step.as_str()) { pl(&format!("pl.step.{}", st.step)) } else { st.step.clone() };
                    view! { <tr><td>{name}</td><td>{st.pup.clone()}</td><td>{st.ops.clone()}</td><td>{st.ngo.clone()}</td><td>{st.others.clone()}</td><td>{st.responsible.clone()}</td></tr> }
                }).collect_view()}</tbody>
            </table>
            <h3>{pl("pl.s7")}</h3>{texts("VII")}
            <h3>{pl("pl.s8")}</h3>
            <table class="p-table">
                <thead><tr><th>{pl("pl.partner")}</th><th>{pl("pl.staff")}</th><th>{pl("pl.time")}</th><th>{pl("pl.benefits")}</th><th>{pl("pl.value")}</th></tr></thead>
                <tbody>{p.potential.iter().map(|x| view! {
                    <tr><td>{partner_name(partners, &x.partner)}</td><td>{x.staff.clone()}</td><td>{x.time.clone()}</td><td>{x.benefits.clone()}</td><td>{x.value.clone()}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <h3>{pl("pl.s9")}</h3>{texts("IX")}
            <section class="gantt-page">
                <h3>{pl("pl.s10")}</h3>
                {gantt_svg(&p, partners)}
            </section>
            <div class="p-signatures">{partners.iter().map(|x| view! { <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{x.name.clone()}</span></div> }).collect_view()}</div>
        </article>
    }
    .into_any()
}
