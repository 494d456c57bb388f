//! The partnership agreement: its form, the panel of signatures, withdrawal notices
//! and amendments, and its print view.

use domain::docs::Partner;
use domain::i18n::t;
use domain::partnership::agreement::{AgreementState, Party};
use domain::partnership::PartnershipDoc;
use domain::validation::{format_iso_date, FieldError};
use leptos::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{pl, trk};
use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};
use crate::offline::use_offline;
use crate::pages::components::fields::{use_doc, Check, Text};

#[component]
pub(super) fn AgreementForm() -> impl IntoView {
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

/// Signatures, withdrawal notices and amendments (an accession among them): events the
/// server records.
#[component]
pub(super) fn AgreementPanel(partnership: Uuid, server: Memo<Option<PartnershipDoc>>, partners: Vec<Partner>) -> impl IntoView {
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
                    engine.keep(d.clone());
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
    let partners = StoredValue::new(partners);
    let steers = move || session.me().is_some_and(|m| m.memberships.iter().any(|m| m.partnership_id == partnership && m.role.steers()));
    view! {
        <section class="card no-print" id="agreement-panel" aria-labelledby="ag-state-h">
            <h2 id="ag-state-h">{tr("ag.state")}</h2>
            {move || current().and_then(|d| {
                let st = d.agreement.clone()?;
                let parties: Vec<Party> = serde_json::from_value::<domain::partnership::agreement::Agreement>(d.data.clone()).map(|a| a.parties).unwrap_or_default();
                let state_key = format!("ag.state.{}", serde_json::to_value(st.state).ok()?.as_str()?);
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
                        {st.amendments.iter().filter(|a| a.in_effect).filter_map(|a| a.joining.clone()).map(|p| {
                            let gone = st.withdrawals.iter().find(|w| Some(w.organisation_id) == p.organisation()).cloned();
                            view! {
                                <li data-party=p.id.clone() data-joined="true">
                                    <strong>{p.name.clone()}</strong> ": " {tr("ag.joined")}
                                    {gone.map(|w| format!(" · {} {}", t(lang.get_untracked(), "ag.withdrawn"), format_iso_date(&w.notice)))}
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
                                <li data-in-effect=a.in_effect.to_string() data-joining=a.joining.as_ref().map(|j| j.id.clone())>
                                    {a.joining.as_ref().map(|j| view! { <p><strong>{tr("ag.accession_of")} " " {j.name.clone()}</strong></p> })}
                                    <p class="note-text">{a.text.clone()}</p>
                                    <p class="note-meta">{a.proposed_by.clone()} ", " {a.proposed_at.clone()} " — "
                                        {if a.in_effect { t(lang.get_untracked(), "ag.in_effect").to_string() } else { t(lang.get_untracked(), "ag.awaiting").to_string() }}
                                        {a.consents.iter().map(|c| format!(" · {} ({})", c.by, t(lang.get_untracked(), &format!("ag.via.{}", c.via)))).collect::<String>()}
                                    </p>
                                    {(!consented && !a.in_effect && me.is_some()).then(|| match a.joining.as_ref().is_some_and(|j| j.organisation() == me) {
                                        // The one joining signs its accession.
                                        true => view! {
                                            <button type="button" class="consent sign-accession" on:click=move |_| act(url.clone(), json!({"organisation_id": me, "via": "signature"}))>{tr("ag.sign_accession")}</button>
                                        }.into_any(),
                                        false => view! {
                                            <button type="button" class="consent" on:click=move |_| act(url.clone(), json!({"organisation_id": me, "via": "signature"}))>{tr("ag.consent")} " (" {tr("ag.via.signature")} ")"</button>
                                            " "
                                            <button type="button" class="secondary consent-email" on:click=move |_| act(url2.clone(), json!({"organisation_id": me, "via": "email"}))>{tr("ag.consent")} " (" {tr("ag.via.email")} ")"</button>
                                        }.into_any(),
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
                {move || steers().then(|| view! { <Accession partnership partners=partners.get_value() current=Signal::derive(current) answer engine/> })}
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

/// A coordinator proposes that a member organisation the agreement does not bind yet
/// join it: what it undertakes, who represents it, when its tasks run.
#[component]
fn Accession(
    partnership: Uuid,
    partners: Vec<Partner>,
    current: Signal<Option<PartnershipDoc>>,
    answer: RwSignal<Option<PartnershipDoc>>,
    engine: crate::offline::Offline,
) -> impl IntoView {
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let org = RwSignal::new(String::new());
    let fields: Vec<(&'static str, RwSignal<String>)> =
        ["representative", "function", "obligations", "tasks_from", "tasks_to"].into_iter().map(|n| (n, RwSignal::new(String::new()))).collect();
    let fs = StoredValue::new(fields);
    let partners = StoredValue::new(partners);
    // Members the agreement does not bind and whose accession does not already wait.
    let candidates = move || {
        let st = current.get().and_then(|d| d.agreement);
        partners.with_value(|ps| {
            ps.iter()
                .filter(|p| {
                    st.as_ref().is_some_and(|st| {
                        !st.bound.iter().any(|b| b.organisation() == Some(p.organisation_id))
                            && !st.amendments.iter().any(|a| !a.in_effect && a.joining.as_ref().is_some_and(|j| j.organisation() == Some(p.organisation_id)))
                    })
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let error_of = move |f: &'static str| move || errors.with(|e| e.iter().find(|e| e.pointer == format!("/{f}")).map(|e| e.message.clone()));
    let submit = move |_| {
        // The select shows its first option until someone picks another.
        let list = candidates();
        let chosen = list.iter().map(|p| p.organisation_id.to_string()).find(|id| *id == org.get_untracked()).or_else(|| list.first().map(|p| p.organisation_id.to_string()));
        let mut body = serde_json::Map::new();
        body.insert("organisation_id".into(), json!(chosen));
        for (name, value) in fs.get_value() {
            body.insert(name.into(), json!(value.get_untracked()));
        }
        leptos::task::spawn_local(async move {
            match api::post::<_, PartnershipDoc>(&format!("/api/v1/partnerships/{partnership}/agreement/accessions"), &Value::Object(body)).await {
                Ok(d) => {
                    errors.set(Vec::new());
                    for (_, value) in fs.get_value() {
                        value.set(String::new());
                    }
                    engine.keep(d.clone());
                    answer.set(Some(d));
                }
                Err(e) => {
                    let mut list = e.field_errors();
                    if list.is_empty() {
                        list.push(FieldError { pointer: "/organisation_id".into(), code: "refused".into(), message: e.message() });
                    }
                    errors.set(list);
                }
            }
        });
    };
    view! {
        <Show when=move || !candidates().is_empty()>
            <fieldset id="accession">
                <legend>{tr("ag.accession")}</legend>
                <p class="hint">{tr("ag.accession_hint")}</p>
                <div class="field">
                    <label for="acc-organisation_id">{tr("ag.joining_org")}</label>
                    <select id="acc-organisation_id" on:change=move |ev| org.set(event_target_value(&ev)) aria-describedby="acc-organisation_id-error">
                        {move || candidates().into_iter().map(|p| {
                            let id = p.organisation_id.to_string();
                            view! { <option value=id.clone() selected=move || org.get() == id>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="acc-organisation_id-error" role="alert">{error_of("organisation_id")}</p>
                </div>
                {fs.get_value().into_iter().map(|(name, value)| {
                    let id = format!("acc-{name}");
                    let err = format!("acc-{name}-error");
                    let invalid = move || error_of(name)().is_some().to_string();
                    let control = match name {
                        "obligations" => view! {
                            <textarea id=id.clone() aria-describedby=err.clone() aria-invalid=invalid
                                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                        }.into_any(),
                        "tasks_from" | "tasks_to" => view! {
                            <input id=id.clone() type="date" aria-describedby=err.clone() aria-invalid=invalid
                                prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))/>
                        }.into_any(),
                        _ => view! {
                            <input id=id.clone() type="text" aria-describedby=err.clone() aria-invalid=invalid
                                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                        }.into_any(),
                    };
                    view! {
                        <div class="field">
                            <label for=id>{trk(format!("ag.{name}"))}</label>
                            {control}
                            <p class="field-error" id=err role="alert">{error_of(name)}</p>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" role="alert" id="acc-regon-error">{error_of("regon")}</p>
                <button type="button" class="secondary" id="accede" on:click=submit>{tr("ag.accede")}</button>
            </fieldset>
        </Show>
    }
}

pub(super) fn print_agreement(v: &Value, partners: &[Partner], server: Option<PartnershipDoc>) -> AnyView {
    let a: domain::partnership::agreement::Agreement = serde_json::from_value(v.clone()).unwrap_or_default();
    let status = server.and_then(|d| d.agreement);
    let signatures = status.as_ref().map(|st| st.signatures.clone()).unwrap_or_default();
    let amendments = status.map(|st| st.amendments).unwrap_or_default();
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
            {(!amendments.is_empty()).then(|| view! {
                <section class="p-break" id="print-amendments">
                    <h3>"Aneksy do Umowy"</h3>
                    {amendments.iter().enumerate().map(|(i, m)| view! {
                        <h4>{format!("Aneks nr {} (zaproponowany {} przez {})", i + 1, m.proposed_at, m.proposed_by)}</h4>
                        <p class="p-value">{m.text.clone()}</p>
                        <p>{if m.in_effect { "Obowiązuje — zgodę wyrazili wszyscy Partnerzy." } else { "Czeka na zgodę wszystkich Partnerów." }}</p>
                        <ul>
                            {m.consents.iter().map(|c| view! { <li>{format!("{} ({}, {})", c.by, if c.via == "email" { "e-mail" } else { "podpis" }, c.at)}</li> }).collect_view()}
                        </ul>
                    }).collect_view()}
                </section>
            })}
            {(!a.description.is_empty()).then(|| view! { <section class="p-break"><h3>"Załącznik nr 1 — opis usługi"</h3><p class="p-value">{a.description.clone()}</p></section> })}
        </article>
    }
    .into_any()
}
