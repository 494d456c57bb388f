//! Retention and disposal (issue 20) for a partnership's coordinator and its data
//! protection officer: the rules (each member's file-plan category, the project's
//! archive date), the closed clients whose time is up, a person's approval of their
//! disposal with a written justification, and the register, printable as the
//! protocol an archive expects. The rules are `domain::retention`'s; the server
//! judges them again when a disposal is approved.

use std::collections::BTreeSet;

use domain::i18n::t;
use domain::retention::{ArchiveDate, DisposalList, DisposalRegister, DisposalRequest, Disposed, DueClient, RuleDate};
use domain::validation::{format_iso_date, FieldError};
use domain::Lang;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::TextControl;
use crate::pages::components::widgets::{error_for, log_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};
use crate::session::use_session;

/// One rule in words: "MOPS: B10, from 1.01.2037".
fn rule_text(r: &RuleDate, lang: Lang) -> String {
    let from = if r.from.is_empty() { String::new() } else { format!(" — {} {}", t(lang, "disposal.from"), format_iso_date(&r.from)) };
    match r.kind.as_str() {
        "project" => format!("{} {}{from}", t(lang, "disposal.project_until"), format_iso_date(&r.rule)),
        "restriction" => t(lang, "disposal.restricted").to_string(),
        _ if r.rule.is_empty() => format!("{}: {}", r.source, t(lang, "disposal.no_category")),
        _ if r.rule == "A" => format!("{}: A — {}", r.source, t(lang, "disposal.archival")),
        _ => format!("{}: {}{from}", r.source, r.rule),
    }
}

fn rules_view(rules: &[RuleDate], lang: Lang) -> impl IntoView {
    let items: Vec<String> = rules.iter().map(|r| rule_text(r, lang)).collect();
    view! { <ul class="rules">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
}

fn who(c: &DueClient, lang: Lang) -> String {
    if c.name.is_empty() {
        format!("{} {}", t(lang, "disposal.client"), &c.client_id.to_string()[..8])
    } else {
        c.name.clone()
    }
}

#[component]
pub fn DisposalPage() -> impl IntoView {
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = log_partnership(chosen);
    let steers = move || {
        let p = partnership();
        session.me().is_some_and(|m| m.memberships.iter().any(|m| Some(m.partnership_id) == p && m.role.steers()))
    };
    let message = RwSignal::new(None::<String>);
    let list = LocalResource::new(move || {
        let p = partnership();
        async move {
            let Some(p) = p else { return Ok(None) };
            api::get::<DisposalList>(&format!("/api/v1/partnerships/{p}/disposals/due")).await.map(Some)
        }
    });
    let register = LocalResource::new(move || {
        let p = partnership();
        async move {
            let Some(p) = p else { return Ok(None) };
            api::get::<DisposalRegister>(&format!("/api/v1/partnerships/{p}/disposals")).await.map(Some)
        }
    });
    let refetch = Callback::new(move |_| {
        list.refetch();
        register.refetch();
    });
    view! {
        <h1>{tr("disposal.title")}</h1>
        <p class="hint no-print">{tr("disposal.intro")}</p>
        <div class="no-print"><SteeredPicker id="disposal-partnership" chosen log=true/></div>
        <p role="status" id="disposal-message" class="no-print">{move || message.get()}</p>
        {move || match list.get() {
            None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(Some(l))) => view! { <Due list=l steers=steers() message refetch/> }.into_any(),
        }}
        {move || match register.get() {
            None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(Some(r))) => view! { <Register register=r/> }.into_any(),
        }}
    }
}

