//! The access log as a coordinator's (and a data protection officer's) tool: who read
//! or changed which client's record, filtered by person, client, action and days,
//! paged, exported as CSV or XLSX. With `?client=` it is one person's "who saw my
//! data" (GDPR art. 15), printable.

use domain::api::{AuditEntry, AuditPage, AUDIT_ACTIONS};
use domain::people::Person;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::{SelectControl, TextControl};
use crate::pages::components::archive::LockedArchive;
use crate::pages::components::widgets::{log_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};

/// The filters as the API's query string (without paging).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    person: String,
    client: String,
    action: String,
    from: String,
    to: String,
}

impl Filters {
    fn query(&self) -> String {
        [("person", &self.person), ("client", &self.client), ("action", &self.action), ("from", &self.from), ("to", &self.to)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let url = use_query_map();
    // A client card's "who saw" link names the client's partnership.
    let chosen = RwSignal::new(url.with_untracked(|q| q.get("partnership").and_then(|p| Uuid::parse_str(&p).ok())));
    let partnership = log_partnership(chosen);
    // What the form holds, and what the list shows (applied by the button).
    let form = RwSignal::new(Filters { client: url.with_untracked(|q| q.get("client").unwrap_or_default()), ..Filters::default() });
    let applied = RwSignal::new(form.get_untracked());
    // The pages seen so far: going back pops, going on pushes the page's `next`.
    let cursors = RwSignal::new(Vec::<i64>::new());
    let entries = LocalResource::new(move || {
        let (p, f, before) = (partnership(), applied.get(), cursors.get().last().copied());
        async move {
            let Some(p) = p else { return Ok(None) };
            let mut q = f.query();
            if let Some(b) = before {
                q = format!("{q}&before={b}");
            }
            api::get::<AuditPage>(&format!("/api/v1/partnerships/{p}/audit?{q}")).await.map(Some)
        }
    });
    let people = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<Person>>(&format!("/api/v1/partnerships/{p}/people")).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let people_options = Signal::derive(move || people.get().unwrap_or_default().into_iter().map(|p| (p.user_id.to_string(), p.display_name)).collect::<Vec<_>>());
    let action_options = Signal::derive(move || AUDIT_ACTIONS.iter().map(|a| (a.to_string(), t(&format!("audit.action.{a}")))).collect::<Vec<_>>());
    let bind = |get: fn(&Filters) -> String, set: fn(&mut Filters, String)| {
        (Signal::derive(move || form.with(get)), Callback::new(move |v: String| form.update(|f| set(f, v))))
    };
    let (person, set_person) = bind(|f| f.person.clone(), |f, v| f.person = v);
    let (action, set_action) = bind(|f| f.action.clone(), |f, v| f.action = v);
    let (from, set_from) = bind(|f| f.from.clone(), |f, v| f.from = v);
    let (to, set_to) = bind(|f| f.to.clone(), |f, v| f.to = v);
    let no_error = Signal::derive(|| None::<String>);
    let export = move |ext: &str| partnership().map(|p| format!("/api/v1/partnerships/{p}/audit/export.{ext}?{}", applied.get().query())).unwrap_or_default();
    // The client's name, once the list shows an entry about them.
    let client_name = move || {
        let c = applied.with(|f| f.client.clone());
        if c.is_empty() {
            return None;
        }
        let name = entries.get().and_then(Result::ok).flatten().and_then(|p| p.items.into_iter().find(|e| e.client_id.map(|i| i.to_string()) == Some(c.clone())).map(|e| e.client_name));
        Some(name.unwrap_or_default())
    };
    view! {
        <h1>{move || match client_name() {
            Some(name) => format!("{} {name}", t("audit.who_saw")),
            None => t("audit.title"),
        }}</h1>
        <SteeredPicker id="audit-partnership" chosen log=true/>
        <form class="card filters no-print" id="audit-filters" on:submit=move |ev| {
            ev.prevent_default();
            cursors.set(Vec::new());
            applied.set(form.get_untracked());
        }>
            <SelectControl id="audit-person" label=Signal::derive(tr("audit.who")) value=person set=set_person error=no_error options=people_options
                placeholder=Some(Signal::derive(tr("audit.anyone")))/>
            <SelectControl id="audit-action" label=Signal::derive(tr("audit.action")) value=action set=set_action error=no_error options=action_options
                placeholder=Some(Signal::derive(tr("audit.any_action")))/>
            <TextControl id="audit-from" label=Signal::derive(tr("audit.from")) value=from set=set_from error=no_error input_type="date"/>
            <TextControl id="audit-to" label=Signal::derive(tr("audit.to")) value=to set=set_to error=no_error input_type="date"/>
            {move || (!form.with(|f| f.client.is_empty())).then(|| view! {
                <p class="hint">{tr("audit.one_client")} " "
                    <button type="button" class="secondary" id="audit-all-clients" on:click=move |_| {
                        form.update(|f| f.client.clear());
                        cursors.set(Vec::new());
                        applied.set(form.get_untracked());
                    }>{tr("audit.all_clients")}</button>
                </p>
            })}
            <button type="submit" id="audit-apply">{tr("audit.apply")}</button>
        </form>
        <p class="no-print export-links">
            <a class="button secondary" id="audit-csv" href=move || export("csv") download="">{tr("audit.export_csv")}</a>
            " "
            <a class="button secondary" id="audit-xlsx" href=move || export("xlsx") download="">{tr("audit.export_xlsx")}</a>
            " "
            <button type="button" class="secondary" id="audit-print" on:click=move |_| crate::browser::print()>{tr("doc.print_now")}</button>
        </p>
        // The log names clients: it can also leave locked with a password.
        <LockedArchive id="audit" top=true url=Signal::derive(move || export("zip")) file=Signal::derive(move || format!("rejestr-dostepu-{}.zip", api::today()))/>
        {move || match entries.get() {
            None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(Some(page))) if page.items.is_empty() => view! { <p id="audit-empty">{tr("audit.empty")}</p> }.into_any(),
            Some(Ok(Some(page))) => {
                let next = page.next;
                view! {
                    <TableScroll label=tr("audit.title")>
                        <table class="audit" id="audit-table">
                            <thead><tr>
                                <th scope="col">{tr("audit.at")}</th>
                                <th scope="col">{tr("audit.who")}</th>
                                <th scope="col">{tr("audit.action")}</th>
                                <th scope="col">{tr("audit.client")}</th>
                                <th scope="col">{tr("audit.detail")}</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|e: AuditEntry| {
                                    let key = format!("audit.action.{}", e.action);
                                    view! { <tr data-action=e.action.clone()>
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
                    <div class="pager no-print">
                        <button type="button" class="secondary" id="audit-newer" disabled=move || cursors.with(Vec::is_empty)
                            on:click=move |_| cursors.update(|c| { c.pop(); })>{tr("audit.newer")}</button>
                        <button type="button" class="secondary" id="audit-older" disabled=next.is_none()
                            on:click=move |_| if let Some(n) = next { cursors.update(|c| c.push(n)); }>{tr("audit.older")}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}
