//! What every document saved whole shows about its draft (the report, the
//! partnership documents): the state in one word, the fields both sides changed side
//! by side with a choice for each, and a change the server refused for good.

use domain::draft::{Draft, Whole};
use domain::merge::Path;
use domain::validation::FieldError;
use leptos::prelude::*;
use serde_json::Value;

use crate::i18n::tr;

/// Where a draft stands, as `data-state` and the status line name it.
pub fn state<W: Whole>(draft: Option<&Draft<W>>, invalid_here: bool, saved: bool) -> &'static str {
    match draft {
        Some(d) if !d.conflicts.is_empty() => "conflict",
        Some(d) if !d.errors.is_empty() => "invalid",
        Some(d) if d.waiting() && invalid_here => "invalid",
        Some(d) if d.waiting() => "waiting",
        _ if saved => "saved",
        _ => "new",
    }
}

/// One field both sides changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub path: Path,
    pub label: String,
    pub mine: String,
    pub theirs: String,
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        o => o.to_string(),
    }
}

/// The draft's conflicts as rows, each field named by `label`.
pub fn conflict_rows<W: Whole>(d: &Draft<W>, label: impl Fn(&[String]) -> String) -> Vec<ConflictRow> {
    d.conflicts.iter().map(|c| ConflictRow { label: label(&c.path), mine: shown(&d.mine(&c.path)), theirs: shown(&c.theirs), path: c.path.clone() }).collect()
}

/// The person's text next to the other one, field by field, with a choice for each.
#[component]
pub fn ConflictTable(id: &'static str, rows: Vec<ConflictRow>, #[prop(into)] on_resolve: Callback<(Path, bool)>) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        view! {
            <div class="conflict" id=id role="alert">
                <p>{tr("report.conflict")}</p>
                <table>
                    <thead><tr><th scope="col">{tr("report.section")}</th><th scope="col">{tr("report.mine")}</th><th scope="col">{tr("report.theirs")}</th><th scope="col"></th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let (p1, p2) = (r.path.clone(), r.path.clone());
                            view! {
                                <tr data-field=r.path.join("/")>
                                    <th scope="row">{r.label}</th>
                                    <td class="mine">{r.mine}</td>
                                    <td class="theirs">{r.theirs}</td>
                                    <td>
                                        <button type="button" class="keep-mine" on:click=move |_| on_resolve.run((p1.clone(), true))>{tr("report.keep_mine")}</button>
                                        " "
                                        <button type="button" class="secondary take-theirs" on:click=move |_| on_resolve.run((p2.clone(), false))>{tr("report.take_theirs")}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}

/// What the server refused for good (errors not tied to one field), with the way
/// out: forget the device's changes.
#[component]
pub fn RefusedNotice(id: &'static str, errors: Vec<FieldError>, #[prop(into)] on_discard: Callback<()>) -> impl IntoView {
    let general: Vec<FieldError> = errors.into_iter().filter(|e| e.pointer.is_empty()).collect();
    (!general.is_empty()).then(|| {
        view! {
            <div class="notice error" id=id role="alert">
                {general.into_iter().map(|e| view! { <p>{e.message}</p> }).collect_view()}
                <button type="button" class="secondary" on:click=move |_| on_discard.run(())>{tr("report.discard")}</button>
            </div>
        }
    })
}
