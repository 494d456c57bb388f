//! The questionnaire as a form: big touch targets, native radios and checkboxes (so
//! keyboards and screen readers know them), the skip of question 2 and the text boxes
//! that open with the answer asking for them. Every click goes through the domain's
//! `SurveyAnswer::toggle`, so what is shown is exactly what will be checked.

use domain::i18n::t;
use domain::survey::{self, Kind, Question, Section, SurveyAnswer, MAX_TEXT, QUESTIONS};
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

fn control_id(q: &Question, option: &str) -> String {
    format!("s-{}-{}", q.id, option.replace('_', "-"))
}

#[component]
fn QuestionField(q: &'static Question, answer: RwSignal<SurveyAnswer>) -> impl IntoView {
    let lang = use_lang();
    let label = move |k: String| t(lang.get(), &k).to_string();
    let skipped = move || answer.with(|a| a.skipped(q));
    let text_open = move || answer.with(|a| !a.skipped(q) && q.text_open(a.chosen(q.id)));
    let legend_id = format!("s-{}-legend", q.id);
    let text_id = format!("s-{}-text", q.id);
    let warn_id = format!("s-{}-warn", q.id);
    let options = q
        .options
        .iter()
        .map(|o| {
            let id = control_id(q, o);
            let for_id = id.clone();
            let checked = move || answer.with(|a| a.chosen(q.id).iter().any(|c| c == o));
            let input_type = if q.kind == Kind::Many { "checkbox" } else { "radio" };
            view! {
                <label class="choice" for=for_id>
                    <input
                        type=input_type
                        id=id
                        name=format!("s-{}", q.id)
                        value=*o
                        autocomplete="off"
                        prop:checked=checked
                        prop:disabled=skipped
                        on:change=move |_| answer.update(|a| {
                            // A radio fires only when it becomes checked; a checkbox both ways.
                            if q.kind == Kind::Many || !a.chosen(q.id).iter().any(|c| c == o) {
                                a.toggle(q.id, o);
                            }
                        })
                    />
                    <span>{move || label(q.option_key(o))}</span>
                </label>
            }
        })
        .collect_view();
    let many = q.kind == Kind::Many;
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="survey-q" id=format!("s-{}", q.id) aria-labelledby=labelled_by prop:disabled=skipped>
            <legend id=legend_id>{move || label(q.key())}</legend>
            {many.then(|| view! { <p class="hint">{tr("survey.many")}</p> })}
            {move || skipped().then(|| view! { <p class="hint skipped" role="status">{tr("survey.ui.skipped")}</p> })}
            <div class="choices">{options}</div>
            {move || text_open().then(|| {
                let text_id = text_id.clone();
                let warn_id = warn_id.clone();
                view! {
                    <div class="field survey-text">
                        <label for=text_id.clone()>{move || label(q.text_key())}</label>
                        <p class="hint warn" id=warn_id.clone()>{tr("survey.text_warning")}</p>
                        <textarea
                            id=text_id
                            rows="3"
                            autocomplete="off"
                            spellcheck="false"
                            maxlength=MAX_TEXT.to_string()
                            aria-describedby=warn_id
                            prop:value=move || answer.with(|a| a.texts.get(q.id).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                answer.update(|a| { a.texts.insert(q.id.to_string(), v); });
                            }
                        ></textarea>
                    </div>
                }
            })}
        </fieldset>
    }
}

/// The whole questionnaire. `on_submit` gets the checked answer; the form shows the
/// domain's messages when the answer breaks a rule.
#[component]
pub fn SurveyForm(
    answer: RwSignal<SurveyAnswer>,
    #[prop(into)] busy: Signal<bool>,
    on_submit: impl Fn(SurveyAnswer) + 'static,
    /// The single-use code box, when the round asks for codes.
    code: Option<RwSignal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let errors = RwSignal::new(Vec::<String>::new());
    let section = |s: Section| {
        let qs = QUESTIONS.iter().filter(move |q| q.section == s).map(|q| view! { <QuestionField q answer/> }).collect_view();
        view! {
            <section class="card survey-section">
                <h2>{move || t(lang.get(), s.key()).to_string()}</h2>
                {(s == Section::Metrics).then(|| view! { <p>{tr("survey.metrics_intro")}</p> })}
                {qs}
            </section>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut a = answer.get_untracked();
        a.tidy();
        match survey::validate(&a, lang.get_untracked()) {
            Ok(clean) => {
                errors.set(Vec::new());
                on_submit(clean);
            }
            Err(list) => errors.set(list.into_iter().map(|e| e.message).collect()),
        }
    };
    view! {
        <form class="survey" id="survey-form" autocomplete="off" novalidate on:submit=submit>
            {code.map(|code| view! {
                <section class="card">
                    <div class="field">
                        <label for="s-code">{tr("survey.ui.code")}</label>
                        <p class="hint" id="s-code-hint">{tr("survey.ui.code_hint")}</p>
                        <input id="s-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                            aria-describedby="s-code-hint" inputmode="text" maxlength="16"
                            prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                    </div>
                </section>
            })}
            {section(Section::Employment)}
            {section(Section::Opinion)}
            {section(Section::Metrics)}
            {move || (!errors.get().is_empty()).then(|| view! {
                <div class="notice error" role="alert" id="survey-errors">
                    <ul>{errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="actions">
                <button type="submit" id="survey-submit" prop:disabled=move || busy.get()>{tr("survey.ui.submit")}</button>
            </div>
        </form>
    }
}
