//! Answering the survey on a shared tablet in kiosk mode (`/kiosk/{token}`); a
//! respondent's own phone gets the server-rendered form instead (`phone`). The kiosk
//! does not sign in; its requests go without cookies; it keeps answers only sealed
//! to the server's key, and forgets each person's answers the moment they are given.
//! The server holds answers in memory until five can be counted together, so the
//! kiosk keeps each sealed answer until the server says it is counted, sending it
//! again (by its id, so it counts once) after a restart of the server.

use domain::i18n::t;
use domain::survey::api::{BatchOutcome, Fate, PublicSurvey, Sealed, SealedBatch, Submission};
use domain::survey::{SurveyAnswer, MAX_BATCH};
use domain::calendar::Month;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use super::form::SurveyForm;
use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::offline::{crypto, use_offline};
use crate::pages::components::widgets::Loading;

fn info_key(token: &str) -> String {
    format!("sciezka.survey.{token}")
}
/// The queue as kept before answers were held in memory: sealed answers only.
fn old_queue_key(token: &str) -> String {
    format!("sciezka.kiosk.{token}")
}
fn queue_key(token: &str) -> String {
    format!("sciezka.kiosk2.{token}")
}

/// One answer the kiosk keeps: sealed, and whether the server has it in memory (sent
/// once, waiting to be counted).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Kept {
    sealed: Sealed,
    #[serde(default)]
    received: bool,
}

/// The survey's public description: from the server, else the copy kept from the
/// last time (so a kiosk reloaded offline still opens).
async fn load_info(token: String) -> Result<PublicSurvey, ApiError> {
    match api::get_anonymous::<PublicSurvey>(&format!("/api/v1/survey/{token}")).await {
        Ok(info) => {
            let _ = LocalStorage::set(info_key(&token), &info);
            Ok(info)
        }
        Err(ApiError::NotFound) => Err(ApiError::NotFound),
        Err(e) => LocalStorage::get::<PublicSurvey>(info_key(&token)).map_err(|_| e),
    }
}

