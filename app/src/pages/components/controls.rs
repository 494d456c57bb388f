//! The form controls, drawn once: a text input (text, e-mail, password, date, month,
//! or a longer text) and a select, each with its label, its hint and its error
//! announced and tied to it for screen readers. Two bindings use them: `widgets`
//! binds them to signals (the client form, the account), `fields` to a document's
//! JSON paths (case and partnership documents).

use leptos::prelude::*;

/// The ids `aria-describedby` names: the hint while there is one, the error while
/// it shows.
fn described(id: &str, has_hint: bool, error: Signal<Option<String>>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let (err_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(err_id.clone());
        }
        ids.join(" ")
    }
}

/// A labelled text control; `input_type` is the input's type (`text`, `email`,
/// `password`, `date`, `month`), `long` makes it a text area.
#[component]
pub fn TextControl(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] long: bool,
    #[prop(optional)] required: bool,
    /// The form field's name, for a form the browser may also post or fill.
    #[prop(optional_no_strip)] name: Option<&'static str>,
    #[prop(optional_no_strip)] autocomplete: Option<&'static str>,
    #[prop(optional_no_strip)] inputmode: Option<&'static str>,
    #[prop(optional_no_strip)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let by = described(&id, hint.is_some(), error);
    let invalid = move || error.get().map(|_| "true");
    let control = if long {
        view! {
            <textarea id=id.clone() name=name rows="3" aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=by
                prop:value=move || value.get() on:input=move |ev| set.run(event_target_value(&ev)) disabled=move || disabled.get()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=input_type autocomplete=autocomplete.unwrap_or("off") inputmode=inputmode
                aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=by
                prop:value=move || value.get() on:input=move |ev| set.run(event_target_value(&ev)) disabled=move || disabled.get()/>
        }
        .into_any()
    };
    let dated = matches!(input_type, "date" | "month");
    view! {
        <div class="field" class:invalid=move || error.get().is_some() class:date=dated>
            <label for=id>{move || label.get()}{required.then_some(" *")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
            {control}
            <p class="field-error" id=err_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled select; `options` are (value, shown text), `placeholder` the text of
/// an empty first option, if the control may be left unchosen.
#[component]
pub fn SelectControl(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional_no_strip)] placeholder: Option<Signal<String>>,
    #[prop(optional_no_strip)] name: Option<&'static str>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let by = described(&id, false, error);
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name aria-invalid=move || error.get().map(|_| "true") aria-describedby=by disabled=move || disabled.get()
                on:change=move |ev| set.run(event_target_value(&ev)) prop:value=move || value.get()>
                {placeholder.map(|p| view! { <option value="" selected=move || value.get().is_empty()>{move || p.get()}</option> })}
                {move || options.get().into_iter().map(|(v, text)| {
                    let chosen = v.clone();
                    view! { <option value=v selected=move || value.get() == chosen>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=err_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
