//! A partnership's survey rounds: open a month, hand out the link and QR code on
//! printed slips (with single-use codes when wanted), start a kiosk on this tablet,
//! close a round, and go to its results.

use domain::i18n::t;
use domain::survey::api::{IssuedCodes, NewCodes, NewRound, SurveyRound};
use domain::calendar::Month;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};
use crate::pages::components::widgets::{ErrorNotice, Loading, SteeredPicker};

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

pub fn public_link(token: &str) -> String {
    format!("{}/ankieta/{token}", origin())
}

#[component]
pub fn SurveysPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let memberships = move || session.me().map(|m| m.memberships).unwrap_or_default();
    let partnership = move || chosen.get().or_else(|| memberships().first().map(|m| m.partnership_id));
    let steers = move || {
        let p = partnership();
        memberships().into_iter().any(|m| Some(m.partnership_id) == p && m.role.steers())
    };
    let rounds = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<SurveyRound>>(&format!("/api/v1/partnerships/{p}/surveys")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The browser's today, not the server's: set once hydrated.
    let month = RwSignal::new(String::new());
    Effect::new(move |_| month.set(Month::of(api::today()).to_string()));
    let codes_required = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let open = Action::new_local(move |_: &()| {
        let body = NewRound { period: month.get_untracked(), codes_required: codes_required.get_untracked() };
        let p = partnership();
        async move {
            let Some(p) = p else { return };
            match api::post::<_, SurveyRound>(&format!("/api/v1/partnerships/{p}/surveys"), &body).await {
                Ok(_) => {
                    error.set(None);
                    rounds.refetch();
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let close = Action::new_local(move |id: &Uuid| {
        let id = *id;
        async move {
            match api::post::<_, SurveyRound>(&format!("/api/v1/surveys/{id}/close"), &serde_json::json!({})).await {
                Ok(_) => rounds.refetch(),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    view! {
        <h1>{tr("survey.ui.rounds")}</h1>
        <p>{tr("survey.ui.rounds_explain")}</p>
        <SteeredPicker id="survey-partnership" chosen all=true/>
        <form class="card" id="open-round" on:submit=move |ev| { ev.prevent_default(); open.dispatch(()); }>
            <h2>{tr("survey.ui.open_round")}</h2>
            <div class="field">
                <label for="round-month">{tr("survey.ui.month")}</label>
                <input id="round-month" type="month" required prop:value=move || month.get() on:input=move |ev| month.set(event_target_value(&ev))/>
            </div>
            <label class="choice" for="round-codes">
                <input id="round-codes" type="checkbox" prop:checked=move || codes_required.get()
                    on:change=move |ev| codes_required.set(event_target_checked(&ev))/>
                <span>{tr("survey.ui.codes_required")}</span>
            </label>
            <button type="submit" id="open-round-submit">{tr("survey.ui.open_round_submit")}</button>
        </form>
        {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        {move || match rounds.get() {
            None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(Some(list))) if list.is_empty() => view! { <p id="no-rounds">{tr("survey.ui.no_rounds")}</p> }.into_any(),
            Some(Ok(Some(list))) => view! {
                <ul class="plain rounds" id="rounds">
                    {list.into_iter().map(|r| {
                        let id = r.id;
                        let close_id = format!("close-{}", r.period);
                        let link = public_link(&r.token);
                        let label = Month::parse(&r.period).map(|p| p.label(lang.get_untracked())).unwrap_or(r.period.clone());
                        view! {
                            <li class="card round" data-period=r.period.clone()>
                                <h2>{label} " — " {r.partnership.clone()}</h2>
                                <p class="round-state">{move || t(lang.get(), if r.open { "survey.ui.state_open" } else { "survey.ui.state_closed" }).to_string()}
                                    {r.codes_required.then(|| view! { " · " {tr("survey.ui.codes_required_short")} })}
                                    {(r.codes_left > 0).then(|| view! { " · " {tr("survey.ui.codes_left")} " " {r.codes_left}})}
                                </p>
                                // A closed round takes no more answers: no QR code, link, kiosk
                                // or slips, only its results.
                                {if r.open {
                                    view! {
                                        <div class="round-body">
                                            <img class="qr" src=format!("/api/v1/surveys/{id}/qr.svg") width="160" height="160" alt=tr("survey.ui.qr_alt")/>
                                            <div>
                                                <p><span>{tr("survey.ui.link")}</span> " " <a class="public-link" href=link.clone() rel="external">{link.clone()}</a></p>
                                                <div class="actions">
                                                    <a class="button" href=format!("/kiosk/{}", r.token) id=format!("kiosk-{}", r.period)>{tr("survey.ui.kiosk")}</a>
                                                    <a class="button secondary" href=format!("/surveys/{id}/slips")>{tr("survey.ui.slips")}</a>
                                                    <Show when=steers>
                                                        <a class="button secondary" href=format!("/surveys/{id}")>{tr("survey.ui.results")}</a>
                                                        <button type="button" class="secondary danger" id=close_id.clone() on:click=move |_| { close.dispatch(id); }>{tr("survey.ui.close")}</button>
                                                    </Show>
                                                </div>
                                            </div>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! {
                                        <Show when=steers>
                                            <div class="actions">
                                                <a class="button secondary" href=format!("/surveys/{id}")>{tr("survey.ui.results")}</a>
                                            </div>
                                        </Show>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// Slips to print and hand out: the link and its QR code, and a single-use code on
/// each when the coordinator issues them here (they are shown this once).
#[component]
pub fn SlipsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let session = use_session();
    let round = LocalResource::new(move || {
        let id = id();
        let partnerships: Vec<Uuid> = session.me().map(|m| m.memberships.into_iter().map(|m| m.partnership_id).collect()).unwrap_or_default();
        async move {
            for p in partnerships {
                if let Ok(list) = api::get::<Vec<SurveyRound>>(&format!("/api/v1/partnerships/{p}/surveys")).await {
                    if let Some(r) = list.into_iter().find(|r| Some(r.id) == id) {
                        return Some(r);
                    }
                }
            }
            None
        }
    });
    let count = RwSignal::new(12u32);
    let codes = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let issue = Action::new_local(move |_: &()| {
        let (id, n) = (id(), count.get_untracked());
        async move {
            let Some(id) = id else { return };
            match api::post::<_, IssuedCodes>(&format!("/api/v1/surveys/{id}/codes"), &NewCodes { count: n }).await {
                Ok(issued) => {
                    error.set(None);
                    codes.set(issued.codes);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let print = move |_| crate::browser::print();
    view! {
        {move || match round.get() {
            None => view! { <Loading/> }.into_any(),
            Some(None) => view! { <p class="notice error">{tr("app.not_found")}</p> }.into_any(),
            Some(Some(r)) => {
                let link = public_link(&r.token);
                let period = Month::parse(&r.period).map(|p| p.label(lang.get_untracked())).unwrap_or(r.period.clone());
                let partnership = r.partnership.clone();
                let qr = format!("/api/v1/surveys/{}/qr.svg", r.id);
                view! {
                    <div class="print-toolbar no-print">
                        <a class="link-target" href="/surveys">{tr("survey.ui.back")}</a>
                        <button type="button" id="print-slips" on:click=print>{tr("doc.print_now")}</button>
                    </div>
                    <form class="card no-print" id="issue-codes" on:submit=move |ev| { ev.prevent_default(); issue.dispatch(()); }>
                        <h2>{tr("survey.ui.codes")}</h2>
                        <p>{tr("survey.ui.codes_explain")}</p>
                        <div class="field">
                            <label for="codes-count">{tr("survey.ui.codes_count")}</label>
                            <input id="codes-count" type="number" min="1" max="500" prop:value=move || count.get().to_string()
                                on:input=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(0))/>
                        </div>
                        <button type="submit" id="issue-codes-submit">{tr("survey.ui.codes_issue")}</button>
                    </form>
                    {move || error.get().map(|e| view! { <p class="notice error no-print" role="alert">{e}</p> })}
                    <div class="slips" id="slips">
                        {move || {
                            let list: Vec<Option<String>> = if codes.get().is_empty() { vec![None; 8] } else { codes.get().into_iter().map(Some).collect() };
                            list.into_iter().map(|code| view! {
                                <div class="slip">
                                    <p class="slip-title">{tr("survey.title")}</p>
                                    <p class="slip-meta">{partnership.clone()} " — " {period.clone()}</p>
                                    <img src=qr.clone() width="120" height="120" alt=tr("survey.ui.qr_alt")/>
                                    <p class="slip-link">{link.clone()}</p>
                                    {code.map(|c| view! { <p class="slip-code">{tr("survey.ui.code")} ": " <strong class="code">{c}</strong></p> })}
                                    <p class="slip-note">{tr("survey.ui.slip_note")}</p>
                                </div>
                            }).collect_view()
                        }}
                    </div>
                }.into_any()
            }
        }}
    }
}
