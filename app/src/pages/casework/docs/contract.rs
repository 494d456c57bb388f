//! Tool 7: the social contract — its form and its print view.

use domain::docs::contract::{Action, Contract};
use leptos::prelude::*;
use serde_json::json;

use crate::pages::components::fields::{Check, Choice, Rows, Text};
use super::print::{block, date, line, pl, signatures};
use crate::i18n::tr;

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

pub(super) fn print_view(c: &Contract) -> AnyView {
    view! {
        <article class="print-doc" data-doc="contract" lang="pl">
            <p class="p-form">{pl("ct.form")}</p>
            {contract_copy(c, "ct.copy_person")}
            {contract_copy(c, "ct.copy_ops")}
        </article>
    }
    .into_any()
}
