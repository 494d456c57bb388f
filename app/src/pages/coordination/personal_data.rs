//! A person's own data (GDPR art. 15 and 20) for the coordinator who answers the
//! person's request: everything held about one client on one printable page, the same tables
//! as CSV or XLSX, the whole as JSON for portability, and all of it as a ZIP archive
//! locked with a password. The tables are `domain::personal::tables`, which the
//! server's files use too.

use domain::i18n::t;
use domain::personal::{self, PersonalData};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::archive::LockedArchive;
use crate::pages::components::widgets::{ErrorNotice, Loading, TableScroll};

#[component]
pub fn PersonalDataPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::get::<PersonalData>(&format!("/api/v1/clients/{id}/personal-data")).await,
                None => Err(api::ApiError::NotFound),
            }
        }
    });
    view! {
        <h1>{tr("personal.title")}</h1>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{tr("personal.load_error")}</p><ErrorNotice error=e/> }.into_any(),
            Some(Ok(d)) => view! { <Held d/> }.into_any(),
        }}
    }
}

#[component]
fn Held(d: PersonalData) -> impl IntoView {
    let lang = use_lang();
    let id = d.client.id;
    let base = format!("/api/v1/clients/{id}/personal-data");
    let c = &d.client.data;
    let name = domain::client::display_name(&c.kind, &c.surname, &c.first_names, &c.name);
    let (at, by, partnership) = (d.exported_at.clone(), d.exported_by.clone(), d.partnership.clone());
    let exported = move || t(lang.get(), "personal.exported").replace("{at}", &at).replace("{by}", &by).replace("{partnership}", &partnership);
    let complete = d.access_complete;
    let tables = move || personal::tables(&d, lang.get());
    view! {
        <p class="lead" id="personal-name">{name}</p>
        <p class="hint no-print">{tr("personal.intro")}</p>
        <p id="personal-exported">{exported}</p>
        {(!complete).then(|| view! { <p class="notice warn" role="status">{tr("personal.access_cut")}</p> })}
        <section class="card no-print" aria-labelledby="personal-downloads">
            <h2 id="personal-downloads">{tr("personal.downloads")}</h2>
            <div class="actions">
                <a class="button secondary" id="personal-json" href=format!("{base}/export.json") download>{tr("personal.json")}</a>
                <a class="button secondary" id="personal-csv" href=format!("{base}/export.csv") download>{tr("personal.csv")}</a>
                <a class="button secondary" id="personal-xlsx" href=format!("{base}/export.xlsx") download>{tr("personal.xlsx")}</a>
                <button type="button" class="secondary" id="personal-print" on:click=move |_| crate::browser::print()>{tr("personal.print")}</button>
            </div>
            <LockedArchive id="personal" url=format!("{base}/export.zip") file=format!("dane-osoby-{}.zip", api::today())/>
        </section>
        {move || tables().into_iter().map(|table| {
            let heading = format!("personal-{}", table.sheet);
            let (section, labelled) = (format!("{heading}-section"), heading.clone());
            let mut rows = table.rows.into_iter();
            let head = rows.next().unwrap_or_default();
            let body: Vec<Vec<String>> = rows.collect();
            let title = table.title;
            view! {
                <section class="card" aria-labelledby=labelled id=section>
                    <h2 id=heading>{tr(title)}</h2>
                    {if body.is_empty() {
                        view! { <p>{tr("personal.empty")}</p> }.into_any()
                    } else {
                        view! {
                            <TableScroll label=tr(title)>
                                <table class="p-table">
                                    <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                                    <tbody>
                                        {body.into_iter().map(|row| view! {
                                            <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableScroll>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
    }
}
