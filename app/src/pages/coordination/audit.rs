use domain::api::AuditEntry;
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::components::widgets::{steered_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};
use crate::api;
use crate::i18n::{tr, use_lang};

/// Who read or changed which client's record: readable by the partnership's coordinators.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = steered_partnership(chosen);
    let entries = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<AuditEntry>>(&format!("/api/v1/partnerships/{p}/audit")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <h1>{tr("audit.title")}</h1>
        <SteeredPicker id="audit-partnership" chosen/>
        {move || match entries.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Ok(Some(list))) => view! {
                <TableScroll label=tr("audit.title")>
                    <table class="audit">
                        <thead><tr>
                            <th scope="col">{tr("audit.at")}</th>
                            <th scope="col">{tr("audit.who")}</th>
                            <th scope="col">{tr("audit.action")}</th>
                            <th scope="col">{tr("audit.client")}</th>
                            <th scope="col">{tr("audit.detail")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| {
                                let key = format!("audit.action.{}", e.action);
                                view! { <tr>
                                    <td>{e.at}</td>
                                    <td>{e.user_name}</td>
                                    <td>{move || domain::i18n::t(lang.get(), &key).to_string()}</td>
                                    <td>{match e.client_id {
                                        Some(id) => view! { <a href=format!("/clients/{id}")>{e.client_name}</a> }.into_any(),
                                        None => "—".into_any(),
                                    }}</td>
                                    <td>{e.detail}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            }.into_any(),
        }}
    }
}
