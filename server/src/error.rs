//! The one error type of the HTTP edge. Handlers return `AppError`; it becomes an
//! RFC 9457 problem document here and nowhere else. Internal errors are logged with
//! their cause and answered without it.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::api::Problem;
use domain::validation::FieldError;
use domain::Lang;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid { errors: Vec<FieldError>, lang: Lang },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The right password, but the person's authorisation to process personal data
    /// ended on `last_day` (`YYYY-MM-DD`).
    #[error("authorisation lapsed")]
    AuthorisationLapsed { lang: Lang, last_day: String },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests,
    /// The client's processing is restricted (GDPR art. 18): nothing of theirs changes
    /// until a coordinator lifts it.
    #[error("processing restricted")]
    Restricted { lang: Lang, reason: String },
    /// A file the rules do not let go yet (or restricted): the message names it.
    #[error("not due for disposal")]
    NotDue(String),
    /// The survey round no longer takes answers.
    #[error("survey closed")]
    SurveyClosed,
    /// A single-use code is missing, unknown or used; the message says no more.
    #[error("survey code refused")]
    CodeRefused,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// Field errors from the domain's validation, in the request's language:
    /// `.map_err(AppError::fields(lang))`.
    pub fn fields(lang: Lang) -> impl Fn(Vec<FieldError>) -> AppError + Copy {
        move |errors| AppError::Invalid { errors, lang }
    }

    pub fn field(lang: Lang, field: &str, code: &str, message: String) -> AppError {
        AppError::Invalid { errors: vec![FieldError { pointer: format!("/{field}"), code: code.into(), message }], lang }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid { .. } | AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::NotDue(_) => StatusCode::CONFLICT,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::SurveyClosed | AppError::Restricted { .. } => StatusCode::CONFLICT,
            AppError::CodeRefused | AppError::AuthorisationLapsed { .. } => StatusCode::FORBIDDEN,
            AppError::Database(e) if disk_full(e) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self) -> Problem {
        let (kind, title, detail) = match self {
            AppError::Unauthorized => ("unauthorized", "Nie zalogowano / Not signed in", String::new()),
            AppError::Forbidden(why) => ("forbidden", "Brak uprawnień / Forbidden", (*why).to_string()),
            AppError::NotFound => ("not-found", "Nie znaleziono / Not found", String::new()),
            AppError::Invalid { lang, .. } => (
                "validation",
                "Nieprawidłowe dane / Invalid input",
                lang.pick("Popraw zaznaczone pola.".into(), "Please correct the listed fields.".into()),
            ),
            AppError::Unprocessable(why) => ("invalid-document", "Nieprawidłowy dokument / Invalid document", why.clone()),
            AppError::BadRequest(why) => ("bad-request", "Błędne żądanie / Bad request", why.clone()),
            AppError::Conflict(why) => ("conflict", "Konflikt wersji / Conflict", (*why).to_string()),
            AppError::NotDue(why) => ("not-due", "Jeszcze nie do brakowania / Not due for disposal", why.clone()),
            AppError::PreconditionRequired => (
                "precondition-required",
                "Wymagany nagłówek If-Match / If-Match required",
                "Send If-Match with the version you edited.".into(),
            ),
            AppError::PayloadTooLarge => ("too-large", "Za duże żądanie / Request too large", "The limit is 1 MiB.".into()),
            AppError::UnsupportedMediaType => (
                "unsupported-media-type",
                "Nieobsługiwany typ treści / Unsupported media type",
                "Send Content-Type: application/json.".into(),
            ),
            AppError::TooManyRequests => ("too-many-requests", "Zbyt wiele prób / Too many attempts", String::new()),
            AppError::SurveyClosed => (
                "survey-closed",
                "Ankieta za ten okres jest już zamknięta i nie przyjmuje odpowiedzi / The survey for this period is closed and takes no more answers",
                String::new(),
            ),
            AppError::Restricted { lang, reason } => (
                "restricted",
                "Przetwarzanie ograniczone / Processing restricted",
                lang.pick(
                    format!("Przetwarzanie danych tej osoby jest ograniczone (art. 18 RODO): {reason}. Nic nie zmieniono; zmiany są możliwe, gdy koordynator zniesie ograniczenie."),
                    format!("The processing of this person's data is restricted (GDPR art. 18): {reason}. Nothing was changed; changes are possible once a coordinator lifts the restriction."),
                ),
            ),
            AppError::CodeRefused => (
                "code-refused",
                "Kod jest nieprawidłowy albo został już wykorzystany / The code is not valid or has already been used",
                String::new(),
            ),
            AppError::AuthorisationLapsed { lang, last_day } => {
                let day = domain::validation::parse_iso_date(last_day).map(domain::validation::format_date).unwrap_or_else(|| last_day.clone());
                (
                    "authorisation-lapsed",
                    "Upoważnienie wygasło / Authorisation lapsed",
                    lang.pick(
                        format!("Twoje upoważnienie do przetwarzania danych osobowych obowiązywało do {day}. Poproś koordynatora partnerstwa o nowe."),
                        format!("Your authorisation to process personal data held until {day}. Ask your partnership's coordinator for a new one."),
                    ),
                )
            }
            AppError::Database(e) if disk_full(e) => (
                "storage-full",
                "Brak miejsca na dysku serwera / The server's disk is full",
                "Nic nie zapisano; zmiany czekają na urządzeniu i zostaną wysłane, gdy administrator zwolni miejsce. / Nothing was stored; the changes wait on the device and are sent once the administrator frees space.".into(),
            ),
            AppError::Database(_) | AppError::Internal(_) => ("internal", "Błąd serwera / Server error", String::new()),
        };
        let errors = match self {
            AppError::Invalid { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem { kind: format!("/problems/{kind}"), title: title.into(), status: self.status().as_u16(), detail, errors }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self, AppError::Database(_) | AppError::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let status = self.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> AppError {
        match r {
            JsonRejection::JsonDataError(e) => AppError::Unprocessable(e.body_text()),
            JsonRejection::JsonSyntaxError(e) => AppError::BadRequest(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

/// `axum::Json` whose rejections are problem documents.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

pub type ApiResult<T> = Result<ApiJson<T>, AppError>;

/// Whether the database refused a write for want of space: SQLite's `SQLITE_FULL`,
/// PostgreSQL's `disk_full`, or the operating system's `ENOSPC`.
pub fn disk_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            matches!(d.code().as_deref(), Some("13" | "53100")) || d.message().contains("database or disk is full")
        }
        sqlx::Error::Io(io) => io.raw_os_error() == Some(28),
        _ => false,
    }
}

/// Whatever the framework answers by itself under `/api/` — a malformed id in the
/// path, a query it cannot read, an unknown route, a wrong method — leaves as a
/// problem document too, with the framework's explanation as its detail.
pub async fn problems_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let problem_already = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !api || problem_already || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let detail = axum::body::to_bytes(body, 16 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let reason = status.canonical_reason().unwrap_or("Error");
    let problem = Problem {
        kind: format!("/problems/http-{}", status.as_u16()),
        title: reason.to_string(),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The answer to a request whose handler panicked: a 500 problem, not a dropped connection.
pub fn caught_panic(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    AppError::Internal("handler panicked".into()).into_response()
}


/// A failure that is the server's own (a stored value that does not decode, a
/// serialisation that cannot fail in practice): logged, answered 500 without detail.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// One field error with its message already in the request's language.
pub fn field(pointer: &str, code: &str, message: &str) -> FieldError {
    FieldError { pointer: pointer.into(), code: code.into(), message: message.into() }
}

/// A 422 for one field, with its message in both languages.
pub fn invalid(lang: Lang, pointer: &str, code: &str, pl: &str, en: &str) -> AppError {
    AppError::Invalid { errors: vec![field(pointer, code, lang.pick(pl, en))], lang }
}
