use domain::api::ClientPage;
use domain::caseload::MAX_CASELOAD;
use leptos::prelude::*;

use super::widgets::{ClientTable, ErrorNotice, Loading};
use crate::api;
use crate::i18n::tr;

/// A consultant's start page: the clients they lead, against the limit of 15.
#[component]
pub fn CaseloadPage() -> impl IntoView {
    let page = LocalResource::new(|| api::get::<ClientPage>("/api/v1/clients?mine=true&status=active&limit=200"));
    view! {
        <h1>{tr("caseload.title")}</h1>
        {move || match page.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(p)) => {
                let full = p.total >= MAX_CASELOAD;
                view! {
                    <p class="caseload-count" class:full=full id="caseload-count">
                        {tr("caseload.count")} " " <strong>{p.total}</strong> " " {tr("caseload.of")} " "
                        {MAX_CASELOAD} " " {tr("caseload.clients")}
                    </p>
                    <meter min="0" max=MAX_CASELOAD value=p.total high=MAX_CASELOAD - 1 optimum="0"
                        aria-labelledby="caseload-count"></meter>
                    {full.then(|| view! { <p class="notice warn" role="status">{tr("caseload.full")}</p> })}
                    {if p.items.is_empty() {
                        view! { <p class="notice">{tr("caseload.empty")}</p> }.into_any()
                    } else {
                        view! { <ClientTable clients=p.items/> }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
}
