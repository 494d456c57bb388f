//! The partnership's own documents (tools 1, 2, 3 and 9): written on the device
//! first (encrypted, sent by the sync engine, merged field by field on the server),
//! with the agreement's signatures, withdrawal notices and amendments, the action
//! plan's Gantt schedule edited by tapping months, and the print views on A4.

use domain::docs::Partner;
use domain::i18n::t;
use domain::partnership::agreement::{AgreementState, Party};
use domain::partnership::evaluation::{self, opinion_id, AREAS, AREA_QUESTIONS, GENERAL};
use domain::partnership::plan::{self, ActionPlan, TEXTS};
use domain::partnership::team::TeamDecision;
use domain::partnership::{self as pd, Kind, PartnershipDoc};
use domain::calendar::Month;
use domain::validation::format_iso_date;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::{json, Value};
use uuid::Uuid;

use super::docs::fields::{dom_id, use_doc, Check, Choice, DocCtx, Rows, Select, Text};
use super::widgets::{ErrorNotice, Loading, SteeredPicker};
use crate::api::{self, use_session};
use crate::i18n::{tr, use_lang};
use crate::offline::{use_offline, Lock};

/// The partnership's member organisations, for the forms' selects.
#[derive(Clone)]
struct Partners(Vec<Partner>);

fn partner_options() -> Signal<Vec<(String, String)>> {
    let p = expect_context::<Partners>().0;
    Signal::derive(move || p.iter().map(|x| (x.organisation_id.to_string(), x.name.clone())).collect())
}

/// A label whose key is made at run time.
fn trk(key: String) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), &key).to_string()
}

fn partner_name(partners: &[Partner], id: &str) -> String {
    partners.iter().find(|p| p.organisation_id.to_string() == id).map(|p| p.name.clone()).unwrap_or_default()
}

#[component]
pub fn PartnershipPage() -> impl IntoView {
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = move || chosen.get().or_else(|| session.me().and_then(|m| m.memberships.first().map(|m| m.partnership_id)));
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| q.get("tab")).and_then(|t| Kind::parse(&t)).unwrap_or(Kind::Agreement));
    let month = RwSignal::new(Month::of(api::today()).to_string());
    let partners = move || {
        let p = partnership();
        session.me().and_then(|m| m.memberships.into_iter().find(|m| Some(m.partnership_id) == p)).map(|m| m.partners).unwrap_or_default()
    };
    let overview = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Value>(&format!("/api/v1/partnerships/{p}/docs")).await.ok(),
                None => None,
            }
        }
    });
    view! {
        <h1 class="no-print">{tr("pd.title")}</h1>
        <div class="no-print"><SteeredPicker id="pd-partnership" chosen all=true/></div>
        {move || overview.get().flatten().and_then(|o| o["evaluation_due"].as_str().map(str::to_string)).map(|due| view! {
            <p class="notice no-print" id="evaluation-due">{tr("ev.due")} " " {Month::parse(&due).map(|p| p.label(use_lang().get_untracked())).unwrap_or(due)}</p>
        })}
        <nav class="doc-tabs no-print" aria-label=tr("pd.title")>
            {Kind::ALL.into_iter().map(|k| view! {
                <a href=format!("/partnership?tab={}", k.as_str()) data-tab=k.as_str() aria-current=move || (tab.get() == k).then_some("page")>{trk(format!("pd.kind.{}", k.as_str()))}</a>
            }).collect_view()}
        </nav>
        {move || (tab.get() == Kind::Evaluation).then(|| view! {
            <div class="field no-print">
                <label for="ev-month">{tr("ev.open")}</label>
                <input id="ev-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| { let v = event_target_value(&ev); if Month::parse(&v).is_some() { month.set(v); } }/>
            </div>
        })}
        {move || partnership().map(|p| {
            let kind = tab.get();
            let key = if kind.keyed() { month.get() } else { String::new() };
            view! { <PdEditor partnership=p kind key partners=partners()/> }
        })}
    }
}

