//! For coordinators: bringing in the clients a partner keeps in a spreadsheet. Choose
//! a CSV or XLSX file (the template has the columns), check how its columns are read,
//! see what each row would become — registered, updated, skipped as registered
//! already, or refused with the reason at its cell — and only then import. Nothing is
//! written before that, and every import's report is kept.

use base64::Engine;
use domain::import::{self as rules, choose, ImportReport, ImportRequest, OnDuplicate, RowOutcome, COLUMNS};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::SelectControl;
use crate::pages::components::widgets::{steered_partnership, Choice, ErrorNotice, Loading, SteeredPicker, TableScroll};

/// The file as sent: its name and bytes (base64).
#[derive(Clone, PartialEq)]
struct Chosen {
    name: String,
    content: String,
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let chosen_partnership = RwSignal::new(None::<Uuid>);
    let partnership = steered_partnership(chosen_partnership);
    let file = RwSignal::new(None::<Chosen>);
    let on_duplicate = RwSignal::new(OnDuplicate::Skip.as_str().to_string());
    let mapping = RwSignal::new(Vec::<String>::new());
    let preview = RwSignal::new(None::<ImportReport>);
    let done = RwSignal::new(None::<ImportReport>);
    let message = RwSignal::new(None::<String>);
    let kept = LocalResource::new(move || {
        let p = partnership();
        let _ = done.get();
        async move {
            match p {
                Some(p) => api::get::<Vec<ImportReport>>(&format!("/api/v1/partnerships/{p}/imports")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();

    // One request for both: a dry run (confirm = false) or the import.
    let send = Action::new_local(move |confirm: &bool| {
        let confirm = *confirm;
        async move {
            let (Some(p), Some(f)) = (partnership(), file.get_untracked()) else { return };
            let req = ImportRequest {
                file_name: f.name,
                content: f.content,
                mapping: mapping.get_untracked(),
                on_duplicate: OnDuplicate::parse(&on_duplicate.get_untracked()).unwrap_or(OnDuplicate::Skip),
                confirm,
            };
            message.set(None);
            match api::post::<_, ImportReport>(&format!("/api/v1/partnerships/{p}/import"), &req).await {
                Ok(report) if confirm => {
                    preview.set(None);
                    file.set(None);
                    mapping.set(Vec::new());
                    done.set(Some(report));
                    crate::browser::focus_first("#import-done");
                }
                Ok(report) => {
                    mapping.set(report.columns.iter().map(|c| c.field.clone()).collect());
                    done.set(None);
                    preview.set(Some(report));
                }
                Err(e) => {
                    preview.set(None);
                    message.set(Some(e.message()));
                    crate::browser::focus_first("#import-message");
                }
            }
        }
    });
    let read = Action::new_local(move |_: &()| async move {
        if let Some((name, bytes)) = crate::browser::chosen_file("import-file").await {
            file.set(Some(Chosen { name, content: base64::engine::general_purpose::STANDARD.encode(bytes) }));
            // A new file is read by its own headers.
            mapping.set(Vec::new());
            send.dispatch(false);
        }
    });

    let field_options = Signal::derive(move || {
        let l = lang.get();
        std::iter::once((String::new(), domain::i18n::t(l, "import.ignore").to_string()))
            .chain(COLUMNS.iter().map(|(f, _, _)| (f.to_string(), rules::label(l, f).to_string())))
            .collect::<Vec<_>>()
    });
    let duplicates = vec![("skip".to_string(), "import.skip".to_string()), ("update".to_string(), "import.update".to_string())];

    view! {
        <h1>{tr("import.title")}</h1>
        <SteeredPicker id="import-partnership" chosen=chosen_partnership/>
        <p role="status" id="import-message" tabindex="-1" class="form-error">{move || message.get()}</p>
        {move || done.get().map(|r| view! {
            <div class="notice" role="status" id="import-done" tabindex="-1">
                <p><strong>{tr("import.done")}</strong> " " {counts(lang.get(), &r)}</p>
            </div>
        })}
        <section class="card">
            <h2>{tr("import.file")}</h2>
            <p class="hint">{tr("import.hint")}</p>
            <p class="actions">
                {move || partnership().map(|p| view! {
                    <a class="button secondary" id="template-xlsx" href=format!("/api/v1/partnerships/{p}/import/template.xlsx") rel="external" download>{tr("import.template_xlsx")}</a>
                    " "
                    <a class="button secondary" id="template-csv" href=format!("/api/v1/partnerships/{p}/import/template.csv") rel="external" download>{tr("import.template_csv")}</a>
                })}
            </p>
            <Choice name="on_duplicate" label="import.duplicates" value=on_duplicate
                set=Callback::new(move |v: String| { on_duplicate.set(v); if file.get_untracked().is_some() { send.dispatch(false); } })
                errors=Signal::derive(Vec::new) options=duplicates/>
            <div class="field">
                <label for="import-file">{tr("import.choose")}</label>
                <input type="file" id="import-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=move |_| { read.dispatch(()); }/>
            </div>
            {move || (send.pending().get() || read.pending().get()).then(|| view! { <Loading/> })}
        </section>
        {move || preview.get().map(|r| {
            let writes = r.created + r.updated;
            let refused: Vec<_> = r.rows.iter().filter(|row| row.outcome == RowOutcome::Refused).cloned().collect();
            let columns = r.columns.clone();
            view! {
                <section class="card" id="import-preview">
                    <h2>{tr("import.preview")}</h2>
                    <p id="import-counts" role="status">{counts(lang.get(), &r)}</p>
                    <h3>{tr("import.columns")}</h3>
                    <p class="hint">{tr("import.columns_hint")}</p>
                    <div class="mapping">
                        {columns.into_iter().enumerate().map(|(i, c)| {
                            let value = Signal::derive(move || mapping.with(|m| m.get(i).cloned().unwrap_or_default()));
                            view! {
                                <SelectControl id=format!("map-{i}") label=Signal::derive(move || c.header.clone()) value
                                    set=Callback::new(move |v: String| { mapping.update(|m| choose(m, i, v)); send.dispatch(false); })
                                    error=Signal::derive(|| None::<String>) options=field_options/>
                            }
                        }).collect_view()}
                    </div>
                    {(!refused.is_empty()).then(|| view! {
                        <h3>{tr("import.refused")}</h3>
                        <TableScroll label=tr("import.refused")>
                            <table id="import-errors">
                                <thead><tr>
                                    <th scope="col">{tr("import.row")}</th>
                                    <th scope="col">{tr("import.person")}</th>
                                    <th scope="col">{tr("import.column")}</th>
                                    <th scope="col">{tr("import.reason")}</th>
                                </tr></thead>
                                <tbody>
                                    {refused.into_iter().flat_map(|row| {
                                        let n = row.row;
                                        let name = row.name.clone();
                                        row.errors.into_iter().map(move |e| view! {
                                            <tr data-row=n>
                                                <th scope="row">{n}</th>
                                                <td>{name.clone()}</td>
                                                <td>{if e.column.is_empty() { "—".to_string() } else { e.column }}</td>
                                                <td>{e.message}</td>
                                            </tr>
                                        }).collect::<Vec<_>>()
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableScroll>
                    })}
                    <button type="button" id="import-confirm" disabled=move || writes == 0 || send.pending().get()
                        on:click=move |_| { send.dispatch(true); }>
                        {move || format!("{} ({writes})", t("import.confirm"))}
                    </button>
                </section>
            }
        })}
        <section class="card">
            <h2>{tr("import.kept")}</h2>
            {move || match kept.get() {
                None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(Some(list))) if list.is_empty() => view! { <p class="hint">{tr("import.none")}</p> }.into_any(),
                Some(Ok(Some(list))) => view! {
                    <TableScroll label=tr("import.kept")>
                        <table id="import-kept">
                            <thead><tr>
                                <th scope="col">{tr("import.when")}</th>
                                <th scope="col">{tr("import.who")}</th>
                                <th scope="col">{tr("import.file_name")}</th>
                                <th scope="col">{tr("import.outcome")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.at.clone()}</th>
                                        <td>{r.by.clone()}</td>
                                        <td>{r.file_name.clone()}</td>
                                        <td>{counts(lang.get_untracked(), &r)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            }}
        </section>
    }
}

/// "115 new, 2 updated, 2 registered already (skipped), 3 refused", saying only what occurs.
fn counts(lang: domain::Lang, r: &ImportReport) -> String {
    let parts = [
        (r.created, "import.count.created"),
        (r.updated, "import.count.updated"),
        (r.unchanged, "import.count.unchanged"),
        (r.skipped, "import.count.skipped"),
        (r.refused, "import.count.refused"),
    ];
    let said: Vec<String> = parts.iter().filter(|(n, _)| *n > 0).map(|(n, k)| format!("{}: {n}", domain::i18n::t(lang, k))).collect();
    if said.is_empty() { domain::i18n::t(lang, "import.count.empty").to_string() } else { said.join(", ") }
}