/// Moves the focus to the thank-you message once it is shown, so a screen reader
/// announces that the answers went, and the keyboard starts from the top.
fn focus_thanks() {
    request_animation_frame(|| {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("survey-thanks")) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

fn heading(info: &PublicSurvey, lang: domain::Lang) -> String {
    let period = Month::parse(&info.period).map(|p| p.label(lang)).unwrap_or_else(|| info.period.clone());
    format!("{} — {period}", info.partnership)
}

#[component]
fn Intro(info: PublicSurvey) -> impl IntoView {
    let lang = use_lang();
    let info2 = info.clone();
    view! {
        <h1 id="survey-title">{tr("survey.title")}</h1>
        <p class="survey-meta">{move || heading(&info2, lang.get())}</p>
        <p>{tr("survey.intro")}</p>
        <p class="notice" id="survey-anonymous">{tr("survey.anonymous")}</p>
        {(!info.open).then(|| view! { <p class="notice error" role="alert" id="survey-closed">{tr("survey.ui.closed")}</p> })}
    }
}

fn queued(token: &str) -> Vec<Kept> {
    let mut list: Vec<Kept> = LocalStorage::get(queue_key(token)).unwrap_or_default();
    // A queue from the version before: its answers were never sent.
    if let Ok(old) = LocalStorage::get::<Vec<Sealed>>(old_queue_key(token)) {
        list.extend(old.into_iter().map(|sealed| Kept { sealed, received: false }));
        if LocalStorage::set(queue_key(token), &list).is_ok() {
            LocalStorage::delete(old_queue_key(token));
        }
    }
    list
}

/// How many answers wait to be sent, and how many the server holds uncounted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Waiting {
    unsent: usize,
    uncounted: usize,
}

fn waiting_in(list: &[Kept]) -> Waiting {
    let uncounted = list.iter().filter(|k| k.received).count();
    Waiting { unsent: list.len() - uncounted, uncounted }
}

thread_local! {
    /// Whether an upload is under way: uploads start after each answer, every 15 s and
    /// when the network returns, and two at once would each act on the other's queue.
    static UPLOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sends what the kiosk keeps, one upload at a time. Only the server's word that an
/// answer is counted (or refused for good) removes it; anything else leaves it for
/// the next attempt.
async fn upload(token: String, waiting: RwSignal<Waiting>, problem: RwSignal<Option<String>>) {
    if UPLOADING.with(|u| u.replace(true)) {
        return;
    }
    upload_once(&token, waiting, problem).await;
    UPLOADING.with(|u| u.set(false));
}

async fn upload_once(token: &str, waiting: RwSignal<Waiting>, problem: RwSignal<Option<String>>) {
    let batch: Vec<Sealed> = queued(token).into_iter().take(MAX_BATCH).map(|k| k.sealed).collect();
    if batch.is_empty() {
        return;
    }
    let sent: Vec<String> = batch.iter().map(|s| s.ct.clone()).collect();
    match api::post_anonymous::<_, BatchOutcome>(&format!("/api/v1/survey/{token}/sealed"), &SealedBatch { answers: batch }).await {
        Ok(outcome) => {
            // Each fate belongs to the answer it was sent for (matched by its sealed
            // text): re-read, since an answer may have been queued meanwhile.
            let fate_of = |kept: &Kept| sent.iter().position(|ct| *ct == kept.sealed.ct).and_then(|i| outcome.fates.get(i));
            let rest: Vec<Kept> = queued(token)
                .into_iter()
                .filter_map(|mut kept| match fate_of(&kept) {
                    Some(fate) if fate.is_final() => None,
                    Some(_) => {
                        kept.received = true;
                        Some(kept)
                    }
                    None => Some(kept),
                })
                .collect();
            let _ = LocalStorage::set(queue_key(token), &rest);
            waiting.set(waiting_in(&rest));
            let closed = outcome.fates.contains(&Fate::Closed);
            problem.set(closed.then(|| t(crate::i18n::current_lang(), "survey.ui.closed").to_string()));
        }
        Err(ApiError::Conflict(m)) => problem.set(Some(m)),
        Err(_) => {}
    }
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let info = LocalResource::new(move || load_info(token()));
    let answer = RwSignal::new(SurveyAnswer::default());
    let code = RwSignal::new(String::new());
    let started = RwSignal::new(false);
    let thanks = RwSignal::new(false);
    let waiting = RwSignal::new(Waiting::default());
    let problem = RwSignal::new(None::<String>);
    let engine = use_offline();
    let lang = use_lang();
    Effect::new(move |_| {
        // The consultant's drafts lock while the tablet is in other hands: leaving the
        // kiosk asks for the consultant's password.
        spawn_local(engine.lock_now());
        let tok = token();
        waiting.set(waiting_in(&queued(&tok)));
        let retry = move || {
            let tok = token();
            spawn_local(upload(tok, waiting, problem));
        };
        retry();
        let _ = set_interval_with_handle(retry, std::time::Duration::from_secs(15));
        window_event_listener(leptos::ev::online, move |_| retry());
    });
    let next_person = move || {
        answer.set(SurveyAnswer::default());
        code.set(String::new());
        thanks.set(false);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    let queue = Action::new_local(move |a: &SurveyAnswer| {
        // A random id (not one with a time in it) lets a resend count once.
        let sub = Submission {
            answer: a.clone(),
            code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
            id: Some(uuid::Uuid::new_v4().to_string()),
        };
        let (tok, key) = (token(), info.get_untracked().and_then(std::result::Result::ok).map(|i| i.kiosk_key).unwrap_or_default());
        async move {
            let Ok(plain) = serde_json::to_string(&sub) else { return };
            match crypto::seal_to(&key, &plain).await {
                Ok(sealed) => {
                    let mut list = queued(&tok);
                    list.push(Kept { sealed, received: false });
                    if LocalStorage::set(queue_key(&tok), &list).is_err() {
                        problem.set(Some(t(crate::i18n::current_lang(), "survey.ui.storage_full").to_string()));
                        return;
                    }
                    waiting.set(waiting_in(&list));
                    // The person's answers leave the screen and the memory at once.
                    answer.set(SurveyAnswer::default());
                    code.set(String::new());
                    thanks.set(true);
                    focus_thanks();
                    spawn_local(upload(tok, waiting, problem));
                    set_timeout(move || if thanks.get_untracked() { next_person() }, std::time::Duration::from_secs(8));
                }
                Err(e) => problem.set(Some(e.0)),
            }
        }
    });
    let fullscreen = move |_| {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = el.request_fullscreen();
        }
        started.set(true);
    };
    view! {
        <div class="survey-page kiosk" id="kiosk">
            {move || match info.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(_)) => view! { <p class="notice error" role="alert">{tr("survey.ui.unknown")}</p> }.into_any(),
                Some(Ok(i)) if !started.get() => view! {
                    <Intro info=i/>
                    <p>{tr("survey.ui.kiosk_explain")}</p>
                    <button type="button" id="kiosk-start" on:click=fullscreen>{tr("survey.ui.kiosk_start")}</button>
                }.into_any(),
                Some(Ok(_)) if thanks.get() => view! {
                    <div class="kiosk-thanks">
                        <p class="notice ok" role="status" id="survey-thanks" tabindex="-1">{tr("survey.thanks")}</p>
                        <p>{tr("survey.ui.next_person_hint")}</p>
                        <button type="button" id="kiosk-next" on:click=move |_| next_person()>{tr("survey.ui.next_person")}</button>
                    </div>
                }.into_any(),
                Some(Ok(i)) => {
                    let codes = i.codes_required.then_some(code);
                    view! {
                        <Intro info=i.clone()/>
                        {i.open.then(|| view! {
                            <SurveyForm answer busy=queue.pending() code=codes on_submit=move |a| { queue.dispatch(a); }/>
                        })}
                    }.into_any()
                }
            }}
            <footer class="kiosk-footer">
                <span id="kiosk-waiting" data-waiting=move || waiting.get().unsent.to_string()>
                    {move || format!("{} {}", t(lang.get(), "survey.ui.waiting"), waiting.get().unsent)}
                </span>
                <span id="kiosk-uncounted" data-uncounted=move || waiting.get().uncounted.to_string()>
                    {move || format!("{} {}", t(lang.get(), "survey.ui.uncounted"), waiting.get().uncounted)}
                </span>
                {move || problem.get().map(|p| view! { <span class="error" role="alert" id="kiosk-problem">{p}</span> })}
                <a href="/surveys" class="button secondary" id="kiosk-exit">{tr("survey.ui.kiosk_exit")}</a>
            </footer>
        </div>
    }
}
