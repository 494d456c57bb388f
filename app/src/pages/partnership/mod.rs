//! The partnership's own documents (tools 1, 2, 3 and 9): written on the device
//! first (encrypted, sent by the sync engine, merged field by field on the server),
//! with the agreement's signatures, withdrawal notices and amendments, the action
//! plan's Gantt schedule edited by tapping months, and the print views on A4.

mod agreement;
mod evaluation;
mod plan;
mod team;

use domain::docs::Partner;
use domain::i18n::t;
use domain::partnership::agreement::AgreementState;
use domain::merge::Path;
use domain::draft::Whole;
use domain::partnership::draft::DocKey;
use domain::partnership::{self as pd, Kind, Overview, PartnershipDoc};
use domain::calendar::Month;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::Value;
use uuid::Uuid;

use self::agreement::{print_agreement, AgreementForm, AgreementPanel};
use self::evaluation::{print_evaluation, EvaluationForm};
use self::plan::{print_plan, PlanForm};
use self::team::{print_team, TeamForm};
use crate::pages::components::fields::DocCtx;
use crate::pages::components::draft::{conflict_rows, state as draft_state, ConflictTable, RefusedNotice};
use crate::pages::components::widgets::{ErrorNotice, Loading, SteeredPicker};
use crate::api::{self};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};
use crate::offline::{use_offline, Lock};

/// The partnership's member organisations, for the forms' selects.
#[derive(Clone)]
struct Partners(Vec<Partner>);

fn partner_options() -> Signal<Vec<(String, String)>> {
    let p = expect_context::<Partners>().0;
    Signal::derive(move || p.iter().map(|x| (x.organisation_id.to_string(), x.name.clone())).collect())
}

/// A label whose key is made at run time.
fn trk(key: String) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), &key).to_string()
}

fn partner_name(partners: &[Partner], id: &str) -> String {
    partners.iter().find(|p| p.organisation_id.to_string() == id).map(|p| p.name.clone()).unwrap_or_default()
}

fn pl(key: &str) -> String {
    t(domain::Lang::Pl, key).to_string()
}

#[component]
pub fn PartnershipPage() -> impl IntoView {
    let session = use_session();
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = move || chosen.get().or_else(|| session.me().and_then(|m| m.memberships.first().map(|m| m.partnership_id)));
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| q.get("tab")).and_then(|t| Kind::parse(&t)).unwrap_or(Kind::Agreement));
    let month = RwSignal::new(Month::of(api::today()).to_string());
    let partners = move || {
        let p = partnership();
        session.me().and_then(|m| m.memberships.into_iter().find(|m| Some(m.partnership_id) == p)).map(|m| m.partners).unwrap_or_default()
    };
    let overview = LocalResource::new(move || {
        let p = partnership();
        async move {
            match p {
                Some(p) => api::get::<Overview>(&format!("/api/v1/partnerships/{p}/docs")).await.ok(),
                None => None,
            }
        }
    });
    view! {
        <h1 class="no-print">{tr("pd.title")}</h1>
        <div class="no-print"><SteeredPicker id="pd-partnership" chosen all=true/></div>
        {move || overview.get().flatten().and_then(|o| o.evaluation_due).map(|due| view! {
            <p class="notice no-print" id="evaluation-due">{tr("ev.due")} " " {Month::parse(&due).map(|p| p.label(use_lang().get_untracked())).unwrap_or(due)}</p>
        })}
        <nav class="doc-tabs no-print" aria-label=tr("pd.title")>
            {Kind::ALL.into_iter().map(|k| view! {
                <a href=format!("/partnership?tab={}", k.as_str()) data-tab=k.as_str() aria-current=move || (tab.get() == k).then_some("page")>{trk(format!("pd.kind.{}", k.as_str()))}</a>
            }).collect_view()}
        </nav>
        {move || (tab.get() == Kind::Evaluation).then(|| view! {
            <div class="field no-print">
                <label for="ev-month">{tr("ev.open")}</label>
                <input id="ev-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| { let v = event_target_value(&ev); if Month::parse(&v).is_some() { month.set(v); } }/>
            </div>
        })}
        {move || partnership().map(|p| {
            let kind = tab.get();
            let key = if kind.keyed() { month.get() } else { String::new() };
            view! { <PdEditor partnership=p kind key partners=partners()/> }
        })}
    }
}

