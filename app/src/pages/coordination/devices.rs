//! For coordinators: the devices that sync in a partnership, revoking a lost one, and
//! the changes a revoked device pushed afterwards, held for a decision.

use domain::merge::pointer;
use domain::sync::{Decision, DeviceInfo, HeldChange, Op, RevokeDevice};
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::components::widgets::{steered_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};
use crate::api;
use crate::i18n::{tr, use_lang};

fn summary(op: &Op) -> String {
    match op {
        Op::Create { .. } => "+".into(),
        Op::Edit { changes, .. } => changes
            .iter()
            .map(|c| format!("{}: {}", pointer(&c.path), c.new.as_str().map(str::to_string).unwrap_or_else(|| c.new.to_string())))
            .collect::<Vec<_>>()
            .join("; "),
        Op::AddNote { text, .. } => text.clone(),
    }
}

#[component]
pub fn DevicesPage() -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Uuid>);
    let error = RwSignal::new(None::<String>);
    let partnership = steered_partnership(chosen);
    let devices = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<DeviceInfo>>(&format!("/api/v1/partnerships/{p}/devices")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let held = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<HeldChange>>(&format!("/api/v1/partnerships/{p}/held")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let revoke = Action::new_local(move |(device, user): &(Uuid, Uuid)| {
        let (device, user) = (*device, *user);
        async move {
            match api::post::<_, ()>(&format!("/api/v1/devices/{device}/revoke"), &RevokeDevice { user_id: user }).await {
                Ok(()) => devices.refetch(),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let decide = Action::new_local(move |(id, apply): &(Uuid, bool)| {
        let (id, apply) = (*id, *apply);
        async move {
            match api::post::<_, HeldChange>(&format!("/api/v1/held/{id}/decide"), &Decision { apply }).await {
                Ok(_) => held.refetch(),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    view! {
        <h1>{tr("devices.title")}</h1>
        <SteeredPicker id="devices-partnership" chosen/>
        {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        <section class="card">
            <h2>{tr("devices.list")}</h2>
            <p>{tr("devices.explain")}</p>
            {move || match devices.get() {
                None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(Some(list))) => view! {
                    <TableScroll label=tr("devices.list")>
                        <table id="device-table">
                            <thead><tr>
                                <th scope="col">{tr("devices.user")}</th>
                                <th scope="col">{tr("devices.device")}</th>
                                <th scope="col">{tr("devices.last_seen")}</th>
                                <th scope="col">{tr("devices.state")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let (device, user) = (d.device_id, d.user_id);
                                    view! {
                                        <tr>
                                            <th scope="row">{d.user_name.clone()}</th>
                                            <td><code>{d.device_id.to_string()[24..].to_string()}</code></td>
                                            <td>{d.last_seen.clone()}</td>
                                            <td>{if d.revoked.is_empty() {
                                                view! {
                                                    <button type="button" class="danger revoke" on:click=move |_| { revoke.dispatch((device, user)); }>
                                                        {tr("devices.revoke")}
                                                    </button>
                                                }.into_any()
                                            } else {
                                                view! { <span>{t("devices.revoked")} " " {d.revoked.clone()}</span> }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            }}
        </section>
        <section class="card">
            <h2>{tr("devices.held")}</h2>
            {move || match held.get() {
                None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(Some(list))) if list.is_empty() => view! { <p>{tr("device.nothing_waiting")}</p> }.into_any(),
                Some(Ok(Some(list))) => view! {
                    <ul class="plain" id="held-list">
                        {list.into_iter().map(|h| {
                            let id = h.mutation_id;
                            view! {
                                <li>
                                    <p><strong>{h.client_name.clone()}</strong> " · " {h.user_name.clone()} " · " {h.received_at.clone()}</p>
                                    <p>{summary(&h.mutation.op)}</p>
                                    {if h.decision.is_empty() {
                                        view! {
                                            <div class="actions">
                                                <button type="button" on:click=move |_| { decide.dispatch((id, true)); }>{tr("devices.apply")}</button>
                                                <button type="button" class="secondary" on:click=move |_| { decide.dispatch((id, false)); }>{tr("devices.discard")}</button>
                                            </div>
                                        }.into_any()
                                    } else {
                                        let key = format!("devices.decision.{}", h.decision);
                                        view! { <p>{move || t(&key)} " — " {h.decided.clone()}</p> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
