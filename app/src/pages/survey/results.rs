//! Results of a survey round for coordinators: per question (metrics too, each on its
//! own), a bar per answer drawn in SVG beside the numbers in the same table row, the
//! previous month beside this one, the free texts in random order, exports and print.

use domain::i18n::t;
use domain::numbers;
use domain::survey::api::SurveyReport;
use domain::survey::{Kind, QuestionResult, Section, QUESTIONS};
use domain::calendar::Month;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api;
use crate::i18n::{tr, use_lang, Lang};
use crate::pages::components::widgets::{ErrorNotice, Loading, TableScroll};

/// A bar of the chart: drawn, not read — the row's cells carry the numbers.
fn bar(percent: f64) -> impl IntoView {
    let w = (percent.clamp(0.0, 100.0) * 2.0).round();
    view! {
        <svg class="bar" width="200" height="18" viewBox="0 0 200 18" aria-hidden="true" focusable="false">
            <rect x="0" y="2" width="200" height="14" class="bar-track"/>
            <rect x="0" y="2" width=w.to_string() height="14" class="bar-fill"/>
        </svg>
    }
}

fn delta(now: f64, before: Option<f64>, lang: Lang) -> String {
    match before {
        None => "—".into(),
        Some(b) => format!("{} ({})", numbers::percent(b, lang), numbers::signed(now - b, lang)),
    }
}

#[component]
fn QuestionTable(q: &'static domain::survey::Question, r: QuestionResult, previous: Option<QuestionResult>) -> impl IntoView {
    let lang = use_lang();
    let l = move |k: String| t(lang.get(), &k).to_string();
    let caption_id = format!("r-{}", q.id);
    let has_options = q.kind != Kind::Text;
    let rows = r
        .options
        .iter()
        .map(|o| {
            let before = previous.as_ref().and_then(|p| p.options.iter().find(|x| x.option == o.option)).map(|x| x.percent);
            let key = q.option_key(&o.option);
            let pct = o.percent;
            view! {
                <tr>
                    <th scope="row">{move || l(key.clone())}</th>
                    <td class="num">{o.count}</td>
                    <td class="num">{move || numbers::percent(pct, lang.get())}</td>
                    <td>{bar(o.percent)}</td>
                    <td class="num">{move || delta(pct, before, lang.get())}</td>
                </tr>
            }
        })
        .collect_view();
    let texts = r.texts.clone();
    view! {
        <section class="result" id=format!("result-{}", q.id)>
            <h3 id=caption_id.clone()>{move || l(q.key())}</h3>
            <p class="hint">{tr("survey.ui.answered")} " " <span class="answered">{r.answered}</span></p>
            {has_options.then(|| view! {
                <TableScroll label=move || l(q.key())>
                    <table aria-labelledby=caption_id.clone()>
                        <thead><tr>
                            <th scope="col">{tr("survey.export.answer")}</th>
                            <th scope="col">{tr("survey.export.count")}</th>
                            <th scope="col">{tr("survey.export.percent")}</th>
                            <th scope="col"><span class="sr-only">{tr("survey.ui.chart")}</span></th>
                            <th scope="col">{tr("survey.ui.previous")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableScroll>
            })}
            {(!texts.is_empty()).then(|| view! {
                <h4>{tr("survey.ui.texts")}</h4>
                <ul class="texts">{texts.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let report = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::get::<SurveyReport>(&format!("/api/v1/surveys/{id}/results")).await,
                None => Err(api::ApiError::NotFound),
            }
        }
    });
    let print = move |_| crate::browser::print();
    view! {
        {move || match report.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(rep)) => {
                let period = Month::parse(&rep.round.period).map(|p| p.label(lang.get_untracked())).unwrap_or(rep.round.period.clone());
                let id = rep.round.id;
                let cur = rep.current.clone();
                let prev = rep.previous.clone().filter(|p| !p.withheld);
                let sections = [Section::Employment, Section::Opinion, Section::Metrics].map(|s| {
                    let tables = QUESTIONS
                        .iter()
                        .zip(cur.questions.clone())
                        .filter(|(q, _)| q.section == s)
                        .map(|(q, r)| {
                            let p = prev.as_ref().and_then(|p| p.questions.iter().find(|x| x.question == q.id).cloned());
                            view! { <QuestionTable q r previous=p/> }
                        })
                        .collect_view();
                    view! { <section class="card"><h2>{move || t(lang.get(), s.key()).to_string()}</h2>{tables}</section> }
                });
                view! {
                    <div class="print-toolbar no-print">
                        <a class="link-target" href="/surveys">{tr("survey.ui.back")}</a>
                        {(!cur.withheld).then(|| view! {
                            <a class="button secondary" id="export-csv" href=format!("/api/v1/surveys/{id}/results.csv") download="">{tr("survey.ui.export_csv")}</a>
                            <a class="button secondary" id="export-xlsx" href=format!("/api/v1/surveys/{id}/results.xlsx") download="">{tr("survey.ui.export_xlsx")}</a>
                        })}
                        <button type="button" id="print-results" on:click=print>{tr("doc.print_now")}</button>
                    </div>
                    <article class="survey-results" id="survey-results">
                        <h1>{tr("survey.ui.results_title")} " — " {rep.round.partnership.clone()} ", " {period}</h1>
                        <p id="respondents">{tr("survey.ui.respondents")} " " <strong>{cur.respondents}</strong>
                            {rep.previous.as_ref().map(|p| view! { " · " {tr("survey.ui.previous_month")} " " {p.respondents} })}
                        </p>
                        {(rep.waiting > 0).then(|| view! { <p class="hint" id="waiting">{tr("survey.ui.pooled")} " " {rep.waiting}</p> })}
                        {cur.few.then(|| view! { <p class="notice" id="survey-few">{tr("survey.ui.few")}</p> })}
                        {if cur.withheld {
                            view! { <p class="notice" id="withheld">{tr("survey.ui.withheld")}</p> }.into_any()
                        } else {
                            view! { {sections.into_iter().collect_view()} }.into_any()
                        }}
                    </article>
                }.into_any()
            }
        }}
    }
}
