//! For installation administrators: the organisations (registered with their KRS,
//! REGON and NIP, each checked) and the partnerships they form. Creating a partnership
//! names its first coordinator: an existing account gains the role, a new person gets
//! a single-use link, shown once, to choose their own password. The coordinator then
//! manages the partnership's people. Administrators see no client.

use domain::installation::{FirstCoordinator, Organisation, OrganisationInput, PartnershipCreated, PartnershipInput, PartnershipRename, PartnershipSummary, Settings};
use domain::org::{OrgType, PartnershipKind};
use domain::people::Handover;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::admin::{flatten, org_type_options, prefixed};
use crate::pages::components::controls::SelectControl;
use crate::pages::components::widgets::{error_for, Choice, ErrorNotice, Field, HandoverNotice, Loading, TableScroll};

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let organisations = LocalResource::new(|| api::get::<Vec<Organisation>>("/api/v1/admin/organisations"));
    let partnerships = LocalResource::new(|| api::get::<Vec<PartnershipSummary>>("/api/v1/admin/partnerships"));
    let message = RwSignal::new(None::<String>);
    let handed = RwSignal::new(None::<Handover>);
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let known = Signal::derive(move || organisations.get().and_then(Result::ok).unwrap_or_default());
    // The organisation whose details the form below corrects, and the partnership being renamed.
    let editing = RwSignal::new(None::<Organisation>);
    let renaming = RwSignal::new(None::<PartnershipSummary>);
    view! {
        <h1>{tr("admin.title")}</h1>
        <p class="hint">{tr("admin.intro")}</p>
        <p role="status" id="admin-message">{move || message.get()}</p>
        {move || handed.get().filter(Handover::made_link).map(|h| view! { <HandoverNotice handover=h/> })}
        <section class="card">
            <h2>{tr("admin.partnerships")}</h2>
            {move || match partnerships.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(list)) => view! {
                    <TableScroll label=tr("admin.partnerships")>
                        <table id="partnerships-table">
                            <thead><tr>
                                <th scope="col">{tr("admin.partnership_name")}</th>
                                <th scope="col">{tr("admin.kind")}</th>
                                <th scope="col">{tr("admin.members")}</th>
                                <th scope="col">{tr("admin.coordinators")}</th>
                                <th scope="col">{tr("admin.people")}</th>
                                <th scope="col">{tr("admin.actions")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| {
                                    let kind = p.kind;
                                    let label = format!("{}: {}", t("admin.rename"), p.name);
                                    let chosen = p.clone();
                                    view! {
                                        <tr data-name=p.name.clone()>
                                            <th scope="row">{p.name.clone()}</th>
                                            <td>{move || t(&format!("partnership_kind.{}", kind.as_str()))}</td>
                                            <td>{p.members.join(", ")}</td>
                                            <td>{p.coordinators.join(", ")}</td>
                                            <td>{p.people}</td>
                                            <td><button type="button" class="secondary rename" aria-label=label on:click=move |_| {
                                                renaming.set(Some(chosen.clone()));
                                                request_animation_frame(|| { crate::browser::focus_first("#partnership_new_name"); });
                                            }>{tr("admin.rename")}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            }}
        </section>
        {move || renaming.get().map(|p| view! { <RenameForm partnership=p renaming message refetch=Callback::new(move |_| { partnerships.refetch(); organisations.refetch(); })/> })}
        <PartnershipForm known message handed refetch=Callback::new(move |_| { partnerships.refetch(); organisations.refetch(); })/>
        <section class="card">
            <h2>{tr("admin.organisations")}</h2>
            {move || match organisations.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(list)) => view! {
                    <TableScroll label=tr("admin.organisations")>
                        <table id="organisations-table">
                            <thead><tr>
                                <th scope="col">{tr("admin.org_name")}</th>
                                <th scope="col">{tr("admin.org_type")}</th>
                                <th scope="col">{tr("admin.numbers")}</th>
                                <th scope="col">{tr("admin.partnerships")}</th>
                                <th scope="col">{tr("admin.people")}</th>
                                <th scope="col">{tr("admin.actions")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|o| {
                                    let kind = o.org_type;
                                    let label = format!("{}: {}", t("admin.edit_organisation"), o.name);
                                    let chosen = o.clone();
                                    let category = format!("{} {}", t("admin.retention_short"), if o.retention_category.is_empty() { "—" } else { o.retention_category.as_str() });
                                    let numbers = [("KRS", &o.krs), ("REGON", &o.regon), ("NIP", &o.nip)]
                                        .iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <tr data-name=o.name.clone()>
                                            <th scope="row">{o.name.clone()}<br/><span class="hint">{o.seat.clone()}</span></th>
                                            <td>{move || t(&format!("org_type.{}", kind.as_str()))}</td>
                                            <td class="numbers">{numbers}<br/><span class="hint">{category}</span></td>
                                            <td>{o.partnerships.join(", ")}</td>
                                            <td>{o.people}</td>
                                            <td><button type="button" class="secondary edit" aria-label=label on:click=move |_| {
                                                editing.set(Some(chosen.clone()));
                                                request_animation_frame(|| { crate::browser::focus_first("#organisation_name"); });
                                            }>{tr("admin.edit_organisation")}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any(),
            }}
        </section>
        <OrganisationForm message editing refetch=Callback::new(move |_| { organisations.refetch(); partnerships.refetch(); })/>
        <SettingsForm message/>
    }
}

/// What the administrator decides for everyone: whether two-factor sign-in is required.
#[component]
fn SettingsForm(message: RwSignal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let settings = LocalResource::new(|| api::get::<Settings>("/api/v1/admin/settings"));
    let save = Action::new_local(move |s: &Settings| {
        let s = s.clone();
        async move {
            match api::put_merged::<_, Settings>("/api/v1/admin/settings", &s).await {
                Ok(_) => message.set(Some(domain::i18n::t(lang.get_untracked(), "admin.settings_saved").to_string())),
                Err(e) => message.set(Some(e.message())),
            }
            settings.refetch();
        }
    });
    view! {
        <section class="card" id="installation-settings">
            <h2>{tr("admin.settings")}</h2>
            {move || match settings.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(s)) => view! {
                    <div class="field check">
                        <input type="checkbox" id="two-factor-required" aria-describedby="two-factor-hint" prop:checked=s.two_factor_required
                            on:change=move |ev| { save.dispatch(Settings { two_factor_required: event_target_checked(&ev) }); }/>
                        <label for="two-factor-required">{tr("admin.two_factor")}</label>
                        <p class="hint" id="two-factor-hint">{tr("admin.two_factor_hint")}</p>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// A partnership's new name; shown while the administrator renames one.
#[component]
fn RenameForm(partnership: PartnershipSummary, renaming: RwSignal<Option<PartnershipSummary>>, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(partnership.name.clone());
    let errors = RwSignal::new(Vec::new());
    let id = partnership.id;
    let save = Action::new_local(move |r: &PartnershipRename| {
        let r = r.clone();
        async move {
            match api::put_merged::<_, PartnershipSummary>(&format!("/api/v1/admin/partnerships/{id}"), &r).await {
                Ok(p) => {
                    message.set(Some(format!("{} {}", domain::i18n::t(lang.get_untracked(), "admin.done.renamed"), p.name)));
                    renaming.set(None);
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(renamed_errors(e.field_errors()));
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    view! {
        <form class="card" id="rename-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            // The same rule the server runs; it checks it again.
            match (PartnershipRename { name: name.get_untracked() }).validate(lang.get_untracked()) {
                Ok(r) => { save.dispatch(r); }
                Err(list) => {
                    errors.set(renamed_errors(list));
                    crate::browser::focus_first_error();
                }
            }
        }>
            <h2>{tr("admin.rename_partnership")}": "{partnership.name.clone()}</h2>
            <p class="hint">{tr("admin.rename_hint")}</p>
            <Field name="partnership_new_name" label="admin.new_name" value=name set=Callback::new(move |v| name.set(v)) errors=errors required=true autocomplete="off"/>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>{tr("admin.save_changes")}</button>
                <button type="button" class="secondary" on:click=move |_| renaming.set(None)>{tr("admin.cancel")}</button>
            </div>
        </form>
    }
}

/// The rename form's errors at its one field.
fn renamed_errors(list: Vec<domain::validation::FieldError>) -> Vec<domain::validation::FieldError> {
    list.into_iter()
        .map(|mut f| {
            if f.pointer == "/name" {
                f.pointer = "/partnership_new_name".into();
            }
            f
        })
        .collect()
}

/// Registers an organisation, or corrects the details of the one chosen in the list.
#[component]
fn OrganisationForm(message: RwSignal<Option<String>>, editing: RwSignal<Option<Organisation>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(String::new());
    let org_type = RwSignal::new(OrgType::Ngo.as_str().to_string());
    let seat = RwSignal::new(String::new());
    let regon = RwSignal::new(String::new());
    let nip = RwSignal::new(String::new());
    let krs = RwSignal::new(String::new());
    let retention = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let clear = move || {
        for s in [name, seat, regon, nip, krs, retention] {
            s.set(String::new());
        }
        org_type.set(OrgType::Ngo.as_str().to_string());
        errors.set(Vec::new());
    };
    // Choosing an organisation in the list fills the form with what it has now.
    Effect::new(move |_| match editing.get() {
        Some(o) => {
            name.set(o.name);
            org_type.set(o.org_type.as_str().to_string());
            seat.set(o.seat);
            regon.set(o.regon);
            nip.set(o.nip);
            krs.set(o.krs);
            retention.set(o.retention_category);
            errors.set(Vec::new());
        }
        None => clear(),
    });
    let save = Action::new_local(move |org: &OrganisationInput| {
        let org = org.clone();
        let changing = editing.get_untracked().map(|o| o.id);
        async move {
            let saved = match changing {
                Some(id) => api::put_merged::<_, Organisation>(&format!("/api/v1/admin/organisations/{id}"), &org).await,
                None => api::post::<_, Organisation>("/api/v1/admin/organisations", &org).await,
            };
            match saved {
                Ok(o) => {
                    let key = if changing.is_some() { "admin.done.organisation_changed" } else { "admin.done.organisation" };
                    message.set(Some(format!("{} {}", domain::i18n::t(lang.get_untracked(), key), o.name)));
                    if changing.is_some() {
                        editing.set(None);
                    } else {
                        clear();
                    }
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(prefixed(e.field_errors(), "organisation"));
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    view! {
        <form class="card" id="organisation-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let org = OrganisationInput {
                name: name.get_untracked(),
                org_type: OrgType::parse(&org_type.get_untracked()).unwrap_or_default(),
                seat: seat.get_untracked(),
                krs: krs.get_untracked(),
                regon: regon.get_untracked(),
                nip: nip.get_untracked(),
                retention_category: retention.get_untracked(),
            };
            // The same rules the server runs; it checks them again.
            match org.validate(lang.get_untracked()) {
                Ok(org) => { save.dispatch(org); }
                Err(list) => {
                    errors.set(prefixed(list, "organisation"));
                    crate::browser::focus_first_error();
                }
            }
        }>
            <h2>{move || match editing.get() {
                Some(o) => format!("{}: {}", domain::i18n::t(lang.get(), "admin.editing_organisation"), o.name),
                None => domain::i18n::t(lang.get(), "admin.register_organisation").to_string(),
            }}</h2>
            <p class="hint" hidden=move || editing.with(|o| o.as_ref().is_none_or(|o| o.partnerships.is_empty()))>{tr("admin.kind_fixed_hint")}</p>
            <Field name="organisation_name" label="admin.org_name" value=name set=Callback::new(move |v| name.set(v)) errors=errors required=true autocomplete="off"/>
            <Choice name="organisation_org_type" label="admin.org_type" value=org_type set=Callback::new(move |v| org_type.set(v)) errors=errors options=org_type_options()/>
            <Field name="organisation_seat" label="admin.seat" value=seat set=Callback::new(move |v| seat.set(v)) errors=errors autocomplete="off"/>
            <Field name="organisation_regon" label="admin.regon" value=regon set=Callback::new(move |v| regon.set(v)) errors=errors inputmode="numeric" autocomplete="off"/>
            <Field name="organisation_nip" label="admin.nip" value=nip set=Callback::new(move |v| nip.set(v)) errors=errors inputmode="numeric" autocomplete="off"/>
            <Field name="organisation_krs" label="admin.krs" value=krs set=Callback::new(move |v| krs.set(v)) errors=errors inputmode="numeric" autocomplete="off" hint="admin.krs_hint"/>
            <Field name="organisation_retention_category" label="admin.retention_category" value=retention set=Callback::new(move |v| retention.set(v)) errors=errors autocomplete="off" hint="admin.retention_category_hint"/>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>
                    {move || domain::i18n::t(lang.get(), if editing.with(Option::is_some) { "admin.save_changes" } else { "admin.register" }).to_string()}
                </button>
                <button type="button" class="secondary" hidden=move || editing.with(Option::is_none) on:click=move |_| editing.set(None)>{tr("admin.cancel")}</button>
            </div>
        </form>
    }
}

#[component]
fn PartnershipForm(known: Signal<Vec<Organisation>>, message: RwSignal<Option<String>>, handed: RwSignal<Option<Handover>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(PartnershipKind::Local.as_str().to_string());
    let members = RwSignal::new(Vec::<Uuid>::new());
    let coordinator_name = RwSignal::new(String::new());
    let coordinator_email = RwSignal::new(String::new());
    let coordinator_org = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let save = Action::new_local(move |p: &PartnershipInput| {
        let p = p.clone();
        async move {
            match api::post::<_, PartnershipCreated>("/api/v1/admin/partnerships", &p).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    for s in [name, coordinator_name, coordinator_email, coordinator_org] {
                        s.set(String::new());
                    }
                    members.set(Vec::new());
                    let l = lang.get_untracked();
                    let key = if !created.coordinator.made_link() { "admin.done.partnership_existing" } else { "admin.done.partnership" };
                    message.set(Some(format!("{}: {}", created.partnership.name, domain::i18n::t(l, key))));
                    handed.set(Some(created.coordinator));
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(partnership_errors(e.field_errors()));
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let kinds: Vec<(String, String)> = PartnershipKind::ALL.iter().map(|k| (k.as_str().to_string(), format!("partnership_kind.{}", k.as_str()))).collect();
    // The coordinator works for one of the chosen members.
    let member_options = Signal::derive(move || {
        let chosen = members.get();
        known.get().into_iter().filter(|o| chosen.contains(&o.id)).map(|o| (o.id.to_string(), o.name)).collect::<Vec<_>>()
    });
    let members_error = Signal::derive(move || errors.with(|e| error_for(e, "members")));
    let org_error = Signal::derive(move || errors.with(|e| error_for(e, "coordinator_organisation_id")));
    view! {
        <form class="card" id="partnership-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let input = PartnershipInput {
                name: name.get_untracked(),
                kind: PartnershipKind::parse(&kind.get_untracked()).unwrap_or(PartnershipKind::Local),
                members: members.get_untracked(),
                coordinator: FirstCoordinator {
                    email: coordinator_email.get_untracked(),
                    display_name: coordinator_name.get_untracked(),
                    organisation_id: Uuid::parse_str(&coordinator_org.get_untracked()).unwrap_or_default(),
                },
            };
            let kinds: Vec<(Uuid, OrgType)> = known.get_untracked().iter().map(|o| (o.id, o.org_type)).collect();
            // The same rules the server runs; it checks them again.
            match input.validate(lang.get_untracked(), &kinds) {
                Ok(input) => { save.dispatch(input); }
                Err(list) => {
                    errors.set(partnership_errors(list));
                    crate::browser::focus_first_error();
                }
            }
        }>
            <h2>{tr("admin.create_partnership")}</h2>
            <p class="hint">{tr("admin.create_partnership_hint")}</p>
            <Field name="partnership_name" label="admin.partnership_name" value=name set=Callback::new(move |v| name.set(v)) errors=errors required=true autocomplete="off"/>
            <Choice name="partnership_kind" label="admin.kind" value=kind set=Callback::new(move |v| kind.set(v)) errors=errors options=kinds/>
            <fieldset class="choice" id="members" class:invalid=move || members_error.get().is_some()>
                <legend>{tr("admin.members")}</legend>
                {move || known.get().into_iter().map(|o| {
                    let id = o.id;
                    let input_id = format!("member-{id}");
                    view! {
                        <label class="option" for=input_id.clone()>
                            <input type="checkbox" id=input_id.clone() data-name=o.name.clone() prop:checked=move || members.with(|m| m.contains(&id))
                                aria-invalid=move || members_error.get().is_some().then_some("true") aria-describedby="members-error"
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    members.update(|m| {
                                        m.retain(|x| *x != id);
                                        if on { m.push(id); }
                                    });
                                }/>
                            {o.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="members-error" aria-live="polite">{move || members_error.get()}</p>
            </fieldset>
            <fieldset>
                <legend>{tr("admin.first_coordinator")}</legend>
                <Field name="coordinator_display_name" label="people.name" value=coordinator_name set=Callback::new(move |v| coordinator_name.set(v)) errors=errors required=true autocomplete="off"/>
                <Field name="coordinator_email" label="people.email" input_type="email" value=coordinator_email set=Callback::new(move |v| coordinator_email.set(v)) errors=errors required=true autocomplete="off"/>
                <SelectControl id="coordinator_organisation_id" name=Some("coordinator_organisation_id") label=Signal::derive(tr("people.organisation")) value=coordinator_org
                    set=Callback::new(move |v| coordinator_org.set(v)) error=org_error options=member_options
                    placeholder=Some(Signal::derive(tr("people.choose_organisation")))/>
            </fieldset>
            <button type="submit" disabled=move || save.pending().get()>{tr("admin.create")}</button>
        </form>
    }
}

/// The partnership form's errors at its fields: its name and kind carry a prefix (the
/// organisation form on the same page has a name too), the coordinator's are flat.
fn partnership_errors(list: Vec<domain::validation::FieldError>) -> Vec<domain::validation::FieldError> {
    flatten(list)
        .into_iter()
        .map(|mut f| {
            if f.pointer == "/name" || f.pointer == "/kind" {
                f.pointer = format!("/partnership_{}", &f.pointer[1..]);
            }
            f
        })
        .collect()
}
