//! For coordinators: the people of a partnership. Invite someone of a member
//! organisation with a role, change a role, switch an account off or on, start a
//! password reset. An invitation or a reset gives a single-use link, shown once, to
//! hand to the person: they choose their own password on it.

use domain::import::{choose, StaffImportReport, StaffImportRequest, STAFF_COLUMNS};
use domain::installation::{MemberAdd, Members};
use domain::org::Role;
use domain::people::{AccountState, Authorisation, Handover, Invite, Person, RoleChange};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::SelectControl;
use crate::pages::components::widgets::{steered_partnership, Choice, ErrorNotice, Field, HandoverNotice, Loading, SteeredPicker, TableScroll};
use crate::session::use_session;

/// The roles a coordinator gives, with their names.
const ROLES: [Role; 6] = [Role::Coordinator, Role::KeyConsultant, Role::SocialWorker, Role::JobCounsellor, Role::ReintegrationSpecialist, Role::DataProtectionOfficer];

fn role_options() -> Vec<(String, String)> {
    ROLES.iter().map(|r| (r.as_str().to_string(), r.i18n_key().to_string())).collect()
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = steered_partnership(chosen);
    let message = RwSignal::new(None::<String>);
    let handed = RwSignal::new(None::<Handover>);
    let people = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Vec<Person>>(&format!("/api/v1/partnerships/{p}/people")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let members = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Members>(&format!("/api/v1/partnerships/{p}/members")).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The member organisations as the server has them now (one added here counts at
    // once); until they arrive, as they were at sign-in.
    let partners = Signal::derive(move || {
        if let Some(Ok(Some(m))) = members.get() {
            return m.members;
        }
        let p = partnership();
        session.me().and_then(|m| m.memberships.into_iter().find(|m| Some(m.partnership_id) == p)).map(|m| m.partners).unwrap_or_default()
    });
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();

    // One action for every button on a person's row: its path and, for a role, the body.
    let act = Action::new_local(move |(person, what, role): &(Uuid, &'static str, Option<Role>)| {
        let (person, what, role) = (*person, *what, *role);
        let p = partnership();
        async move {
            let Some(p) = p else { return };
            let base = format!("/api/v1/partnerships/{p}/people/{person}");
            message.set(None);
            handed.set(None);
            let done = match (what, role) {
                ("role", Some(role)) => api::put_merged::<_, Person>(&format!("{base}/role"), &RoleChange { role }).await.map(|_| None),
                ("reset", _) => api::post::<_, Handover>(&format!("{base}/reset"), &()).await.map(Some),
                (what, _) => api::post::<_, Person>(&format!("{base}/{what}"), &()).await.map(|_| None),
            };
            match done {
                Ok(h) => {
                    handed.set(h);
                    message.set(Some(domain::i18n::t(lang.get_untracked(), &format!("people.done.{what}")).to_string()));
                    people.refetch();
                }
                Err(e) => message.set(Some(e.message())),
            }
        }
    });

    view! {
        <h1>{tr("people.title")}</h1>
        <SteeredPicker id="people-partnership" chosen/>
        <p role="status" id="people-message">{move || message.get()}</p>
        {move || handed.get().filter(Handover::made_link).map(|h| view! { <HandoverNotice handover=h/> })}
        <section class="card">
            <h2>{tr("people.list")}</h2>
            {move || match people.get() {
                None | Some(Ok(None)) => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(Some(list))) => {
                    let me = session.me().map(|m| m.user_id);
                    view! {
                        <TableScroll label=tr("people.list")>
                            <table id="people-table">
                                <thead><tr>
                                    <th scope="col">{tr("people.name")}</th>
                                    <th scope="col">{tr("people.organisation")}</th>
                                    <th scope="col">{tr("people.role")}</th>
                                    <th scope="col">{tr("people.state")}</th>
                                    <th scope="col">{tr("people.authorisation")}</th>
                                    <th scope="col">{tr("people.last_seen")}</th>
                                    <th scope="col">{tr("people.actions")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|person| {
                                        let id = person.user_id;
                                        let own = me == Some(id);
                                        let state = person.state;
                                        let role = RwSignal::new(person.role.as_str().to_string());
                                        let devices = person.devices.clone();
                                        let second_factor = person.second_factor;
                                        view! {
                                            <tr data-email=person.email.clone() data-state=state.as_str()>
                                                <th scope="row">{person.display_name.clone()}<br/><span class="hint">{person.email.clone()}</span></th>
                                                <td>{person.organisation_name.clone()}</td>
                                                <td>
                                                    <SelectControl id=format!("role-{id}") label=Signal::derive(tr("people.role")) value=role
                                                        set=Callback::new(move |v: String| {
                                                            role.set(v.clone());
                                                            if let Some(r) = Role::parse(&v) { act.dispatch((id, "role", Some(r))); }
                                                        })
                                                        error=Signal::derive(|| None::<String>) disabled=Signal::derive(move || own)
                                                        options=Signal::derive(move || role_options().into_iter().map(|(v, k)| (v, t(&k))).collect())/>
                                                </td>
                                                <td>{move || t(&format!("people.state.{}", state.as_str()))}
                                                    {second_factor.then(|| view! { <br/><span class="hint second-factor">{tr("people.second_factor")}</span> })}
                                                </td>
                                                <td class:overdue=person.authorisation.lapsed(api::today())>
                                                    {if person.authorisation.recorded() {
                                                        let a = person.authorisation.clone();
                                                        let until = domain::validation::parse_iso_date(&a.expires).map(domain::validation::format_date);
                                                        let print = format!("/people/{id}/authorisation?partnership={}", partnership().map(|p| p.to_string()).unwrap_or_default());
                                                        view! {
                                                            <span class="auth-number">{a.number.clone()}</span><br/>
                                                            <span class="hint">{move || match &until { Some(d) => format!("{} {d}", t("people.until")), None => t("people.until_revoked") }}</span><br/>
                                                            <a class="button secondary print-authorisation" href=print>{tr("people.print_authorisation")}</a>
                                                        }.into_any()
                                                    } else {
                                                        view! { <span class="hint">{tr("people.no_authorisation")}</span> }.into_any()
                                                    }}
                                                </td>
                                                <td>{person.last_seen.clone()}
                                                    {(!devices.is_empty()).then(|| {
                                                        let list = devices.join(", ");
                                                        view! {
                                                            <br/><span class="hint devices">{move || format!("{}: {list}", t("people.devices"))}</span>
                                                            {(state == AccountState::Inactive).then(|| view! {
                                                                <br/><span class="hint unsent">{tr("people.devices_held")} " " <a href="/devices">{tr("people.devices_link")}</a></span>
                                                            })}
                                                        }
                                                    })}
                                                </td>
                                                <td class="actions">
                                                    {(!own).then(|| view! {
                                                        {if state == AccountState::Inactive {
                                                            view! { <button type="button" class="secondary reactivate" on:click=move |_| { act.dispatch((id, "reactivate", None)); }>{tr("people.reactivate")}</button> }.into_any()
                                                        } else {
                                                            view! {
                                                                <button type="button" class="secondary reset" on:click=move |_| { act.dispatch((id, "reset", None)); }>{tr("people.reset")}</button>
                                                                {second_factor.then(|| view! {
                                                                    <button type="button" class="secondary reset-factor" on:click=move |_| { act.dispatch((id, "second-factor/reset", None)); }>{tr("people.reset_factor")}</button>
                                                                })}
                                                                <button type="button" class="danger deactivate" on:click=move |_| { act.dispatch((id, "deactivate", None)); }>{tr("people.deactivate")}</button>
                                                            }.into_any()
                                                        }}
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableScroll>
                    }.into_any()
                }
            }}
        </section>
        <InviteForm partnership=Signal::derive(partnership) partners handed message people=Callback::new(move |_| people.refetch())/>
        <StaffListForm partnership=Signal::derive(partnership) message refetch=Callback::new(move |_| people.refetch())/>
        <MembersForm partnership=Signal::derive(partnership) members=Signal::derive(move || members.get().and_then(Result::ok).flatten()) message
            refetch=Callback::new(move |_| members.refetch())/>
        <AuthorisationForm partnership=Signal::derive(partnership) message
            people=Signal::derive(move || people.get().and_then(Result::ok).flatten().unwrap_or_default())
            refetch=Callback::new(move |_| people.refetch())/>
    }
}

/// Records a person's authorisation to process personal data (number, issue, end).
#[component]
fn AuthorisationForm(partnership: Signal<Option<Uuid>>, people: Signal<Vec<Person>>, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let person = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let issued = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    // Choosing a person shows what is recorded for them, to correct or renew.
    Effect::new(move |_| {
        let chosen = person.get();
        if let Some(p) = people.with_untracked(|list| list.iter().find(|p| p.user_id.to_string() == chosen).cloned()) {
            number.set(p.authorisation.number);
            issued.set(p.authorisation.issued);
            expires.set(p.authorisation.expires);
        }
    });
    let save = Action::new_local(move |(who, a): &(Uuid, Authorisation)| {
        let (who, a) = (*who, a.clone());
        async move {
            let Some(p) = partnership.get_untracked() else { return };
            match api::put_merged::<_, Person>(&format!("/api/v1/partnerships/{p}/people/{who}/authorisation"), &a).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    message.set(Some(domain::i18n::t(lang.get_untracked(), "people.done.authorisation").to_string()));
                    refetch.run(());
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let options = Signal::derive(move || people.get().into_iter().map(|p| (p.user_id.to_string(), p.display_name)).collect::<Vec<_>>());
    let person_error = Signal::derive(move || errors.with(|e| crate::pages::components::widgets::error_for(e, "person")));
    view! {
        <form class="card" id="authorisation-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let a = Authorisation { number: number.get_untracked(), issued: issued.get_untracked(), expires: expires.get_untracked() };
            let Ok(who) = Uuid::parse_str(&person.get_untracked()) else {
                errors.set(vec![domain::validation::FieldError { pointer: "/person".into(), code: "required".into(), message: domain::i18n::t(lang.get_untracked(), "people.choose_person").to_string() }]);
                crate::browser::focus_first_error();
                return;
            };
            // The same rules the server runs; it checks them again.
            match a.validate(lang.get_untracked()) {
                Ok(a) => { save.dispatch((who, a)); }
                Err(list) => {
                    errors.set(list);
                    crate::browser::focus_first_error();
                }
            }
        }>
            <h2>{tr("people.authorisation_title")}</h2>
            <p class="hint">{tr("people.authorisation_hint")}</p>
            <SelectControl id="person" name=Some("person") label=Signal::derive(tr("people.name")) value=person
                set=Callback::new(move |v| person.set(v)) error=person_error options
                placeholder=Some(Signal::derive(tr("people.choose_person")))/>
            <Field name="number" label="people.authorisation_number" value=number set=Callback::new(move |v| number.set(v)) errors=errors required=true autocomplete="off"/>
            <Field name="issued" label="people.authorisation_issued" input_type="date" value=issued set=Callback::new(move |v| issued.set(v)) errors=errors required=true/>
            <Field name="expires" label="people.authorisation_expires" input_type="date" value=expires set=Callback::new(move |v| expires.set(v)) errors=errors
                hint="people.authorisation_expires_hint"/>
            <button type="submit">{tr("people.save_authorisation")}</button>
        </form>
    }
}

#[component]
fn InviteForm(
    partnership: Signal<Option<Uuid>>,
    partners: Signal<Vec<domain::docs::Partner>>,
    handed: RwSignal<Option<Handover>>,
    message: RwSignal<Option<String>>,
    people: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let role = RwSignal::new(Role::KeyConsultant.as_str().to_string());
    let errors = RwSignal::new(Vec::new());
    let invite = Action::new_local(move |req: &Invite| {
        let req = req.clone();
        async move {
            let Some(p) = partnership.get_untracked() else { return };
            // The same rules the server runs; it checks them again.
            if let Err(list) = req.validate(lang.get_untracked(), &partners.get_untracked()) {
                errors.set(list);
                crate::browser::focus_first_error();
                return;
            }
            match api::post::<_, Handover>(&format!("/api/v1/partnerships/{p}/people"), &req).await {
                Ok(h) => {
                    errors.set(Vec::new());
                    email.set(String::new());
                    name.set(String::new());
                    message.set(Some(domain::i18n::t(lang.get_untracked(), if !h.made_link() { "people.done.added" } else { "people.done.invite" }).to_string()));
                    handed.set(Some(h));
                    people.run(());
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let organisations = Signal::derive(move || partners.get().into_iter().map(|p| (p.organisation_id.to_string(), p.name)).collect::<Vec<_>>());
    let org_error = Signal::derive(move || errors.with(|e| crate::pages::components::widgets::error_for(e, "organisation_id")));
    view! {
        <form class="card" id="invite-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let req = Invite {
                email: email.get_untracked(),
                display_name: name.get_untracked(),
                organisation_id: Uuid::parse_str(&organisation.get_untracked()).unwrap_or_default(),
                role: Role::parse(&role.get_untracked()).unwrap_or(Role::KeyConsultant),
            };
            invite.dispatch(req);
        }>
            <h2>{tr("people.invite")}</h2>
            <p class="hint">{tr("people.invite_hint")}</p>
            <Field name="display_name" label="people.name" value=name set=Callback::new(move |v| name.set(v)) errors=errors required=true autocomplete="off"/>
            <Field name="email" label="people.email" input_type="email" value=email set=Callback::new(move |v| email.set(v)) errors=errors required=true autocomplete="off"/>
            <SelectControl id="organisation_id" name=Some("organisation_id") label=Signal::derive(tr("people.organisation")) value=organisation
                set=Callback::new(move |v| organisation.set(v)) error=org_error options=organisations
                placeholder=Some(Signal::derive(tr("people.choose_organisation")))/>
            <Choice name="role" label="people.role" value=role set=Callback::new(move |v| role.set(v)) errors=errors options=role_options()/>
            <button type="submit">{tr("people.send_invite")}</button>
        </form>
    }
}

/// The partnership's member organisations, and adding a registered one (its staff can
/// then be invited; the agreement has it as a party).
#[component]
fn MembersForm(partnership: Signal<Option<Uuid>>, members: Signal<Option<Members>>, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let session = use_session();
    let add = Action::new_local(move |req: &MemberAdd| {
        let req = req.clone();
        async move {
            let Some(p) = partnership.get_untracked() else { return };
            match api::post::<_, Members>(&format!("/api/v1/partnerships/{p}/members"), &req).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    chosen.set(String::new());
                    message.set(Some(domain::i18n::t(lang.get_untracked(), "people.done.member").to_string()));
                    refetch.run(());
                    // The partnership's organisations travel with who is signed in: the
                    // agreement's page then offers the newcomer's accession at once.
                    session.0.refetch();
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let options = Signal::derive(move || members.get().map(|m| m.candidates).unwrap_or_default().into_iter().map(|c| (c.organisation_id.to_string(), c.name)).collect::<Vec<_>>());
    let error = Signal::derive(move || errors.with(|e| crate::pages::components::widgets::error_for(e, "organisation_id")));
    view! {
        <form class="card" id="members-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let Ok(organisation_id) = Uuid::parse_str(&chosen.get_untracked()) else {
                errors.set(vec![domain::validation::FieldError { pointer: "/organisation_id".into(), code: "required".into(), message: domain::i18n::t(lang.get_untracked(), "people.choose_organisation").to_string() }]);
                crate::browser::focus_first_error();
                return;
            };
            add.dispatch(MemberAdd { organisation_id });
        }>
            <h2>{tr("people.members")}</h2>
            <ul id="members-list">
                {move || members.get().map(|m| m.members).unwrap_or_default().into_iter().map(|m| view! { <li>{m.name}</li> }).collect_view()}
            </ul>
            <p class="hint">{tr("people.members_hint")}</p>
            <SelectControl id="member_organisation_id" name=Some("organisation_id") label=Signal::derive(tr("people.organisation")) value=chosen
                set=Callback::new(move |v| chosen.set(v)) error options
                placeholder=Some(Signal::derive(tr("people.choose_organisation")))/>
            <button type="submit" disabled=move || add.pending().get()>{tr("people.add_member")}</button>
        </form>
    }
}

/// Inviting a whole staff list from a spreadsheet (name, e-mail, organisation, role):
/// a dry run first, then the invitations, each link shown once to hand over.
#[component]
fn StaffListForm(partnership: Signal<Option<Uuid>>, message: RwSignal<Option<String>>, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let file = RwSignal::new(None::<(String, String)>);
    let report = RwSignal::new(None::<StaffImportReport>);
    // The field of each column, as recognised and then as the coordinator corrects it.
    let mapping = RwSignal::new(Vec::<String>::new());
    let send = Action::new_local(move |confirm: &bool| {
        let confirm = *confirm;
        async move {
            let (Some(p), Some((name, content))) = (partnership.get_untracked(), file.get_untracked()) else { return };
            let request = StaffImportRequest { file_name: name, content, mapping: mapping.get_untracked(), confirm };
            match api::post::<_, StaffImportReport>(&format!("/api/v1/partnerships/{p}/people/import"), &request).await {
                Ok(r) => {
                    if confirm {
                        file.set(None);
                        refetch.run(());
                        message.set(Some(domain::i18n::t(lang.get_untracked(), "people.done.list").to_string()));
                    }
                    mapping.set(r.columns.iter().map(|c| c.field.clone()).collect());
                    report.set(Some(r));
                }
                Err(e) => {
                    report.set(None);
                    message.set(Some(e.message()));
                }
            }
        }
    });
    let read = Action::new_local(move |_: &()| async move {
        if let Some((name, bytes)) = crate::browser::chosen_file("staff-file").await {
            use base64::Engine;
            file.set(Some((name, base64::engine::general_purpose::STANDARD.encode(bytes))));
            // A new file's columns are recognised afresh.
            mapping.set(Vec::new());
            send.dispatch(false);
        }
    });
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let field_options = Signal::derive(move || {
        let l = lang.get();
        std::iter::once((String::new(), domain::i18n::t(l, "import.ignore").to_string()))
            .chain(STAFF_COLUMNS.iter().map(|(f, pl, en)| (f.to_string(), l.pick(*pl, *en).to_string())))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card" id="staff-list">
            <h2>{tr("people.list_title")}</h2>
            <p class="hint">{tr("people.list_hint")}</p>
            <div class="field">
                <label for="staff-file">{tr("import.choose")}</label>
                <input type="file" id="staff-file" accept=".csv,.xlsx" on:change=move |_| { read.dispatch(()); }/>
            </div>
            {move || report.get().map(|r| {
                let writes = r.invited + r.added;
                let committed = r.committed;
                let columns = r.columns.clone();
                view! {
                    <p id="staff-counts" role="status">
                        {format!("{}: {}, {}: {}, {}: {}, {}: {}", t("people.list.invited"), r.invited, t("people.list.added"), r.added, t("people.list.skipped"), r.skipped, t("people.list.refused"), r.refused)}
                    </p>
                    {(!committed).then(|| view! {
                        <h3>{tr("import.columns")}</h3>
                        <p class="hint">{tr("import.columns_hint")}</p>
                        <div class="mapping" id="staff-mapping">
                            {columns.into_iter().enumerate().map(|(i, c)| {
                                let value = Signal::derive(move || mapping.with(|m| m.get(i).cloned().unwrap_or_default()));
                                view! {
                                    <SelectControl id=format!("staff-map-{i}") label=Signal::derive(move || c.header.clone()) value
                                        set=Callback::new(move |v: String| { mapping.update(|m| choose(m, i, v)); send.dispatch(false); })
                                        error=Signal::derive(|| None::<String>) options=field_options/>
                                }
                            }).collect_view()}
                        </div>
                    })}
                    <TableScroll label=tr("people.list_title")>
                        <table id="staff-rows">
                            <thead><tr>
                                <th scope="col">{tr("import.row")}</th>
                                <th scope="col">{tr("people.name")}</th>
                                <th scope="col">{tr("import.outcome")}</th>
                                <th scope="col">{move || t(if committed { "people.link" } else { "import.reason" })}</th>
                            </tr></thead>
                            <tbody>
                                {r.rows.into_iter().map(|row| {
                                    let outcome = row.outcome;
                                    let detail = if !row.link.is_empty() {
                                        let link = format!("{}{}", crate::pages::components::widgets::web_origin(), row.link);
                                        view! { <input type="text" readonly class="staff-link" aria-label=row.email.clone() value=link/> }.into_any()
                                    } else if row.emailed {
                                        view! { <span class="staff-emailed">{tr("people.emailed")}</span> }.into_any()
                                    } else {
                                        view! { <span>{row.errors.iter().map(|e| format!("{}: {}", e.column, e.message)).collect::<Vec<_>>().join("; ")}</span> }.into_any()
                                    };
                                    view! {
                                        <tr data-email=row.email.clone() data-outcome=outcome.as_str()>
                                            <th scope="row">{row.row}</th>
                                            <td>{row.name.clone()}<br/><span class="hint">{row.email.clone()}</span></td>
                                            <td>{move || t(&format!("people.list.{}", outcome.as_str()))}</td>
                                            <td>{detail}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                    {(!committed).then(|| view! {
                        <button type="button" id="staff-confirm" disabled=move || writes == 0 || send.pending().get() on:click=move |_| { send.dispatch(true); }>
                            {move || format!("{} ({writes})", t("people.list.confirm"))}
                        </button>
                    })}
                }
            })}
        </section>
    }
}
