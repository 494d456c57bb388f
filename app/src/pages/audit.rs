use domain::api::AuditEntry;
use leptos::prelude::*;
use uuid::Uuid;

use super::widgets::{ErrorNotice, Loading};
use crate::api::{self, use_session};
use crate::i18n::{tr, use_lang};

/// Who read or changed which client's record: readable by the partnership's coordinators.
#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Uuid>);
    let steered = move || {
        session.me().map(|m| m.memberships.into_iter().filter(|m| m.role.steers()).collect::<Vec<_>>()).unwrap_or_default()
    };
    let partnership = move || chosen.get().or_else(|| steered().first().map(|m| m.partnership_id));
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
        <div class="filters">
            <div class="field">
                <label for="audit-partnership">{tr("clients.partnership")}</label>
                <select id="audit-partnership" on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                    <For each=steered key=|m| m.partnership_id let:m>
                        <option value=m.partnership_id.to_string()>{m.partnership_name}</option>
                    </For>
                </select>
            </div>
        </div>
        {move || match entries.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Ok(Some(list))) => view! {
                <div class="table-wrap">
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
                </div>
            }.into_any(),
        }}
    }
}