#[component]
fn PdEditor(partnership: Uuid, kind: Kind, key: String, partners: Vec<Partner>) -> impl IntoView {
    let engine = use_offline();
    let key = StoredValue::new(key);
    let fetched = LocalResource::new(move || {
        let url = format!("/api/v1/partnerships/{partnership}/docs/{}?key={}", kind.as_str(), key.get_value());
        async move { api::get::<PartnershipDoc>(&url).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = fetched.get() {
            engine.keep_partnership_doc(d);
        }
    });
    let draft = move || engine.partnership_doc_draft(partnership, kind, &key.get_value());
    let server = Memo::new(move |_| {
        let fresh = fetched.get().and_then(Result::ok);
        let kept = draft().and_then(|d| d.server);
        crate::offline::newest(fresh, kept, |c| c.version)
    });
    provide_context(Partners(partners.clone()));
    view! {
        {move || match (fetched.get(), server.get()) {
            (_, Some(_)) => ().into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
            (Some(Err(e)), None) => view! { <ErrorNotice error=e/> }.into_any(),
            (Some(Ok(_)), None) => ().into_any(),
        }}
        {move || server.with(Option::is_some).then(|| view! { <PdForm partnership kind key=key.get_value() server partners=partners.clone()/> })}
    }
}

#[component]
fn PdForm(partnership: Uuid, kind: Kind, key: String, server: Memo<Option<PartnershipDoc>>, partners: Vec<Partner>) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let key = StoredValue::new(key);
    let draft = move || engine.partnership_doc_draft(partnership, kind, &key.get_value());
    let start = draft().map(|d| d.local).or_else(|| server.get_untracked().map(|s| s.data)).unwrap_or(Value::Null);
    let value = RwSignal::new(start);
    // A sync that merged someone else's fields into the draft shows them.
    Effect::new(move |_| {
        if let Some(d) = draft() {
            if value.with_untracked(|v| *v != d.local) {
                value.set(d.local);
            }
        }
    });
    let ps = StoredValue::new(partners.clone());
    let errors = Memo::new(move |_| value.with(|v| pd::validate(kind, v, lang.get(), &ps.get_value()).err().unwrap_or_default()));
    let signed = move || server.get().and_then(|s| s.agreement).is_some_and(|a| a.state != AgreementState::Draft);
    let readonly = Signal::derive(move || engine.lock.get() != Lock::Open || (kind == Kind::Agreement && signed()));
    let save = Callback::new(move |_| {
        if let Some(s) = server.get_untracked() {
            engine.edit_partnership_doc(s, value.get_untracked());
        }
    });
    provide_context(DocCtx { value, errors, save, readonly });
    let state = move || match draft() {
        Some(d) if !d.conflicts.is_empty() => "conflict",
        Some(d) if !d.errors.is_empty() => "invalid",
        Some(d) if d.waiting() && !errors.with(Vec::is_empty) => "invalid",
        Some(d) if d.waiting() => "waiting",
        _ if server.get().is_some_and(|s| s.version > 0) => "saved",
        _ => "new",
    };
    let form = match kind {
        Kind::Agreement => view! { <AgreementForm/> }.into_any(),
        Kind::Team => view! { <TeamForm/> }.into_any(),
        Kind::Plan => view! { <PlanForm/> }.into_any(),
        Kind::Evaluation => view! { <EvaluationForm/> }.into_any(),
    };
    view! {
        <section class="card doc no-print" data-doc=kind.as_str()>
            <div class="card-head">
                <h2>{trk(format!("pd.kind.{}", kind.as_str()))}</h2>
                <button type="button" class="secondary" id="pd-print" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{tr("pd.print")}</button>
            </div>
            <p class="doc-status" id="pd-status" role="status" data-state=state>{move || t(lang.get(), &format!("pd.state.{}", state())).to_string()}</p>
            {move || (engine.lock.get() != Lock::Open).then(|| view! { <p class="notice">{tr("report.locked")}</p> })}
            {move || (kind == Kind::Agreement && signed()).then(|| view! { <p class="notice" id="agreement-locked">{tr("pd.locked_text")}</p> })}
            {move || draft().filter(|d| !d.conflicts.is_empty()).map(|d| view! {
                <div class="conflict" id="pd-conflicts" role="alert">
                    <p>{tr("report.conflict")}</p>
                    <table>
                        <thead><tr><th scope="col">{tr("report.section")}</th><th scope="col">{tr("report.mine")}</th><th scope="col">{tr("report.theirs")}</th><th scope="col"></th></tr></thead>
                        <tbody>
                            {d.conflicts.iter().map(|c| {
                                let (p1, p2) = (c.path.clone(), c.path.clone());
                                let show = |v: &Value| match v { Value::String(s) => s.clone(), Value::Null => String::new(), o => o.to_string() };
                                view! {
                                    <tr>
                                        <th scope="row">{domain::merge::pointer(&c.path)}</th>
                                        <td class="mine">{show(domain::merge::get(&d.local, &c.path))}</td>
                                        <td class="theirs">{show(&c.theirs)}</td>
                                        <td>
                                            <button type="button" class="keep-mine" on:click=move |_| if let Some(s) = server.get_untracked() { engine.resolve_partnership_doc(s, p1.clone(), true) }>{tr("report.keep_mine")}</button>
                                            " "
                                            <button type="button" class="secondary take-theirs" on:click=move |_| if let Some(s) = server.get_untracked() { engine.resolve_partnership_doc(s, p2.clone(), false) }>{tr("report.take_theirs")}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {move || draft().filter(|d| d.errors.iter().any(|e| e.pointer.is_empty())).map(|d| view! {
                <div class="notice error" id="pd-refused" role="alert">
                    {d.errors.iter().filter(|e| e.pointer.is_empty()).map(|e| view! { <p>{e.message.clone()}</p> }).collect_view()}
                    <button type="button" class="secondary" on:click=move |_| if let Some(s) = server.get_untracked() { engine.discard_partnership_doc(s) }>{tr("report.discard")}</button>
                </div>
            })}
            <fieldset class="doc-form" disabled=move || readonly.get()>{form}</fieldset>
        </section>
        {move || (kind == Kind::Agreement).then(|| view! { <AgreementPanel partnership server/> })}
        {move || {
            let v = value.get();
            let partners = ps.get_value();
            match kind {
                Kind::Agreement => print_agreement(&v, &partners, server.get()),
                Kind::Team => print_team(&v, &partners),
                Kind::Plan => print_plan(&v, &partners),
                Kind::Evaluation => print_evaluation(&v, &partners),
            }
        }}
    }
}

/// A month (`YYYY-MM`) bound to the document.
#[component]
fn MonthField(#[prop(into)] path: String, label: &'static str) -> impl IntoView {
    let doc = use_doc();
    let id = dom_id(&path);
    let p = StoredValue::new(path);
    view! {
        <div class="field" class:invalid=move || doc.error(&p.get_value()).is_some()>
            <label for=id.clone()>{tr(label)}</label>
            <input id=id type="month" prop:value=move || doc.text(&p.get_value()) disabled=move || doc.readonly.get()
                on:change=move |ev| doc.set(&p.get_value(), Value::String(event_target_value(&ev)))/>
            <p class="field-error" aria-live="polite">{move || doc.error(&p.get_value())}</p>
        </div>
    }
}

#[component]
fn AgreementForm() -> impl IntoView {
    let doc = use_doc();
    let parties = move || {
        doc.get("parties").as_array().map(|a| a.iter().filter_map(|p| Some((p["id"].as_str()?.to_string(), p["name"].as_str().unwrap_or("").to_string()))).collect::<Vec<_>>()).unwrap_or_default()
    };
    view! {
        <div class="row">
            <Text path="date" label="ag.date" date=true/>
            <Text path="place" label="ag.place"/>
        </div>
        <Text path="service" label="ag.service"/>
        <Text path="description" label="ag.description" long=true/>
        <div class="row">
            <Text path="period_from" label="ag.period_from" date=true/>
            <Text path="period_to" label="ag.period_to" date=true/>
        </div>
        <Check path="indefinite" label="ag.indefinite"/>
        <Text path="team_name" label="ag.team_name"/>
        <h3>{tr("ag.parties")}</h3>
        <For each=parties key=|p| p.0.clone() let:party>
            {
                let pid = party.0.clone();
                let at = move |f: &str| format!("parties/#{pid}/{f}");
                view! {
                    <fieldset class="party" data-party=party.0.clone()>
                        <legend>{party.1.clone()}</legend>
                        <div class="row">
                            <Text path=at("name") label="ag.name"/>
                            <Text path=at("seat") label="ag.seat"/>
                        </div>
                        <div class="row">
                            <Text path=at("krs") label="ag.krs"/>
                            <Text path=at("regon") label="ag.regon"/>
                        </div>
                        <div class="row">
                            <Text path=at("representative") label="ag.representative"/>
                            <Text path=at("function") label="ag.function"/>
                        </div>
                        <Text path=at("obligations") label="ag.obligations" long=true/>
                        <div class="row">
                            <Text path=at("tasks_from") label="ag.tasks_from" date=true/>
                            <Text path=at("tasks_to") label="ag.tasks_to" date=true/>
                        </div>
                    </fieldset>
                }
            }
        </For>
    }
}

/// Signatures, withdrawal notices and amendments: events the server records.
#[component]
fn AgreementPanel(partnership: Uuid, server: Memo<Option<PartnershipDoc>>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let mine = move || session.me().and_then(|m| m.organisation_id);
    let error = RwSignal::new(None::<String>);
    let answer = RwSignal::new(None::<PartnershipDoc>);
    let engine = use_offline();
    let current = move || answer.get().filter(|a| server.get().is_none_or(|s| a.version >= s.version)).or_else(|| server.get());
    let act = move |url: String, body: Value| {
        leptos::task::spawn_local(async move {
            match api::post::<_, PartnershipDoc>(&url, &body).await {
                Ok(d) => {
                    error.set(None);
                    engine.keep_partnership_doc(d.clone());
                    answer.set(Some(d));
                }
                Err(e) => error.set(Some(e.field_errors().first().map(|f| f.message.clone()).unwrap_or_else(|| e.message()))),
            }
        });
    };
    let base = format!("/api/v1/partnerships/{partnership}/agreement");
    let notice = RwSignal::new(api::today().to_string());
    let proposal = RwSignal::new(String::new());
    let (b1, b2, b3) = (base.clone(), base.clone(), base);
    view! {
        <section class="card no-print" id="agreement-panel" aria-labelledby="ag-state-h">
            <h2 id="ag-state-h">{tr("ag.state")}</h2>
            {move || current().and_then(|d| {
                let st = d.agreement.clone()?;
                let parties: Vec<Party> = serde_json::from_value::<domain::partnership::agreement::Agreement>(d.data.clone()).map(|a| a.parties).unwrap_or_default();
                let state_key = format!("ag.state.{}", serde_json::to_value(st.state).ok()?.as_str()?.to_string());
                let b1 = b1.clone();
                Some(view! {
                    <p id="agreement-state" data-state=serde_json::to_value(st.state).ok().and_then(|v| v.as_str().map(str::to_string))><strong>{t(lang.get_untracked(), &state_key).to_string()}</strong></p>
                    <ul class="plain" id="signatures">
                        {parties.iter().map(|p| {
                            let org = p.organisation();
                            let sig = st.signatures.iter().find(|s| Some(s.organisation_id) == org).cloned();
                            let gone = st.withdrawals.iter().find(|w| Some(w.organisation_id) == org).cloned();
                            let can_sign = sig.is_none() && org.is_some() && org == mine();
                            let url = format!("{b1}/sign");
                            view! {
                                <li data-party=p.id.clone() data-signed=sig.is_some().to_string()>
                                    <strong>{p.name.clone()}</strong> ": "
                                    {match &sig {
                                        Some(s) => format!("{} — {} ({})", t(lang.get_untracked(), "ag.signed"), s.by, s.at),
                                        None => t(lang.get_untracked(), "ag.not_signed").to_string(),
                                    }}
                                    {gone.map(|w| format!(" · {} {}", t(lang.get_untracked(), "ag.withdrawn"), format_iso_date(&w.notice)))}
                                    {can_sign.then(|| {
                                        let url = url.clone();
                                        view! { " " <button type="button" class="sign" on:click=move |_| act(url.clone(), json!({"organisation_id": org}))>{tr("ag.sign")} " " {p.name.clone()}</button> }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h3>{tr("ag.amendments")}</h3>
                    <ol id="amendments">
                        {st.amendments.iter().map(|a| {
                            let consented = a.consents.iter().any(|c| Some(c.organisation_id) == mine());
                            let url = format!("{}/amendments/{}/consent", b1, a.id);
                            let url2 = url.clone();
                            let me = mine();
                            view! {
                                <li data-in-effect=a.in_effect.to_string()>
                                    <p class="note-text">{a.text.clone()}</p>
                                    <p class="note-meta">{a.proposed_by.clone()} ", " {a.proposed_at.clone()} " — "
                                        {if a.in_effect { t(lang.get_untracked(), "ag.in_effect").to_string() } else { t(lang.get_untracked(), "ag.awaiting").to_string() }}
                                        {a.consents.iter().map(|c| format!(" · {} ({})", c.by, t(lang.get_untracked(), &format!("ag.via.{}", c.via)))).collect::<String>()}
                                    </p>
                                    {(!consented && !a.in_effect && me.is_some()).then(|| view! {
                                        <button type="button" class="consent" on:click=move |_| act(url.clone(), json!({"organisation_id": me, "via": "signature"}))>{tr("ag.consent")} " (" {tr("ag.via.signature")} ")"</button>
                                        " "
                                        <button type="button" class="secondary consent-email" on:click=move |_| act(url2.clone(), json!({"organisation_id": me, "via": "email"}))>{tr("ag.consent")} " (" {tr("ag.via.email")} ")"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                })
            })}
            <p class="form-error" role="alert" id="agreement-error">{move || error.get()}</p>
            <Show when=move || current().and_then(|d| d.agreement).is_some_and(|a| a.state == AgreementState::InForce)>
                <div class="field">
                    <label for="proposal">{tr("ag.amendment_text")}</label>
                    <textarea id="proposal" prop:value=move || proposal.get() on:input=move |ev| proposal.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" class="secondary" id="propose" on:click={
                    let url = format!("{b2}/amendments");
                    move |_| { act(url.clone(), json!({"text": proposal.get_untracked()})); proposal.set(String::new()); }
                }>{tr("ag.propose")}</button>
                <fieldset>
                    <legend>{tr("ag.withdraw")}</legend>
                    <p class="hint">{tr("ag.withdraw_hint")}</p>
                    <div class="field">
                        <label for="notice">{tr("ag.notice")}</label>
                        <input id="notice" type="date" prop:value=move || notice.get() on:change=move |ev| notice.set(event_target_value(&ev))/>
                    </div>
                    <button type="button" class="danger" id="withdraw" on:click={
                        let url = format!("{b3}/withdraw");
                        move |_| act(url.clone(), json!({"organisation_id": mine(), "notice": notice.get_untracked()}))
                    }>{tr("ag.withdraw_button")}</button>
                </fieldset>
            </Show>
        </section>
    }
}

fn member_row(path: String) -> AnyView {
    view! {
        <div class="row">
            <Select path=format!("{path}/organisation_id") label="tm.organisation" options=partner_options()/>
            <Text path=format!("{path}/name") label="tm.name"/>
            <Text path=format!("{path}/function") label="tm.function"/>
        </div>
    }
    .into_any()
}

#[component]
fn TeamForm() -> impl IntoView {
    let doc = use_doc();
    let members = Signal::derive(move || {
        doc.get("members").as_array().map(|a| a.iter().filter_map(|m| Some((m["id"].as_str()?.to_string(), m["name"].as_str().unwrap_or("").to_string()))).collect()).unwrap_or_default()
    });
    view! {
        <Text path="number" label="tm.number"/>
        <Rows path="members" title="tm.members" add_label="pd.add" new_row=|| json!({}) row=member_row/>
        <Select path="chair" label="tm.chair" options=members/>
        <Text path="tasks" label="tm.tasks" long=true/>
        <div class="row">
            <Text path="valid_from" label="tm.valid_from" date=true/>
            <Text path="valid_to" label="tm.valid_to" date=true/>
        </div>
    }
}

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
            <MonthField path=format!("{path}/from") label="pl.from"/>
            <MonthField path=format!("{path}/to") label="pl.to"/>
            <Check path=format!("{path}/milestone") label="pl.milestone"/>
        </div>
    }
    .into_any()
}

#[component]
fn PlanForm() -> impl IntoView {
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
                <MonthField path="period_from" label="pl.period_from"/>
                <MonthField path="period_to" label="pl.period_to"/>
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
fn EvaluationForm() -> impl IntoView {
    let session = use_session();
    let partners = expect_context::<Partners>().0;
    let own = session.me().and_then(|m| m.organisation_id).filter(|o| partners.iter().any(|p| p.organisation_id == *o));
    let acting = RwSignal::new(own.or_else(|| partners.first().map(|p| p.organisation_id)));
    view! {
        <div class="row">
            <MonthField path="period_from" label="ev.period_from"/>
            <MonthField path="period_to" label="ev.period_to"/>
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

fn pl(key: &str) -> String {
    t(domain::Lang::Pl, key).to_string()
}

fn print_agreement(v: &Value, partners: &[Partner], server: Option<PartnershipDoc>) -> AnyView {
    let a: domain::partnership::agreement::Agreement = serde_json::from_value(v.clone()).unwrap_or_default();
    let signatures = server.and_then(|d| d.agreement).map(|st| st.signatures).unwrap_or_default();
    let _ = partners;
    view! {
        <article class="print-doc" id="print-agreement" data-doc="agreement" lang="pl">
            <h2 class="p-title">{pl("ag.heading")}</h2>
            <p class="p-center">{format!("na rzecz realizacji usługi pn. „{}”", a.service)}</p>
            <p class="p-center">{format!("zawarta w dniu {} w {} pomiędzy:", format_iso_date(&a.date), a.place)}</p>
            {a.parties.iter().map(|p| view! {
                <p>{format!("{} z siedzibą w {}, KRS: {}, REGON: {}, reprezentowana przez: {} ({})", p.name, p.seat, p.krs, p.regon, p.representative, p.function)}</p>
            }).collect_view()}
            <p>"zwanymi dalej „Partnerami”."</p>
            <h3 class="p-center">"§ 1"</h3><p>{format!("Strony umowy postanawiają podjąć współpracę na rzecz realizacji usługi pod nazwą: „{}”, zwanej dalej „Usługą”.", a.service)}</p>
            <h3 class="p-center">"§ 2"</h3><p>"Celem współpracy jest należyte wykonanie usługi, zgodnie z jej opisem znajdującym się w załączniku nr 1 stanowiącym integralną część niniejszej Umowy."</p>
            <h3 class="p-center">"§ 3"</h3>
            <p>{if a.indefinite { "Umowa została zawarta na czas nieokreślony.".to_string() } else { format!("Umowa została zawarta na okres od dnia {} do dnia {}.", format_iso_date(&a.period_from), format_iso_date(&a.period_to)) }}</p>
            <h3 class="p-center">"§ 4"</h3>
            {a.parties.iter().enumerate().map(|(i, p)| view! {
                <p>{format!("{}) W ramach współpracy na rzecz realizacji Usługi {} zobowiązuje się do: {}", (b'a' + i as u8) as char, p.name, p.obligations)}</p>
            }).collect_view()}
            <p>{pl("ag.clause_d")}</p>
            <p>{pl("ag.clause_e")}</p>
            <h3 class="p-center">"§ 5"</h3>
            <p>{format!("W celu koordynacji współpracy na rzecz realizacji Usługi Partnerzy powołują {}, w skład którego wchodzi po {} przedstawicielu desygnowanym przez każdego z Partnerów.", a.team_name, if a.delegates == 2 { "dwóch" } else { "jednym" })}</p>
            <p>{pl("ag.clause_5")}</p>
            <h3 class="p-center">"§ 6"</h3><p>{pl("ag.clause_6")}</p>
            <h3 class="p-center">"§ 7"</h3><p>{pl("ag.clause_7")}</p>
            <div class="p-signatures">
                {a.parties.iter().map(|p| {
                    let sig = signatures.iter().find(|s| Some(s.organisation_id) == p.organisation()).map(|s| format!("{} {}", s.by, s.at)).unwrap_or_default();
                    view! { <div class="p-sig"><span class="p-sig-line">{sig}</span><span class="p-sig-caption">{p.name.clone()}</span></div> }
                }).collect_view()}
            </div>
            {(!a.description.is_empty()).then(|| view! { <section class="p-break"><h3>"Załącznik nr 1 — opis usługi"</h3><p class="p-value">{a.description.clone()}</p></section> })}
        </article>
    }
    .into_any()
}

fn print_team(v: &Value, partners: &[Partner]) -> AnyView {
    let d: TeamDecision = serde_json::from_value(v.clone()).unwrap_or_default();
    let chair = d.members.iter().find(|m| m.id == d.chair).map(|m| m.name.clone()).unwrap_or_default();
    view! {
        <article class="print-doc" id="print-team" data-doc="team" lang="pl">
            <h2 class="p-title">{pl("tm.heading")}</h2>
            <p class="p-center">{format!("Zarządzenie Nr {} do Umowy Współpracy Partnerskiej", d.number)}</p>
            <h3 class="p-center">"§ 1"</h3>
            <p>"Na podstawie Umowy Współpracy Partnerskiej powołuje się Zespół Koordynacyjny, w skład którego wchodzi po jednym przedstawicielu desygnowanym przez każdego z Partnerów:"</p>
            <ol>{d.members.iter().map(|m| view! { <li>{format!("{} – {} ({})", m.name, m.function, partner_name(partners, &m.organisation_id))}</li> }).collect_view()}</ol>
            <h3 class="p-center">"§ 2"</h3><p>{format!("Na przewodniczącego Zespołu Koordynującego zostaje powołana/y {chair}.")}</p>
            <h3 class="p-center">"§ 3"</h3><p>"Do zadań przewodniczącego należy kierowanie pracami Zespołu."</p>
            <h3 class="p-center">"§ 4"</h3><p class="p-value">{d.tasks.clone()}</p>
            <h3 class="p-center">"§ 5"</h3><p>{format!("Zarządzenie obowiązuje w okresie od dnia {} do dnia {}.", format_iso_date(&d.valid_from), format_iso_date(&d.valid_to))}</p>
            <h3 class="p-center">"§ 6"</h3><p>"Zarządzenie wchodzi w życie z dniem podpisania przez wszystkich Partnerów."</p>
            <div class="p-signatures">{partners.iter().map(|p| view! { <div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{p.name.clone()}</span></div> }).collect_view()}</div>
        </article>
    }
    .into_any()
}

/// The schedule as an SVG Gantt chart: bars by month, milestones as diamonds, with a
/// text description for screen readers.
fn gantt_svg(p: &ActionPlan, partners: &[Partner]) -> AnyView {
    let months = p.months();
    let (label_w, cell, row_h, head) = (220.0, 34.0, 26.0, 30.0);
    let width = label_w + cell * months.len() as f64;
    let height = head + row_h * p.schedule.len() as f64 + 4.0;
    let desc = p.schedule.iter().map(|a| format!("{}: {} – {}{}", a.name, a.from, a.to, if a.milestone { " (kamień milowy)" } else { "" })).collect::<Vec<_>>().join("; ");
    view! {
        <svg class="gantt" role="img" aria-labelledby="gantt-title gantt-desc" viewBox=format!("0 0 {width} {height}") width="100%">
            <title id="gantt-title">{pl("pl.s10")}</title>
            <desc id="gantt-desc">{desc}</desc>
            {months.iter().enumerate().map(|(i, m)| {
                let x = label_w + cell * i as f64;
                view! {
                    <rect x=x y="0" width=cell height=height class="g-col"/>
                    <text x=x + cell / 2.0 y="18" text-anchor="middle" class="g-month">{format!("{:02}.{:02}", m.month, m.year % 100)}</text>
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

fn print_plan(v: &Value, partners: &[Partner]) -> AnyView {
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

fn print_evaluation(v: &Value, partners: &[Partner]) -> AnyView {
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
