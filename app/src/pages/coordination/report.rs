//! The monthly monitoring report (tool 8) and the yearly indicators for ROPS. The
//! coordinator writes the narrative sections here, on the device first (encrypted,
//! sent when the network allows, merged field by field on the server); sections
//! IX–XI come from the data. Below the editor the report stands on the official
//! layout, which is also what prints on A4.

use domain::docs::services::CUSTOM_PREFIX;
use domain::docs::DocStatus;
use domain::i18n::t;
use domain::merge::Path;
use domain::report::draft::{field, ReportKey};
use domain::report::{MonthlyReport, Narrative, YearIndicators, SECTIONS};
use domain::calendar::Month;
use domain::validation::format_iso_date;
use domain::Lang;
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::components::draft::{conflict_rows, state as draft_state, ConflictTable, RefusedNotice};
use crate::pages::components::widgets::{error_for, steered_partnership, ErrorNotice, Loading, SteeredPicker, TableScroll};
use crate::api;
use crate::i18n::{tr, use_lang};
use crate::offline::{use_offline, Lock};

/// The header fields of section II and the report number, with their labels.
const HEADER: [(&str, &str); 5] = [
    ("number", "report.number"),
    ("voivodeship", "report.voivodeship"),
    ("county", "report.county"),
    ("municipality", "report.municipality"),
    ("author", "report.author"),
];

#[component]
pub fn ReportsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    let partnership = steered_partnership(chosen);
    let previous = Month::of(api::today()).previous();
    let month = RwSignal::new(previous.to_string());
    let year = RwSignal::new(api::today().year());
    view! {
        <h1>{tr("report.title")}</h1>
        <SteeredPicker id="report-partnership" chosen/>
        <div class="filters no-print">
            <div class="field">
                <label for="report-month">{tr("report.month")}</label>
                <input id="report-month" type="month" prop:value=move || month.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if Month::parse(&v).is_some() {
                            month.set(v);
                        }
                    }/>
            </div>
        </div>
        {move || partnership().map(|p| view! { <MonthlyReportView partnership=p month=month.get()/> })}
        <section class="card no-print" aria-labelledby="rops-h">
            <h2 id="rops-h">{tr("report.year_title")}</h2>
            <div class="field">
                <label for="rops-year">{tr("report.year")}</label>
                <input id="rops-year" type="number" inputmode="numeric" min="2000" max="2999" prop:value=move || year.get().to_string()
                    on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                            if (2000..=2999).contains(&y) {
                                year.set(y);
                            }
                        }
                    }/>
            </div>
            {move || partnership().map(|p| view! { <YearView partnership=p year=year.get()/> })}
        </section>
    }
}

fn label(lang: Lang, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        t(lang, &format!("{prefix}.{code}")).to_string()
    }
}

