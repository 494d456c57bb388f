use domain::api::ClientPage;
use leptos::prelude::*;
use uuid::Uuid;

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
    // The pages walked so far, each by the client it starts after (keyset paging):
    // "next" pushes the page's last client, "previous" pops.
    let cursors = RwSignal::new(Vec::<Uuid>::new());
    let page = LocalResource::new(move || {
        let (q, p) = (query.get(), partnership.get());
        let after = cursors.with(|c| c.last().map(Uuid::to_string).unwrap_or_default());
        // Encoding calls into JavaScript, so it happens in the future, which only the browser runs.
        async move { api::get::<ClientPage>(&format!("/api/v1/clients?q={}&partnership_id={p}&after={after}&limit={PAGE}", encode(&q))).await }
    });
    let memberships = move || session.me().map(|m| m.memberships).unwrap_or_default();

    view! {
        <h1>{tr("clients.title")}</h1>
        <div class="filters" role="search">
            <div class="field grow">
                <label for="q">{tr("clients.search")}</label>
                <input id="q" type="search" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| { cursors.set(Vec::new()); query.set(event_target_value(&ev)); }/>
            </div>
            <div class="field">
                <label for="partnership">{tr("clients.partnership")}</label>
                <select id="partnership" on:change=move |ev| { cursors.set(Vec::new()); partnership.set(event_target_value(&ev)); }>
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
                // Untracked: the count changes with the rows it names, when the page
                // arrives, not when the next page is asked for.
                let offset = cursors.with_untracked(Vec::len) as i64 * PAGE;
                let has_prev = offset > 0;
                let next = p.next;
                let from = if p.items.is_empty() { 0 } else { offset + 1 };
                let to = offset + p.items.len() as i64;
                view! {
                    <p class="count" role="status">{tr("clients.total")} ": " {p.total_capped.then(|| view! { {tr("clients.total_over")} " " })} {p.total} {(p.total > 0).then(|| format!(" ({from}–{to})"))}</p>
                    {if p.items.is_empty() {
                        view! { <p class="notice">{tr("clients.none")}</p> }.into_any()
                    } else {
                        view! { <ClientTable clients=p.items/> }.into_any()
                    }}
                    <div class="pager">
                        <button type="button" id="clients-prev" class="secondary" disabled=!has_prev
                            on:click=move |_| cursors.update(|c| { c.pop(); })>{tr("clients.prev")}</button>
                        <button type="button" id="clients-next" class="secondary" disabled=next.is_none()
                            // A second click while the next page loads asks for it once.
                            on:click=move |_| if let Some(n) = next { cursors.update(|c| if c.last() != Some(&n) { c.push(n) }); }>{tr("clients.next")}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}
