use domain::api::ClientPage;
use leptos::prelude::*;

use crate::pages::components::widgets::{ClientTable, ErrorNotice, Loading};
use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::tr;

const PAGE: i64 = 50;

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}

/// Every client of the user's partnerships, searchable, in Polish alphabetical order.
#[component]
pub fn ClientListPage() -> impl IntoView {
    let session = use_session();
    let query = RwSignal::new(String::new());
    let partnership = RwSignal::new(String::new());
    let offset = RwSignal::new(0i64);
    let page = LocalResource::new(move || {
        let (q, p, o) = (query.get(), partnership.get(), offset.get());
        // Encoding calls into JavaScript, so it happens in the future, which only the browser runs.
        async move { api::get::<ClientPage>(&format!("/api/v1/clients?q={}&partnership_id={p}&offset={o}&limit={PAGE}", encode(&q))).await }
    });
    let memberships = move || session.me().map(|m| m.memberships).unwrap_or_default();

    view! {
        <h1>{tr("clients.title")}</h1>
        <div class="filters" role="search">
            <div class="field grow">
                <label for="q">{tr("clients.search")}</label>
                <input id="q" type="search" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| { offset.set(0); query.set(event_target_value(&ev)); }/>
            </div>
            <div class="field">
                <label for="partnership">{tr("clients.partnership")}</label>
                <select id="partnership" on:change=move |ev| { offset.set(0); partnership.set(event_target_value(&ev)); }>
                    <option value="">"—"</option>
                    <For each=memberships key=|m| m.partnership_id let:m>
                        <option value=m.partnership_id.to_string()>{m.partnership_name}</option>
                    </For>
                </select>
            </div>
        </div>
        {move || match page.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(p)) => {
                let has_prev = p.offset > 0;
                let has_next = p.offset + p.limit < p.total;
                let from = if p.total == 0 { 0 } else { p.offset + 1 };
                let to = (p.offset + p.limit).min(p.total);
                view! {
                    <p class="count" role="status">{tr("clients.total")} ": " {p.total} {(p.total > 0).then(|| format!(" ({from}–{to})"))}</p>
                    {if p.items.is_empty() {
                        view! { <p class="notice">{tr("clients.none")}</p> }.into_any()
                    } else {
                        view! { <ClientTable clients=p.items/> }.into_any()
                    }}
                    <div class="pager">
                        <button type="button" class="secondary" disabled=!has_prev
                            on:click=move |_| offset.update(|o| *o = (*o - PAGE).max(0))>{tr("clients.prev")}</button>
                        <button type="button" class="secondary" disabled=!has_next
                            on:click=move |_| offset.update(|o| *o += PAGE)>{tr("clients.next")}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}
