//! Form controls bound to a case document by JSON path. Every change goes to the
//! device store at once (see [`DocCtx::set`]); errors come from the same domain
//! validation the server runs and sit next to their field. Built for a tablet:
//! 44 px targets, ratings as large touch buttons, tables as stacked rows that are
//! added, moved and removed with buttons (keyboard and screen reader included).

use domain::merge;
use domain::validation::FieldError;
use leptos::prelude::*;
use serde_json::Value;

use super::controls::{SelectControl, TextControl};
use crate::i18n::use_lang;

/// The document being edited, shared by every control of a form.
#[derive(Clone, Copy)]
pub struct DocCtx {
    pub value: RwSignal<Value>,
    pub errors: Memo<Vec<FieldError>>,
    /// Called after every change: stores the document on the device.
    pub save: Callback<()>,
    pub readonly: Signal<bool>,
}

/// `a/b/#id/c` → the merge engine's path.
pub fn split(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// An element id for a path: `f-social-tasks_ops-<id>-task`.
pub fn dom_id(path: &str) -> String {
    format!("f-{}", path.replace('/', "-").replace('#', ""))
}

impl DocCtx {
    pub fn get(&self, path: &str) -> Value {
        let p = split(path);
        self.value.with(|d| merge::get(d, &p).clone())
    }

    pub fn text(&self, path: &str) -> String {
        match self.get(path) {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    pub fn set(&self, path: &str, v: Value) {
        let p = split(path);
        self.value.update(|d| merge::set(d, &p, v));
        self.save.run(());
    }

    /// Changes the list at `path` in place (add, move, remove rows).
    pub fn update_list(&self, path: &str, f: impl FnOnce(&mut Vec<Value>)) {
        let p = split(path);
        self.value.update(|d| {
            let mut list = match merge::get(d, &p) {
                Value::Array(a) => a.clone(),
                _ => Vec::new(),
            };
            f(&mut list);
            merge::set(d, &p, Value::Array(list));
        });
        self.save.run(());
    }

    pub fn error(&self, path: &str) -> Option<String> {
        let pointer = merge::pointer(&split(path));
        self.errors.with(|e| e.iter().find(|f| f.pointer == pointer).map(|f| f.message.clone()))
    }
}

pub fn use_doc() -> DocCtx {
    expect_context::<DocCtx>()
}

/// What every control needs of its field: the document, the element id, the path
/// (kept for the control's closures) and the field's error.
struct Bound {
    doc: DocCtx,
    id: String,
    path: StoredValue<String>,
    error: Memo<Option<String>>,
}

#[cfg(test)]
thread_local! {
    /// Every path a control bound while a test rendered a form, with its label.
    pub static BOUND: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn bind(path: String, label: &str) -> Bound {
    #[cfg(test)]
    BOUND.with(|b| b.borrow_mut().push((path.clone(), label.to_string())));
    #[cfg(not(test))]
    let _ = label;
    let doc = use_doc();
    let id = dom_id(&path);
    let path = StoredValue::new(path);
    let error = Memo::new(move |_| doc.error(&path.read_value()));
    Bound { doc, id, path, error }
}

fn label_text(key: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    let key = key.to_string();
    move || domain::i18n::t(lang.get(), &key).to_string()
}

/// A text, a longer text, a date or a month (`YYYY-MM`).
#[component]
pub fn Text(
    #[prop(into)] path: String,
    #[prop(into)] label: String,
    #[prop(optional)] long: bool,
    #[prop(optional)] date: bool,
    #[prop(optional)] month: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    let input_type = if date { "date" } else if month { "month" } else { "text" };
    view! {
        <TextControl id label=Signal::derive(label_text(&label)) value=Signal::derive(move || doc.text(&p.read_value()))
            set=Callback::new(move |v: String| doc.set(&p.read_value(), Value::String(v))) error=error disabled=doc.readonly
            input_type long hint=hint.map(|h| Signal::derive(label_text(&h)))/>
    }
}

/// A rating on the form's scale of 1 to 10, as ten large touch buttons.
#[component]
pub fn Rating(#[prop(into)] path: String, #[prop(into)] label: String) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    let current = Memo::new(move |_| doc.get(&p.read_value()).as_i64());
    let name = id.clone();
    view! {
        <fieldset class="rating" id=id.clone() class:invalid=move || error.get().is_some()>
            <legend>{label_text(&label)}</legend>
            <div class="rating-scale">
                {(1..=10).map(|n| {
                    let input_id = format!("{id}-{n}");
                    view! {
                        <input type="radio" id=input_id.clone() name=name.clone() value=n.to_string()
                            prop:checked=move || current.get() == Some(n) disabled=move || doc.readonly.get()
                            on:change=move |_| doc.set(&p.read_value(), Value::from(n))/>
                        <label for=input_id>{n}</label>
                    }
                }).collect_view()}
            </div>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// One of a few options, as radio buttons; `options` are (value, label key).
#[component]
pub fn Choice(#[prop(into)] path: String, #[prop(into)] label: String, options: Vec<(String, String)>) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    let current = Memo::new(move |_| doc.text(&p.read_value()));
    let name = id.clone();
    view! {
        <fieldset class="choice" id=id.clone() class:invalid=move || error.get().is_some()>
            <legend>{label_text(&label)}</legend>
            {options.into_iter().map(|(value, key)| {
                let input_id = format!("{id}-{value}");
                let v = value.clone();
                let v2 = value.clone();
                view! {
                    <label class="option" for=input_id.clone()>
                        <input type="radio" id=input_id.clone() name=name.clone() value=value.clone()
                            prop:checked=move || current.get() == v disabled=move || doc.readonly.get()
                            on:change=move |_| doc.set(&p.read_value(), Value::String(v2.clone()))/>
                        {label_text(&key)}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// One of many options, as a select; `options` are (value, shown text).
#[component]
pub fn Select(#[prop(into)] path: String, #[prop(into)] label: String, #[prop(into)] options: Signal<Vec<(String, String)>>) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    view! {
        <SelectControl id label=Signal::derive(label_text(&label)) value=Signal::derive(move || doc.text(&p.read_value()))
            set=Callback::new(move |v: String| doc.set(&p.read_value(), Value::String(v))) error=error disabled=doc.readonly options
            placeholder=Some(Signal::derive(label_text("doc.choose")))/>
    }
}

/// A yes/no box.
#[component]
pub fn Check(#[prop(into)] path: String, #[prop(into)] label: String) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    view! {
        <div class="field check" class:invalid=move || error.get().is_some()>
            <input type="checkbox" id=id.clone() prop:checked=move || doc.get(&p.read_value()).as_bool().unwrap_or(false)
                disabled=move || doc.readonly.get()
                on:change=move |ev| doc.set(&p.read_value(), Value::Bool(event_target_checked(&ev)))/>
            <label for=id>{label_text(&label)}</label>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// Several of a few options (a list of values).
#[component]
pub fn Multi(#[prop(into)] path: String, #[prop(into)] label: String, options: Vec<(String, String)>) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &label);
    let chosen = Memo::new(move |_| {
        doc.get(&p.read_value()).as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>()).unwrap_or_default()
    });
    view! {
        <fieldset class="choice" id=id.clone() class:invalid=move || error.get().is_some()>
            <legend>{label_text(&label)}</legend>
            {options.into_iter().map(|(value, key)| {
                let input_id = format!("{id}-{value}");
                let (v, v2) = (value.clone(), value.clone());
                view! {
                    <label class="option" for=input_id.clone()>
                        <input type="checkbox" id=input_id.clone() prop:checked=move || chosen.get().contains(&v) disabled=move || doc.readonly.get()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let v = v2.clone();
                                doc.update_list(&p.read_value(), |list| {
                                    list.retain(|x| x.as_str() != Some(v.as_str()));
                                    if on {
                                        list.push(Value::String(v));
                                    }
                                });
                            }/>
                        {label_text(&key)}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// A table of rows, each an object with an id of its own: rows are added, moved
/// and removed by buttons, and `row` draws one row's fields from its path.
#[component]
pub fn Rows(
    #[prop(into)] path: String,
    #[prop(into)] title: String,
    #[prop(into)] add_label: String,
    /// A new row's fields, without its id.
    new_row: fn() -> Value,
    row: fn(String) -> AnyView,
) -> impl IntoView {
    let Bound { doc, id, path: p, error } = bind(path, &title);
    let ids = Memo::new(move |_| {
        doc.get(&p.read_value()).as_array().map(|a| a.iter().filter_map(|r| r.get("id")?.as_str().map(str::to_string)).collect::<Vec<_>>()).unwrap_or_default()
    });
    let lang = use_lang();
    let t = move |k: &'static str| move || domain::i18n::t(lang.get(), k).to_string();
    let add = move |_| {
        let mut r = new_row();
        let row_id = uuid::Uuid::now_v7().simple().to_string();
        if let Value::Object(o) = &mut r {
            o.insert("id".into(), Value::String(row_id.clone()));
        }
        doc.update_list(&p.read_value(), |list| list.push(r));
        // Straight into the new row's first field, as one would on paper.
        let first = format!("{}-{row_id}", dom_id(&p.read_value()));
        request_animation_frame(move || {
            if let Some(el) = document().query_selector(&format!("[id^='{first}-']")).ok().flatten() {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    };
    let shift = move |row_id: String, by: isize| {
        doc.update_list(&p.read_value(), |list| {
            let Some(i) = list.iter().position(|r| r.get("id").and_then(Value::as_str) == Some(row_id.as_str())) else { return };
            let j = i as isize + by;
            if j >= 0 && (j as usize) < list.len() {
                list.swap(i, j as usize);
            }
        });
    };
    view! {
        <section class="rows" id=id aria-label=label_text(&title)>
            <h4>{label_text(&title)}</h4>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            {move || ids.get().is_empty().then(|| view! { <p class="muted">{t("doc.no_rows")}</p> })}
            <ol class="row-list">
                <For each=move || ids.get() key=|id| id.clone() let:row_id>
                    {
                        let row_path = format!("{}/#{row_id}", p.read_value());
                        let number = { let r = row_id.clone(); move || ids.get().iter().position(|x| *x == r).map(|i| i + 1).unwrap_or(0) };
                        let (up, down, del) = (row_id.clone(), row_id.clone(), row_id.clone());
                        view! {
                            <li class="row-item" data-row=row_id.clone()>
                                <div class="row-head">
                                    <span class="row-number">{t("doc.row")} " " {number}</span>
                                    <span class="row-tools">
                                        <button type="button" class="secondary small" aria-label=t("doc.move_up") title=t("doc.move_up")
                                            disabled=move || doc.readonly.get() on:click=move |_| shift(up.clone(), -1)>"↑"</button>
                                        <button type="button" class="secondary small" aria-label=t("doc.move_down") title=t("doc.move_down")
                                            disabled=move || doc.readonly.get() on:click=move |_| shift(down.clone(), 1)>"↓"</button>
                                        <button type="button" class="secondary small remove" aria-label=t("doc.remove_row") title=t("doc.remove_row")
                                            disabled=move || doc.readonly.get()
                                            on:click=move |_| { let d = del.clone(); doc.update_list(&p.read_value(), |l| l.retain(|r| r.get("id").and_then(Value::as_str) != Some(d.as_str()))) }>"✕"</button>
                                    </span>
                                </div>
                                {row(row_path)}
                            </li>
                        }
                    }
                </For>
            </ol>
            <button type="button" class="secondary add-row" disabled=move || doc.readonly.get() on:click=add>{label_text(&add_label)}</button>
        </section>
    }
}

/// What the form tests share: documents with a row in every table, and whether a
/// bound path exists in one.
#[cfg(all(test, feature = "ssr"))]
pub mod testing {
    use domain::docs::Partner;
    use domain::org::OrgType;
    use leptos::prelude::*;
    use serde_json::Value;
    use uuid::Uuid;

    use super::{split, DocCtx, BOUND};

    /// An OPS, a PUP and an NGO.
    pub fn partners() -> Vec<Partner> {
        [OrgType::Ops, OrgType::Pup, OrgType::Ngo].iter().map(|t| Partner { organisation_id: Uuid::now_v7(), name: t.as_str().into(), org_type: *t }).collect()
    }

    /// Renders a form over `doc` (with `provide` adding what the form's area needs)
    /// and answers every path its controls bound, after checking each exists in `doc`.
    pub fn bound_paths(what: &str, doc: &Value, provide: impl FnOnce(), render: impl FnOnce() -> String) -> Vec<(String, String)> {
        BOUND.with(|b| b.borrow_mut().clear());
        let owner = Owner::new();
        owner.with(|| {
            crate::i18n::provide_lang();
            crate::session::provide_session();
            let value = RwSignal::new(doc.clone());
            provide_context(DocCtx { value, errors: Memo::new(|_| Vec::new()), save: Callback::new(|()| {}), readonly: Signal::derive(|| false) });
            provide();
            assert!(!render().is_empty(), "{what} rendered nothing");
        });
        let bound = BOUND.with(|b| b.borrow().clone());
        assert!(bound.len() >= 3, "{what} bound only {bound:?}");
        let missing: Vec<&String> = bound.iter().map(|(p, _)| p).filter(|p| !exists(doc, &split(p))).collect();
        assert!(missing.is_empty(), "{what}: controls bound to paths the document lacks: {missing:?}\n{doc:#}");
        bound
    }

    /// `doc` with one row (`{"id": "r1"}`) in every empty table, level by level
    /// (rows can hold tables of their own), each row completed by `normalise` (the
    /// kind's own type); a list of plain values refuses a row and stays empty.
    pub fn fill_rows(mut doc: Value, normalise: impl Fn(&Value) -> Option<Value>) -> Value {
        fn arrays(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
            match v {
                Value::Array(a) if a.is_empty() => out.push(at.clone()),
                Value::Object(o) => {
                    for (k, x) in o {
                        at.push(k.clone());
                        arrays(x, at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        for _ in 0..3 {
            let mut found = Vec::new();
            arrays(&doc, &mut Vec::new(), &mut found);
            for path in found {
                let mut tried = doc.clone();
                domain::merge::set(&mut tried, &path, serde_json::json!([{ "id": "r1" }]));
                if let Some(normal) = normalise(&tried) {
                    doc = normal;
                }
            }
        }
        doc
    }

    /// Whether `path` (rows named `#id`) leads to a value in `doc`.
    pub fn exists(doc: &Value, path: &[String]) -> bool {
        let mut at = doc;
        for step in path {
            at = match (at, step.strip_prefix('#')) {
                (Value::Array(rows), Some(id)) => match rows.iter().find(|r| r["id"] == id) {
                    Some(r) => r,
                    None => return false,
                },
                (Value::Object(o), None) => match o.get(step) {
                    Some(v) => v,
                    None => return false,
                },
                _ => return false,
            };
        }
        true
    }
}