/// The rules, the clients due with the approval form, and those not yet due.
#[component]
fn Due(list: DisposalList, steers: bool, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = list.partnership_id;
    let selected = RwSignal::new(BTreeSet::<Uuid>::new());
    let justification = RwSignal::new(String::new());
    let confirmed = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let archive = RwSignal::new(list.archive_until.clone());
    let all: Vec<Uuid> = list.due.iter().map(|c| c.client_id).collect();
    let approve = Action::new_local(move |req: &DisposalRequest| {
        let req = req.clone();
        async move {
            match api::post::<_, Disposed>(&format!("/api/v1/partnerships/{p}/disposals"), &req).await {
                Ok(d) => {
                    message.set(Some(t(lang.get_untracked(), "disposal.done").replace("{n}", &d.disposed.len().to_string())));
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                }
            }
        }
    });
    let save_archive = Action::new_local(move |until: &String| {
        let body = ArchiveDate { archive_until: until.clone() };
        async move {
            match api::put_merged::<_, DisposalList>(&format!("/api/v1/partnerships/{p}/archive-date"), &body).await {
                Ok(_) => {
                    message.set(Some(t(lang.get_untracked(), "disposal.archive_saved").to_string()));
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                }
            }
        }
    });
    let organisations = list.organisations.clone();
    let due = list.due.clone();
    let later = list.later.clone();
    let count = move || selected.with(BTreeSet::len);
    view! {
        <section class="card no-print" aria-labelledby="disposal-rules">
            <h2 id="disposal-rules">{tr("disposal.rules")}</h2>
            <p class="hint">{tr("disposal.rules_hint")}</p>
            <ul id="disposal-organisations">
                {organisations.into_iter().map(|r| view! { <li>{move || rule_text(&r, lang.get())}</li> }).collect_view()}
            </ul>
            {if steers {
                view! {
                    <form class="inline" id="archive-form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        errors.set(Vec::new());
                        save_archive.dispatch(archive.get_untracked());
                    }>
                        <TextControl id="archive_until" name=Some("archive_until") label=Signal::derive(tr("disposal.archive_until")) value=archive
                            set=Callback::new(move |v| archive.set(v)) error=Signal::derive(move || errors.with(|e| error_for(e, "archive_until"))) input_type="date"
                            hint=Some(Signal::derive(tr("disposal.archive_hint")))/>
                        <button type="submit" class="secondary" id="archive-save" disabled=move || save_archive.pending().get()>{tr("disposal.archive_save")}</button>
                    </form>
                }.into_any()
            } else {
                let shown = if list.archive_until.is_empty() { t(lang.get_untracked(), "disposal.archive_none").to_string() } else { format_iso_date(&list.archive_until) };
                view! { <p>{tr("disposal.archive_until")}": "{shown}</p> }.into_any()
            }}
        </section>
        <section class="card no-print" aria-labelledby="disposal-due-title">
            <h2 id="disposal-due-title">{tr("disposal.due")}" ("{due.len()}")"</h2>
            {if due.is_empty() {
                view! { <p id="disposal-none">{tr("disposal.none_due")}</p> }.into_any()
            } else {
                view! {
                    <form id="disposal-form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        let req = DisposalRequest { client_ids: selected.get_untracked().into_iter().collect(), justification: justification.get_untracked() };
                        match req.validate(lang.get_untracked()) {
                            Err(list) => {
                                errors.set(list);
                                crate::browser::focus_first_error();
                            }
                            Ok(_) if !confirmed.get_untracked() => {
                                errors.set(vec![FieldError { pointer: "/confirm".into(), code: "required".into(), message: t(lang.get_untracked(), "disposal.confirm_needed").into() }]);
                                crate::browser::focus_first_error();
                            }
                            Ok(_) => {
                                errors.set(Vec::new());
                                approve.dispatch(req);
                            }
                        }
                    }>
                        <TableScroll label=tr("disposal.due")>
                            <table id="disposal-due">
                                <thead><tr>
                                    <th scope="col">
                                        {steers.then(|| {
                                            let n = all.len();
                                            let all = all.clone();
                                            view! {
                                                <label class="pick"><input type="checkbox" id="disposal-all" aria-label=tr("disposal.select_all")
                                                    prop:checked=move || { n != 0 && selected.with(|s| s.len() == n) }
                                                    on:change=move |ev| { let on = event_target_checked(&ev); selected.set(if on { all.iter().copied().collect() } else { BTreeSet::new() }); }/></label>
                                            }
                                        })}
                                    </th>
                                    <th scope="col">{tr("disposal.client")}</th>
                                    <th scope="col">{tr("disposal.closed_on")}</th>
                                    <th scope="col">{tr("disposal.due_on")}</th>
                                    <th scope="col">{tr("disposal.why")}</th>
                                </tr></thead>
                                <tbody>
                                    {due.into_iter().map(|c| {
                                        let id = c.client_id;
                                        let name = who(&c, lang.get_untracked());
                                        let label = format!("{}: {name}", t(lang.get_untracked(), "disposal.select"));
                                        view! {
                                            <tr data-client=id.to_string()>
                                                <td>{steers.then(|| view! {
                                                    <label class="pick"><input type="checkbox" id=format!("dispose-{id}") aria-label=label
                                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                                        on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } }); }/></label>
                                                })}</td>
                                                <th scope="row">{name}</th>
                                                <td>{format_iso_date(&c.closed_on)}</td>
                                                <td>{format_iso_date(&c.due_on)}</td>
                                                <td>{move || rules_view(&c.rules, lang.get())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableScroll>
                        {steers.then(|| view! {
                            <p class="form-error" id="client_ids-error" role="alert">{move || errors.with(|e| error_for(e, "client_ids"))}</p>
                            <TextControl id="justification" name=Some("justification") label=Signal::derive(tr("disposal.justification")) value=justification
                                set=Callback::new(move |v| justification.set(v)) error=Signal::derive(move || errors.with(|e| error_for(e, "justification")))
                                long=true required=true hint=Some(Signal::derive(tr("disposal.justification_hint")))/>
                            <div class="field check">
                                <input type="checkbox" id="confirm" aria-describedby="confirm-error"
                                    aria-invalid=move || errors.with(|e| error_for(e, "confirm").is_some()).to_string() prop:checked=move || confirmed.get() on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                                <label for="confirm">{tr("disposal.confirm")}</label>
                                <p class="field-error" id="confirm-error">{move || errors.with(|e| error_for(e, "confirm"))}</p>
                            </div>
                            <div class="actions">
                                <button type="submit" class="danger" id="disposal-approve" disabled=move || approve.pending().get()>
                                    {move || t(lang.get(), "disposal.approve").replace("{n}", &count().to_string())}
                                </button>
                            </div>
                        })}
                    </form>
                }.into_any()
            }}
        </section>
        <section class="card no-print" aria-labelledby="disposal-later-title">
            <h2 id="disposal-later-title">{tr("disposal.later")}" ("{later.len()}")"</h2>
            <p class="hint">{tr("disposal.later_hint")}</p>
            {(!later.is_empty()).then(|| view! {
                <TableScroll label=tr("disposal.later")>
                    <table id="disposal-later">
                        <thead><tr>
                            <th scope="col">{tr("disposal.client")}</th>
                            <th scope="col">{tr("disposal.closed_on")}</th>
                            <th scope="col">{tr("disposal.due_on")}</th>
                            <th scope="col">{tr("disposal.why")}</th>
                        </tr></thead>
                        <tbody>
                            {later.into_iter().map(|c| {
                                let due_on = if c.due_on.is_empty() { "—".to_string() } else { format_iso_date(&c.due_on) };
                                view! {
                                    <tr data-client=c.client_id.to_string()>
                                        <th scope="row">{who(&c, lang.get_untracked())}</th>
                                        <td>{format_iso_date(&c.closed_on)}</td>
                                        <td>{due_on}</td>
                                        <td>{move || rules_view(&c.rules, lang.get())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            })}
        </section>
    }
}

/// The register, as the protocol of disposal (protokół brakowania) prints it.
#[component]
fn Register(register: DisposalRegister) -> impl IntoView {
    let lang = use_lang();
    let entries = register.entries;
    let partnership = register.partnership;
    view! {
        <section class="card" aria-labelledby="disposal-register-title" id="disposal-register">
            <h2 id="disposal-register-title">{tr("disposal.register")}</h2>
            <p>{partnership}</p>
            <p class="hint no-print">{tr("disposal.register_hint")}</p>
            <div class="actions no-print">
                <button type="button" class="secondary" id="disposal-print" on:click=move |_| crate::browser::print()>{tr("disposal.print")}</button>
            </div>
            {if entries.is_empty() {
                view! { <p id="register-empty">{tr("disposal.register_empty")}</p> }.into_any()
            } else {
                view! {
                    <TableScroll label=tr("disposal.register")>
                        <table id="register-table">
                            <thead><tr>
                                <th scope="col">{tr("disposal.no")}</th>
                                <th scope="col">{tr("disposal.file")}</th>
                                <th scope="col">{tr("disposal.dates")}</th>
                                <th scope="col">{tr("disposal.why")}</th>
                                <th scope="col">{tr("disposal.justification")}</th>
                                <th scope="col">{tr("disposal.approved")}</th>
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| {
                                    let kind = e.kind.clone();
                                    view! {
                                        <tr data-client=e.client_id.to_string()>
                                            <th scope="row">{e.no}</th>
                                            <td>{move || t(lang.get(), &format!("client.kind.{kind}")).to_string()}<br/><span class="hint">{e.client_id.to_string()}</span></td>
                                            <td>{move || format!("{} {} · {} {}", t(lang.get(), "disposal.registered"), format_iso_date(&e.registered), t(lang.get(), "disposal.closed_on"), format_iso_date(&e.closed_on))}</td>
                                            <td>{move || rules_view(&e.rules, lang.get())}</td>
                                            <td>{e.justification.clone()}</td>
                                            <td>{e.approved_by.clone()}<br/><span class="hint">{e.disposed_at.clone()}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                    <p class="print-only signature">{tr("disposal.signature")}</p>
                }.into_any()
            }}
        </section>
    }
}
