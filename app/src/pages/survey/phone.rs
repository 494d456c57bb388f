//! The survey on a respondent's own phone (`/ankieta/{token}`): rendered on the
//! server as a plain HTML form and posted as a normal form, so it needs no wasm and
//! works with JavaScript switched off. The same questionnaire and labels as the
//! kiosk; the skip of question 2 and the text boxes that open with an answer work by
//! CSS alone, and a small script (`/survey.js`) makes the skip a real `disabled`.
//! No cookie is set or read. With the script, the phone keeps the answer sealed to
//! the server's key until the server has counted it, and sends it again when the
//! link is opened (the server holds answers in memory until a batch of 5).

use domain::i18n::t;
use domain::survey::{Kind, Question, Section, SurveyAnswer, MAX_TEXT, QUESTIONS};
use domain::validation::FieldError;
use domain::Lang;
use leptos::prelude::*;

/// What the page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum PhoneState {
    /// The questionnaire, with the answer so far and what the server refused.
    Form { answer: SurveyAnswer, code: String, sid: String, errors: Vec<FieldError> },
    /// The answer was received.
    Thanks,
    /// The round takes no more answers.
    Closed,
    /// No round has this link.
    Unknown,
}

/// One rendering of the phone page.
#[derive(Debug, Clone, PartialEq)]
pub struct PhonePage {
    pub lang: Lang,
    pub token: String,
    /// The partnership and month the round is for (none for an unknown link).
    pub heading: Option<String>,
    pub codes_required: bool,
    /// The server's public key (P-256, base64) the script seals the kept copy to.
    pub key: String,
    pub state: PhoneState,
    /// The stylesheet's address (content-hashed in a release build).
    pub css: String,
}

fn control_id(q: &Question, option: &str) -> String {
    format!("s-{}-{}", q.id, option.replace('_', "-"))
}

/// The message for a question (`choices/q3`, `texts/q3`), if the server refused it.
fn error_of<'a>(errors: &'a [FieldError], q: &Question) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.pointer == format!("/choices/{}", q.id) || e.pointer == format!("/texts/{}", q.id))
        .map(|e| e.message.as_str())
}

fn question(lang: Lang, q: &'static Question, answer: &SurveyAnswer, errors: &[FieldError]) -> impl IntoView {
    let tx = move |k: &str| t(lang, k).to_string();
    let error = error_of(errors, q).map(str::to_string);
    let err_id = format!("s-{}-error", q.id);
    let text_id = format!("s-{}-text", q.id);
    let warn_id = format!("s-{}-warn", q.id);
    let chosen = answer.chosen(q.id).to_vec();
    let input_type = if q.kind == Kind::Many { "checkbox" } else { "radio" };
    let options = q
        .options
        .iter()
        .map(|o| {
            let id = control_id(q, o);
            let opens = q.text_on.contains(o).then_some("");
            view! {
                <label class="choice" for=id.clone()>
                    <input type=input_type id=id.clone() name=format!("s-{}", q.id) value=*o autocomplete="off"
                        checked=chosen.iter().any(|c| c == o) data-opens=opens/>
                    <span>{tx(&q.option_key(o))}</span>
                </label>
            }
        })
        .collect_view();
    let typed = html_escape::encode_text(answer.texts.get(q.id).map_or("", String::as_str)).into_owned();
    let text = q.takes_text().then(|| {
        // A free-text question's box is always open; the others open with their answer.
        let opens = (q.kind != Kind::Text).then_some("");
        view! {
            <div class="field survey-text" data-opens=opens>
                <label for=text_id.clone()>{tx(&q.text_key())}</label>
                <p class="hint warn" id=warn_id.clone()>{tx("survey.text_warning")}</p>
                // Written escaped by hand: tachys does not escape a textarea's text, and
                // this text comes from the request.
                <textarea id=text_id name=format!("t-{}", q.id) rows="3" autocomplete="off" spellcheck="false"
                    maxlength=MAX_TEXT.to_string() aria-describedby=warn_id inner_html=typed></textarea>
            </div>
        }
    });
    let skip = q.skip_if.map(|(other, option)| format!("{other}:{option}"));
    let described = error.as_ref().map(|_| err_id.clone());
    let invalid = error.is_some();
    view! {
        <fieldset class="survey-q" id=format!("s-{}", q.id) data-skip-if=skip aria-describedby=described class:invalid=invalid>
            <legend>{tx(&q.key())}</legend>
            {(q.kind == Kind::Many).then(|| view! { <p class="hint">{tx("survey.many")}</p> })}
            {q.skip_if.map(|_| view! { <p class="hint skip-note">{tx("survey.ui.skipped")}</p> })}
            <div class="choices">{options}</div>
            {text}
            {error.map(|e| view! { <p class="field-error" id=err_id>{e}</p> })}
        </fieldset>
    }
}