#[component]
fn PdEditor(partnership: Uuid, kind: Kind, key: String, partners: Vec<Partner>) -> impl IntoView {
    let engine = use_offline();
    let key = StoredValue::new(key);
    let fetched = LocalResource::new(move || {
        let url = format!("/api/v1/partnerships/{partnership}/docs/{}?key={}", kind.as_str(), key.get_value());
        async move { api::get::<PartnershipDoc>(&url).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = fetched.get() {
            engine.keep(d);
        }
    });
    let doc_key = move || DocKey::new(partnership, kind, &key.get_value());
    let draft = move || engine.draft::<PartnershipDoc>(&doc_key());
    let server = Memo::new(move |_| {
        let fresh = fetched.get().and_then(Result::ok);
        let kept = draft().and_then(|d| d.server);
        crate::offline::newest(fresh, kept, |c| c.version)
    });
    provide_context(Partners(partners.clone()));
    view! {
        {move || match (fetched.get(), server.get()) {
            (_, Some(_)) => ().into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
            (Some(Err(e)), None) => view! { <ErrorNotice error=e/> }.into_any(),
            (Some(Ok(_)), None) => ().into_any(),
        }}
        {move || server.with(Option::is_some).then(|| view! { <PdForm partnership kind key=key.get_value() server partners=partners.clone()/> })}
    }
}

#[component]
fn PdForm(partnership: Uuid, kind: Kind, key: String, server: Memo<Option<PartnershipDoc>>, partners: Vec<Partner>) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let key = StoredValue::new(key);
    let doc_key = move || DocKey::new(partnership, kind, &key.get_value());
    let draft = move || engine.draft::<PartnershipDoc>(&doc_key());
    let start = draft().map(|d| d.local).or_else(|| server.get_untracked().map(|s| s.data)).unwrap_or(Value::Null);
    let value = RwSignal::new(start);
    // A sync that merged someone else's fields into the draft shows them.
    Effect::new(move |_| {
        if let Some(d) = draft() {
            if value.with_untracked(|v| *v != d.local) {
                value.set(d.local);
            }
        }
    });
    let ps = StoredValue::new(partners.clone());
    let errors = Memo::new(move |_| value.with(|v| pd::validate(kind, v, lang.get(), &ps.get_value()).err().unwrap_or_default()));
    let signed = move || server.get().and_then(|s| s.agreement).is_some_and(|a| a.state != AgreementState::Draft);
    let readonly = Signal::derive(move || engine.lock.get() != Lock::Open || (kind == Kind::Agreement && signed()));
    let save = Callback::new(move |_| {
        if let Some(s) = server.get_untracked() {
            engine.edit_draft(&s.key(), Some(s), value.get_untracked());
        }
    });
    provide_context(DocCtx { value, errors, save, readonly });
    let state = move || draft_state(draft().as_ref(), !errors.with(Vec::is_empty), server.get().is_some_and(|s| s.version > 0));
    let form = match kind {
        Kind::Agreement => view! { <AgreementForm/> }.into_any(),
        Kind::Team => view! { <TeamForm/> }.into_any(),
        Kind::Plan => view! { <PlanForm/> }.into_any(),
        Kind::Evaluation => view! { <EvaluationForm/> }.into_any(),
    };
    view! {
        <section class="card doc no-print" data-doc=kind.as_str()>
            <div class="card-head">
                <h2>{trk(format!("pd.kind.{}", kind.as_str()))}</h2>
                <button type="button" class="secondary" id="pd-print" on:click=move |_| crate::browser::print()>{tr("pd.print")}</button>
            </div>
            <p class="doc-status" id="pd-status" role="status" data-state=state>{move || t(lang.get(), &format!("pd.state.{}", state())).to_string()}</p>
            {move || (engine.lock.get() != Lock::Open).then(|| view! { <p class="notice">{tr("report.locked")}</p> })}
            {move || (kind == Kind::Agreement && signed()).then(|| view! { <p class="notice" id="agreement-locked">{tr("pd.locked_text")}</p> })}
            {move || draft().map(|d| view! {
                <ConflictTable id="pd-conflicts" rows=conflict_rows(&d, domain::merge::pointer)
                    on_resolve={move |(path, keep_mine): (Path, bool)| engine.resolve_draft::<PartnershipDoc>(&doc_key(), &path, keep_mine)}/>
                <RefusedNotice id="pd-refused" errors=d.errors on_discard={move |()| engine.discard_draft::<PartnershipDoc>(&doc_key())}/>
            })}
            <fieldset class="doc-form" disabled=move || readonly.get()>{form}</fieldset>
        </section>
        {move || (kind == Kind::Agreement).then(|| view! { <AgreementPanel partnership server partners=ps.get_value()/> })}
        {move || {
            let v = value.get();
            let partners = ps.get_value();
            match kind {
                Kind::Agreement => print_agreement(&v, &partners, server.get()),
                Kind::Team => print_team(&v, &partners),
                Kind::Plan => print_plan(&v, &partners),
                Kind::Evaluation => print_evaluation(&v, &partners),
            }
        }}
    }
}

/// Every control of every partnership-document form is bound to a path that exists
/// in the document (forms name fields by strings; this is what checks them).
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::pages::components::fields::testing;

    #[test]
    fn every_bound_field_path_exists_in_its_document() {
        let partners = testing::partners();
        let mut with_row_controls = 0;
        for kind in Kind::ALL {
            let doc = testing::fill_rows(pd::empty(kind, &partners), |tried| pd::normalise(kind, tried));
            let bound = testing::bound_paths(&format!("{kind:?}"), &doc, || provide_context(Partners(partners.clone())), || match kind {
                Kind::Agreement => view! { <AgreementForm/> }.to_html(),
                Kind::Team => view! { <TeamForm/> }.to_html(),
                Kind::Plan => view! { <PlanForm/> }.to_html(),
                Kind::Evaluation => view! { <EvaluationForm/> }.to_html(),
            });
            // Rows are named `#id`: the agreement's parties by their organisation.
            with_row_controls += usize::from(bound.iter().any(|(p, _)| p.contains('#')));
        }
        // The agreement's parties, the team's members and the plan's schedule are tables.
        assert!(with_row_controls >= 3, "row controls rendered for {with_row_controls} kinds");
    }
}