#[component]
fn MonthlyReportView(partnership: Uuid, month: String) -> impl IntoView {
    let lang = use_lang();
    let engine = use_offline();
    let m = StoredValue::new(month.clone());
    let fetched = LocalResource::new(move || {
        let path = format!("/api/v1/partnerships/{partnership}/reports/{}", m.get_value());
        async move { api::get::<MonthlyReport>(&path).await }
    });
    // What the server sent is kept on the device, so the report opens and is written offline.
    Effect::new(move |_| {
        if let Some(Ok(r)) = fetched.get() {
            engine.keep(r);
        }
    });
    let key = move || ReportKey::new(partnership, &m.get_value());
    let draft = move || engine.draft::<MonthlyReport>(&key());
    // The newest copy: a save's answer on the device, or a fresher fetch.
    let report = Memo::new(move |_| {
        let fresh = fetched.get().and_then(Result::ok);
        let kept = draft().and_then(|d| d.server);
        crate::offline::newest(fresh, kept, |c| c.version)
    });
    let narrative = Memo::new(move |_| draft().map(|d| d.local).or_else(|| report.get().map(|r| r.narrative)).unwrap_or_default());
    let is_final = move || report.get().is_some_and(|r| r.status == DocStatus::Final);
    let readonly = move || engine.lock.get() != Lock::Open || is_final() || draft().is_some_and(|d| d.finalise);
    let errors = move || draft().map(|d| d.errors).unwrap_or_default();
    let local_errors = RwSignal::new(Vec::<domain::validation::FieldError>::new());
    let set = move |section: &'static str, text: String| {
        let mut n = narrative.get_untracked();
        n.set(section, text);
        local_errors.set(Vec::new());
        engine.edit_draft(&key(), report.get_untracked(), n);
    };
    let finalise = move |_| {
        // The same check the server runs; the report goes final only when it passes.
        if let Err(e) = narrative.get_untracked().validate(lang.get_untracked(), DocStatus::Final) {
            local_errors.set(e);
            return;
        }
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(t(lang.get_untracked(), "report.finalise_confirm")).ok()).unwrap_or(false);
        if confirmed {
            engine.finalise::<MonthlyReport>(&key());
        }
    };
    let field_error = move |key: &str| {
        let all: Vec<_> = local_errors.get().into_iter().chain(errors()).collect();
        error_for(&all, key)
    };
    let state = move || draft_state(draft().as_ref(), false, report.get().is_some_and(|r| r.version > 0));
    let state_text = move || match state() {
        "waiting" => t(lang.get(), "report.saved_device").to_string(),
        "saved" => t(lang.get(), "report.saved").to_string(),
        "conflict" => t(lang.get(), "report.conflict").to_string(),
        "invalid" => t(lang.get(), "doc.state.invalid").to_string(),
        _ => String::new(),
    };
    let base = move || format!("/api/v1/partnerships/{partnership}/reports/{}", m.get_value());
    let textarea = move |key: &'static str, label_key: String, rows: u32| {
        let id = format!("rn-{key}");
        let err = format!("rn-{key}-error");
        view! {
            <div class="field" class:invalid=move || field_error(key).is_some()>
                <label for=id.clone()>{move || t(lang.get(), &label_key).to_string()}</label>
                <textarea id=id rows=rows prop:value=move || narrative.get().section(key).to_string() disabled=readonly
                    aria-describedby=err.clone() on:input=move |ev| set(key, event_target_value(&ev))></textarea>
                <p class="field-error" id=err aria-live="polite">{move || field_error(key)}</p>
            </div>
        }
    };
    view! {
        {move || match (fetched.get(), report.get()) {
            (_, Some(_)) => ().into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
            (Some(Err(e)), None) => view! { <ErrorNotice error=e/> }.into_any(),
            (Some(Ok(_)), None) => ().into_any(),
        }}
        <Show when=move || report.get().is_some()>
            <section class="card no-print" aria-labelledby="report-edit-h">
                <h2 id="report-edit-h">{move || report.get().map(|r| format!("{} — {}", r.partnership, Month::parse(&r.month).map(|p| p.label(lang.get())).unwrap_or(r.month)))}</h2>
                <p id="report-status" class="doc-status" role="status" data-status=move || if is_final() { "final" } else { "draft" } data-state=state>
                    {move || match report.get() {
                        Some(r) if r.status == DocStatus::Final => format!("{} — {} {} ({})", t(lang.get(), "report.final"), t(lang.get(), "report.final_by"), r.finalised_at, r.finalised_by),
                        _ => t(lang.get(), "report.draft").to_string(),
                    }}
                    " " <span id="report-state">{state_text}</span>
                </p>
                {move || (engine.lock.get() != Lock::Open).then(|| view! { <p class="notice">{tr("report.locked")}</p> })}
                {move || draft().map(|d| {
                    let rows = conflict_rows(&d, |path| t(lang.get_untracked(), &format!("report.{}", field(path))).to_string());
                    view! {
                        <ConflictTable id="report-conflicts" rows on_resolve={move |(path, keep_mine): (Path, bool)| engine.resolve_draft::<MonthlyReport>(&key(), &path, keep_mine)}/>
                        <RefusedNotice id="report-refused" errors=d.errors on_discard={move |()| engine.discard_draft::<MonthlyReport>(&key())}/>
                    }
                })}
                <fieldset class="doc-form" id="report-form">
                    <legend>{tr("report.ii")}</legend>
                    {HEADER.iter().map(|(key, label_key)| {
                        let (key, label_key) = (*key, *label_key);
                        let id = format!("rn-{key}");
                        view! {
                            <div class="field" class:invalid=move || field_error(key).is_some()>
                                <label for=id.clone()>{tr(label_key)}</label>
                                <input id=id type="text" prop:value=move || narrative.get().section(key).to_string() disabled=readonly
                                    on:input=move |ev| set(key, event_target_value(&ev))/>
                                <p class="field-error" aria-live="polite">{move || field_error(key)}</p>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="doc-form">
                    <legend>{tr("report.narrative")}</legend>
                    <p class="hint">{tr("report.points_hint")}</p>
                    {SECTIONS.iter().map(|(key, _)| textarea(key, format!("report.{key}"), 4)).collect_view()}
                </fieldset>
                <div class="actions">
                    <button type="button" id="report-finalise" on:click=finalise disabled=readonly>{tr("report.finalise")}</button>
                    <button type="button" class="secondary" id="report-print" on:click=move |_| crate::browser::print()>{tr("report.print")}</button>
                    <a class="button secondary" id="report-xlsx" href=move || format!("{}/export.xlsx", base()) download="">{tr("report.xlsx")}</a>
                    <a class="button secondary" id="report-csv" href=move || format!("{}/export.csv", base()) download="">{tr("report.csv")}</a>
                </div>
                {move || report.get().filter(|r| !r.changed_since.is_empty()).map(|r| view! {
                    <div class="notice" id="report-changed">
                        <h3>{tr("report.changed_since")}</h3>
                        <p class="hint">{tr("report.changed_hint")}</p>
                        <ul>
                            {r.changed_since.iter().map(|c| view! {
                                <li data-section=c.section.clone()>
                                    {format!("{} — {} {}: ", c.section.to_uppercase(), t(lang.get_untracked(), "report.client"), c.no)}
                                    {t(lang.get_untracked(), &format!("report.changed.{}", c.what)).to_string()}
                                    " " <a href=format!("/clients/{}", c.client_id)>{tr("report.open_client")}</a>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            </section>
            {move || report.get().map(|r| view! { <Preview report=r narrative=narrative.get()/> })}
        </Show>
    }
}

/// The report on the official layout: what the screen shows below the editor and
/// what prints on A4.
#[component]
fn Preview(report: MonthlyReport, narrative: Narrative) -> impl IntoView {
    let lang = use_lang();
    let l = move |k: &str| t(lang.get_untracked(), k).to_string();
    let service = |code: &str| match code.strip_prefix(CUSTOM_PREFIX) {
        Some(c) => report.custom_services.iter().find(|s| s.code == c).map(|s| s.name.clone()).unwrap_or_else(|| c.to_string()),
        None => l(&format!("service.{code}")),
    };
    let yes_no = move |b: bool| l(if b { "report.yes" } else { "report.no" });
    let client = move |no: u32| format!("{} {no}", l("report.client"));
    let block = |title: String, text: String| view! { <div class="p-block"><h3 class="p-label">{title}</h3><p class="p-value">{text}</p></div> };
    let n = narrative.clone();
    let month_label = Month::parse(&report.month).map(|p| p.label(Lang::Pl)).unwrap_or(report.month.clone());
    let none = move || view! { <p class="p-small">{l("report.none")}</p> };
    view! {
        <article class="print-doc" id="report-preview" data-doc="report" lang=move || lang.get().tag()>
            <h2 class="p-title">{l("report.title")}</h2>
            <p class="p-center">{format!("Nr {}", if n.number.is_empty() { ".../20..".to_string() } else { n.number.clone() })}</p>
            {block(l("report.i"), month_label)}
            <div class="p-block">
                <h3 class="p-label">{l("report.ii")}</h3>
                <dl class="p-pairs">
                    <dt>{l("report.name")}</dt><dd>{report.partnership.clone()}</dd>
                    <dt>{l("report.voivodeship")}</dt><dd>{n.voivodeship.clone()}</dd>
                    <dt>{l("report.county")}</dt><dd>{n.county.clone()}</dd>
                    <dt>{l("report.municipality")}</dt><dd>{n.municipality.clone()}</dd>
                    <dt>{l("report.author")}</dt><dd>{n.author.clone()}</dd>
                </dl>
            </div>
            {SECTIONS[..6].iter().map(|(key, _)| block(l(&format!("report.{key}")), n.section(key).to_string())).collect_view()}
            <section class="p-block" id="report-ix">
                <h3 class="p-label">{l("report.ix")}</h3>
                {if report.tables.characteristics.is_empty() { none().into_any() } else { view! {
                    <table class="p-table">
                        <thead><tr>
                            <th scope="col"></th><th scope="col">{l("report.col.sex")}</th><th scope="col">{l("report.col.age")}</th>
                            <th scope="col">{l("report.col.labour")}</th><th scope="col">{l("report.col.single_parent")}</th>
                            <th scope="col">{l("report.col.disability")}</th><th scope="col">{l("report.col.other")}</th>
                        </tr></thead>
                        <tbody>
                            {report.tables.characteristics.iter().map(|c| {
                                let mut other: Vec<String> = c.features.iter().map(|f| label(lang.get_untracked(), "support.feature", f)).collect();
                                if !c.other_features.is_empty() {
                                    other.push(c.other_features.clone());
                                }
                                view! {
                                    <tr>
                                        <th scope="row">{client(c.no)}</th>
                                        <td>{label(lang.get_untracked(), "client.sex", &c.sex)}</td>
                                        <td class="num">{c.age.map(|a| a.to_string())}</td>
                                        <td>{label(lang.get_untracked(), "support.labour", &c.labour)}</td>
                                        <td>{yes_no(c.single_parent)}</td>
                                        <td>{label(lang.get_untracked(), "as.disability", &c.disability)}</td>
                                        <td>{other.join("; ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
                <p class="p-small no-print">{l("report.generated")}</p>
            </section>
            <section class="p-block" id="report-x">
                <h3 class="p-label">{l("report.x")}</h3>
                {if report.tables.services.is_empty() { none().into_any() } else { view! {
                    <table class="p-table">
                        <thead><tr>
                            <th scope="col"></th><th scope="col">{l("report.col.service_scope")}</th><th scope="col">{l("report.col.remarks")}</th>
                        </tr></thead>
                        <tbody>
                            {report.tables.services.iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{client(c.no)}</th>
                                    <td><ul class="p-list">
                                        {c.services.iter().map(|s| view! {
                                            <li>{format!("{} — {} — {} ({})", format_iso_date(&s.date), service(&s.service), s.scope, if s.finished { l("report.finished") } else { l("report.ongoing") })}</li>
                                        }).collect_view()}
                                    </ul></td>
                                    <td>{c.remarks.join("; ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
            </section>
            <section class="p-block" id="report-xi">
                <h3 class="p-label">{l("report.xi")}</h3>
                {if report.tables.endings.is_empty() { none().into_any() } else { view! {
                    <table class="p-table">
                        <thead><tr>
                            <th scope="col"></th><th scope="col">{l("report.col.ended")}</th><th scope="col">{l("report.col.weeks")}</th>
                            <th scope="col">{l("report.col.reason")}</th><th scope="col">{l("report.col.situation")}</th>
                        </tr></thead>
                        <tbody>
                            {report.tables.endings.iter().map(|e| {
                                let mut reason = label(lang.get_untracked(), "support.reason", &e.reason);
                                if !e.reason_text.is_empty() {
                                    reason = format!("{reason}: {}", e.reason_text);
                                }
                                view! {
                                    <tr>
                                        <th scope="row">{client(e.no)}</th>
                                        <td>{format_iso_date(&e.ended)}</td>
                                        <td class="num">{e.weeks}</td>
                                        <td>{reason}</td>
                                        <td>{e.situation.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
            </section>
            {SECTIONS[6..].iter().map(|(key, _)| block(l(&format!("report.{key}")), n.section(key).to_string())).collect_view()}
            <div class="p-signatures"><div class="p-sig"><span class="p-sig-line"></span><span class="p-sig-caption">{l("report.signature")}</span></div></div>
        </article>
    }
}

#[component]
fn YearView(partnership: Uuid, year: i32) -> impl IntoView {
    let lang = use_lang();
    let data = LocalResource::new(move || async move { api::get::<YearIndicators>(&format!("/api/v1/partnerships/{partnership}/indicators/{year}")).await });
    let base = format!("/api/v1/partnerships/{partnership}/indicators/{year}");
    view! {
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(y)) => view! {
                <TableScroll label=tr("report.year_title")><table id="rops-table">
                    <thead><tr>
                        <th scope="col">{tr("report.indicator")}</th>
                        {y.months.iter().map(|m| view! { <th scope="col" class="num">{m.period[5..].to_string()}</th> }).collect_view()}
                        <th scope="col" class="num">{tr("report.year_clients")}</th>
                    </tr></thead>
                    <tbody>
                        {y.codes.iter().enumerate().map(|(k, code)| view! {
                            <tr data-indicator=code.clone()>
                                <th scope="row">{t(lang.get_untracked(), &format!("effect.{code}")).to_string()}</th>
                                {y.months.iter().map(|m| view! { <td class="num">{m.counts.get(k).copied().unwrap_or(0)}</td> }).collect_view()}
                                <td class="num"><strong>{y.clients.get(k).copied().unwrap_or(0)}</strong></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></TableScroll>
            }.into_any(),
        }}
        <div class="actions">
            <a class="button secondary" id="rops-xlsx" href=format!("{base}/export.xlsx") download="">{tr("report.xlsx")}</a>
            <a class="button secondary" id="rops-csv" href=format!("{base}/export.csv") download="">{tr("report.csv")}</a>
        </div>
    }
}
