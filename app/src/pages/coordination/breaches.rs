//! The register of personal-data breaches (GDPR art. 33(5)) for a partnership's
//! coordinators and its data protection officer: every incident with when it was
//! found, the hours left to report it to UODO (72), and what was done; an entry is
//! opened to record each step and closed once every duty is met or explained. The
//! rules are `domain::breach`, run here before sending and again by the server.

use domain::breach::{Breach, BreachInput, BreachRisk};
use domain::i18n::t;
use domain::validation::FieldError;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::{SelectControl, TextControl};
use crate::pages::components::widgets::{error_for, log_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};

#[component]
pub fn BreachesPage() -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = log_partnership(chosen);
    let register = LocalResource::new(move || {
        let p = partnership();
        async move {
            let Some(p) = p else { return Ok(None) };
            api::get::<Vec<Breach>>(&format!("/api/v1/partnerships/{p}/breaches")).await.map(Some)
        }
    });
    let editing = RwSignal::new(None::<Breach>);
    let message = RwSignal::new(None::<String>);
    // An entry open in the form belongs to the partnership it was opened in.
    Effect::new(move |previous: Option<Option<Uuid>>| {
        let now = partnership();
        if previous.is_some_and(|p| p != now) {
            editing.set(None);
        }
        now
    });
    let l = move |k: &str| t(lang.get(), k).to_string();
    view! {
        <h1>{tr("breaches.title")}</h1>
        <p class="hint">{tr("breaches.intro")}</p>
        <SteeredPicker id="breaches-partnership" chosen log=true/>
        <p role="status" id="breaches-message">{move || message.get()}</p>
        <section class="card">
            <h2>{tr("breaches.register")}</h2>
            {move || match register.get() {
                None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(Some(list))) if list.is_empty() => view! { <p id="breaches-empty">{tr("breaches.none")}</p> }.into_any(),
                Some(Ok(Some(list))) => view! {
                    <TableScroll label=tr("breaches.register")>
                        <table id="breaches-table">
                            <thead><tr>
                                <th scope="col">{tr("breaches.number")}</th>
                                <th scope="col">{tr("breaches.found_at")}</th>
                                <th scope="col">{tr("breaches.what_happened")}</th>
                                <th scope="col" class="num">{tr("breaches.people")}</th>
                                <th scope="col">{tr("breaches.risk")}</th>
                                <th scope="col">{tr("breaches.standing")}</th>
                                <th scope="col">{tr("admin.actions")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|b| {
                                    let (standing, urgent) = b.standing(lang.get_untracked());
                                    let risk = b.input.risk;
                                    let number = b.number;
                                    let label = format!("{} {number}", l("breaches.open"));
                                    let chosen = b.clone();
                                    view! {
                                        <tr data-number=number data-urgent=urgent.to_string()>
                                            <th scope="row">{number}</th>
                                            <td>{b.found_label()}</td>
                                            <td>{b.input.what_happened.clone()}</td>
                                            <td class="num">{b.input.people}</td>
                                            <td>{move || l(&format!("breaches.risk.{}", risk.as_str()))}</td>
                                            <td class="standing">{urgent.then(|| view! { <strong class="badge warn">"!"</strong> " " })}{standing}</td>
                                            <td><button type="button" class="secondary edit" aria-label=label on:click=move |_| {
                                                editing.set(Some(chosen.clone()));
                                                request_animation_frame(|| { crate::browser::focus_first("#found_at"); });
                                            }>{tr("breaches.open")}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            }}
        </section>
        <BreachForm partnership=Signal::derive(partnership) editing message refetch=Callback::new(move |_| register.refetch())/>
    }
}

/// Records a new breach, or the next step of the one opened from the register.
#[component]
fn BreachForm(partnership: Signal<Option<Uuid>>, editing: RwSignal<Option<Breach>>, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let found_at = RwSignal::new(String::new());
    let what_happened = RwSignal::new(String::new());
    let data = RwSignal::new(String::new());
    let people = RwSignal::new(String::new());
    let risk = RwSignal::new(BreachRisk::default().as_str().to_string());
    let reported_at = RwSignal::new(String::new());
    let informed_at = RwSignal::new(String::new());
    let justification = RwSignal::new(String::new());
    let measures = RwSignal::new(String::new());
    let closed = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // Opening an entry fills the form with what it holds; none: a new, empty one.
    Effect::new(move |_| {
        let b = editing.get().map(|b| b.input).unwrap_or_default();
        found_at.set(b.found_at);
        what_happened.set(b.what_happened);
        data.set(b.data);
        people.set(if b.people == 0 { String::new() } else { b.people.to_string() });
        risk.set(b.risk.as_str().to_string());
        reported_at.set(b.reported_at);
        informed_at.set(b.informed_at);
        justification.set(b.justification);
        measures.set(b.measures);
        closed.set(b.closed);
        errors.set(Vec::new());
    });
    let save = Action::new_local(move |input: &BreachInput| {
        let input = input.clone();
        let open = editing.get_untracked();
        async move {
            let Some(p) = partnership.get_untracked() else { return };
            let saved = match &open {
                Some(b) => api::put::<_, Breach>(&format!("/api/v1/partnerships/{p}/breaches/{}", b.id), &input, b.version).await,
                None => api::post::<_, Breach>(&format!("/api/v1/partnerships/{p}/breaches"), &input).await,
            };
            match saved {
                Ok(b) => {
                    let l = lang.get_untracked();
                    message.set(Some(format!("{} {}", t(l, if open.is_some() { "breaches.saved" } else { "breaches.recorded" }), b.number)));
                    editing.set(None);
                    refetch.run(());
                }
                Err(e) => {
                    // Saved by someone else meanwhile: the register is read again, so
                    // the entry opens with what it holds now (and its version).
                    if matches!(e, api::ApiError::Conflict(_)) {
                        editing.set(None);
                        refetch.run(());
                    }
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let error = move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    let label = move |key: &'static str| Signal::derive(move || t(lang.get(), key).to_string());
    let risks = Signal::derive(move || BreachRisk::ALL.iter().map(|r| (r.as_str().to_string(), t(lang.get(), &format!("breaches.risk.{}", r.as_str())).to_string())).collect::<Vec<_>>());
    view! {
        <form class="card" id="breach-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let l = lang.get_untracked();
            let count = people.get_untracked();
            let parsed = if count.trim().is_empty() { Some(0) } else { count.trim().parse::<u32>().ok() };
            let input = BreachInput {
                found_at: found_at.get_untracked(),
                what_happened: what_happened.get_untracked(),
                data: data.get_untracked(),
                people: parsed.unwrap_or_default(),
                risk: BreachRisk::parse(&risk.get_untracked()).unwrap_or_default(),
                reported_at: reported_at.get_untracked(),
                informed_at: informed_at.get_untracked(),
                justification: justification.get_untracked(),
                measures: measures.get_untracked(),
                closed: closed.get_untracked(),
            };
            // The same rules the server runs, on this device's clock; it checks them again.
            let mut list = input.validate(l, crate::browser::now()).err().unwrap_or_default();
            if parsed.is_none() {
                list.insert(0, FieldError { pointer: "/people".into(), code: "number".into(), message: t(l, "breaches.people_number").into() });
            }
            if list.is_empty() {
                save.dispatch(input);
            } else {
                errors.set(list);
                crate::browser::focus_first_error();
            }
        }>
            <h2 id="breach-form-title" tabindex="-1">{move || match editing.get() {
                Some(b) => format!("{} {}", t(lang.get(), "breaches.entry"), b.number),
                None => t(lang.get(), "breaches.new").to_string(),
            }}</h2>
            <p class="hint">{tr("breaches.form_hint")}</p>
            <TextControl id="found_at" name=Some("found_at") input_type="datetime-local" label=label("breaches.found_at") value=found_at set=Callback::new(move |v| found_at.set(v)) error=error("found_at") required=true/>
            <TextControl id="what_happened" name=Some("what_happened") long=true label=label("breaches.what_happened") value=what_happened set=Callback::new(move |v| what_happened.set(v)) error=error("what_happened") required=true/>
            <TextControl id="data" name=Some("data") long=true label=label("breaches.data") value=data set=Callback::new(move |v| data.set(v)) error=error("data") required=true
                hint=Some(label("breaches.data_hint"))/>
            <TextControl id="people" name=Some("people") inputmode=Some("numeric") label=label("breaches.people") value=people set=Callback::new(move |v| people.set(v)) error=error("people")
                hint=Some(label("breaches.people_hint"))/>
            <SelectControl id="risk" name=Some("risk") label=label("breaches.risk") value=risk set=Callback::new(move |v| risk.set(v)) error=error("risk") options=risks/>
            <TextControl id="reported_at" name=Some("reported_at") input_type="datetime-local" label=label("breaches.reported_at") value=reported_at set=Callback::new(move |v| reported_at.set(v)) error=error("reported_at")/>
            <TextControl id="informed_at" name=Some("informed_at") input_type="datetime-local" label=label("breaches.informed_at") value=informed_at set=Callback::new(move |v| informed_at.set(v)) error=error("informed_at")/>
            <TextControl id="justification" name=Some("justification") long=true label=label("breaches.justification") value=justification set=Callback::new(move |v| justification.set(v)) error=error("justification")
                hint=Some(label("breaches.justification_hint"))/>
            <TextControl id="measures" name=Some("measures") long=true label=label("breaches.measures") value=measures set=Callback::new(move |v| measures.set(v)) error=error("measures")/>
            <div class="field check">
                <input type="checkbox" id="closed" prop:checked=move || closed.get() on:change=move |ev| closed.set(event_target_checked(&ev))/>
                <label for="closed">{tr("breaches.close")}</label>
            </div>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>{tr("breaches.save")}</button>
                <button type="button" class="secondary" hidden=move || editing.with(Option::is_none) on:click=move |_| {
                    editing.set(None);
                    // The button hides itself: focus stays in the form, at its heading.
                    request_animation_frame(|| { crate::browser::focus_first("#breach-form-title"); });
                }>{tr("admin.cancel")}</button>
            </div>
        </form>
    }
}