fn form(page: &PhonePage, answer: &SurveyAnswer, code: &str, sid: &str, errors: &[FieldError]) -> impl IntoView {
    let lang = page.lang;
    let tx = move |k: &str| t(lang, k).to_string();
    let section = |s: Section| {
        let qs = QUESTIONS.iter().filter(|q| q.section == s).map(|q| question(lang, q, answer, errors)).collect_view();
        view! {
            <section class="card survey-section">
                <h2>{tx(s.key())}</h2>
                {(s == Section::Metrics).then(|| view! { <p>{tx("survey.metrics_intro")}</p> })}
                {qs}
            </section>
        }
    };
    // The summary comes first and takes the focus, each item leading to its question.
    let summary = (!errors.is_empty()).then(|| {
        let items = errors
            .iter()
            .map(|e| {
                let target = QUESTIONS.iter().find(|q| error_of(std::slice::from_ref(e), q).is_some()).map(|q| format!("#s-{}", q.id));
                let target = if e.pointer == "/code" { Some("#s-code".to_string()) } else { target };
                match target {
                    Some(href) => view! { <li><a href=href>{e.message.clone()}</a></li> }.into_any(),
                    None => view! { <li>{e.message.clone()}</li> }.into_any(),
                }
            })
            .collect_view();
        view! {
            <div class="notice error" role="alert" id="survey-errors" tabindex="-1" autofocus="">
                <p>{tx("survey.ui.fix")}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let code_error = errors.iter().find(|e| e.pointer == "/code").map(|e| e.message.clone());
    let code_box = page.codes_required.then(|| {
        let described = if code_error.is_some() { "s-code-hint s-code-error" } else { "s-code-hint" };
        view! {
            <section class="card">
                <div class="field" class:invalid=code_error.is_some()>
                    <label for="s-code">{tx("survey.ui.code")}</label>
                    <p class="hint" id="s-code-hint">{tx("survey.ui.code_hint")}</p>
                    <input id="s-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                        aria-describedby=described aria-invalid=code_error.is_some().then_some("true") inputmode="text" maxlength="16" value=code.to_string()/>
                    {code_error.clone().map(|e| view! { <p class="field-error" id="s-code-error">{e}</p> })}
                </div>
            </section>
        }
    });
    view! {
        {summary}
        <form class="survey" id="survey-form" method="post" action=format!("/ankieta/{}", page.token) autocomplete="off" novalidate=""
            data-refused=(!errors.is_empty()).then_some("")>
            <input type="hidden" name="lang" value=lang.tag()/>
            <input type="hidden" name="sid" value=sid.to_string()/>
            {code_box}
            {section(Section::Employment)}
            {section(Section::Opinion)}
            {section(Section::Metrics)}
            <div class="actions">
                <button type="submit" id="survey-submit">{tx("survey.ui.submit")}</button>
            </div>
        </form>
    }
}

/// The whole page as HTML.
pub fn render(page: &PhonePage) -> String {
    let lang = page.lang;
    let tx = move |k: &str| t(lang, k).to_string();
    let other = match lang {
        Lang::Pl => Lang::En,
        Lang::En => Lang::Pl,
    };
    let body = match &page.state {
        PhoneState::Form { answer, code, sid, errors } => form(page, answer, code, sid, errors).into_any(),
        PhoneState::Thanks => view! {
            <div class="notice ok" role="status" id="survey-thanks" tabindex="-1" autofocus="">
                <p><strong>{tx("survey.thanks")}</strong></p>
                <p>{tx("survey.ui.received")}</p>
                // The script tells whether this phone still keeps the answer.
                <p id="survey-kept" data-kept=tx("survey.ui.kept") data-counted=tx("survey.ui.counted") data-late=tx("survey.ui.late")></p>
            </div>
        }.into_any(),
        PhoneState::Closed => view! { <p class="notice error" role="alert" id="survey-closed">{tx("survey.ui.closed")}</p> }.into_any(),
        PhoneState::Unknown => view! { <p class="notice error" role="alert" id="survey-unknown">{tx("survey.ui.unknown")}</p> }.into_any(),
    };
    let intro = page.heading.clone().map(|h| {
        view! {
            <p class="survey-meta">{h}</p>
            <p>{tx("survey.intro")}</p>
            <p class="notice" id="survey-anonymous">{tx("survey.anonymous")}</p>
        }
    });
    let title = tx("survey.title");
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                <title>{title}</title>
                <link rel="stylesheet" href=page.css.clone()/>
                // No icon to fetch: a request right after answering would date the answer.
                <link rel="icon" href="data:,"/>
                <script src="/survey.js" defer=""></script>
            </head>
            <body>
                <main id="main" class="survey-page phone" data-token=page.token.clone() data-key=page.key.clone()>
                    <p class="lang-switch">
                        <a href=format!("/ankieta/{}?lang={}", page.token, other.tag()) hreflang=other.tag() lang=other.tag()>{t(other, "survey.ui.in_language")}</a>
                    </p>
                    <h1 id="survey-title">{tx("survey.title")}</h1>
                    {intro}
                    {body}
                </main>
                <footer class="site-footer">
                    <a class="link-target" href=domain::statement::PATH>{tx("footer.accessibility")}</a>
                </footer>
            </body>
        </html>
    }
    .to_html()
}
