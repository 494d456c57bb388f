//! Bringing in existing clients from a spreadsheet (issue 19): a template to fill, a
//! dry run and the import itself. Both run the very same path: every row goes
//! through the registration (or, for someone registered already and "update" chosen,
//! the edit) a form uses — the same validation, PESEL uniqueness and caseload limit —
//! inside one transaction, each row in a savepoint of its own so a refused row leaves
//! the others. A dry run then rolls everything back, so its preview is exactly what
//! the import will do; an import commits and keeps its report. Coordinators only.

use axum::extract::{Path, State};
use axum::response::Response;
use base64::Engine;
use domain::api::Problem;
use domain::client::ClientInput;
use domain::import::{self as rules, CellError, ColumnMap, ImportReport, ImportRequest, OnDuplicate, RowOutcome, RowReport, COLUMNS, MAX_ROWS};
use domain::Lang;
use sha2::{Digest, Sha256};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::client::{create_in, lock_and_load, save_edit};
use crate::store::history::Origin;
use crate::store::import as store;
use crate::AppState;

const WHY: &str = "only coordinators import clients";

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/import", tag = "clients", request_body = ImportRequest,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = ImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn run(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<ImportReport> {
    user.steer(id, WHY)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(req.content.trim())
        .map_err(|_| AppError::field(lang, "content", "base64", lang.pick("Plik nie dotarł w całości: wybierz go ponownie.", "The file did not arrive whole: choose it again.").into()))?;
    let table = crate::import::read(&req.file_name, &bytes).map_err(|e| AppError::field(lang, "content", "file", e.message(lang)))?;
    if table.rows.len() > MAX_ROWS {
        return Err(AppError::field(lang, "content", "too_many", lang.pick(format!("Plik ma więcej niż {MAX_ROWS} wierszy: podziel go."), format!("The file has more than {MAX_ROWS} rows: split it."))));
    }
    let mapping = mapping(lang, COLUMNS, &req.mapping, &table.headers)?;
    let mut conn = state.db.pool.acquire().await?;
    let consultants = store::consultants_by_email(&mut conn, id).await?;
    let mut tx = conn.begin().await?;
    let mut rows = Vec::with_capacity(table.rows.len());
    for (number, cells) in &table.rows {
        let row = Row { lang, headers: &table.headers, mapping: &mapping, cells, consultants: &consultants };
        let (name, outcome, errors) = row.run(&mut tx, &user, id, req.on_duplicate).await?;
        rows.push(RowReport { row: *number, name, outcome, errors });
    }
    let columns = table.headers.iter().zip(&mapping).map(|(h, f)| ColumnMap { header: h.clone(), field: f.clone() }).collect();
    let mut report = ImportReport {
        id: None,
        file_name: req.file_name.clone(),
        committed: req.confirm,
        on_duplicate: req.on_duplicate,
        columns,
        rows,
        created: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        refused: 0,
        at: String::new(),
        by: String::new(),
    }
    .counted();
    if req.confirm {
        let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        report.id = Some(store::keep(&mut tx, id, user.id, &sha, &report).await?);
        let detail = format!("import of {}: {} created, {} updated, {} skipped, {} refused", report.file_name, report.created, report.updated, report.skipped, report.refused);
        audit::record(&mut tx, &user, id, None, Action::Create, &detail).await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(ApiJson(report))
}

/// The field of each column among a template's `columns` (the clients' or a staff
/// list's): as chosen, or recognised from the headers. A choice must name a column
/// each, with known fields, each at most once.
pub(crate) fn mapping(lang: Lang, columns: &[(&'static str, &'static str, &'static str)], chosen: &[String], headers: &[String]) -> Result<Vec<String>, AppError> {
    if chosen.is_empty() {
        return Ok(rules::recognise_in(columns, headers));
    }
    let bad = |m: &str| AppError::field(lang, "mapping", "mapping", m.to_string());
    if chosen.len() != headers.len() {
        return Err(bad(lang.pick("Przypisz pole każdej kolumnie pliku (albo pomiń ją).", "Give each column of the file a field (or skip it).")));
    }
    for (i, f) in chosen.iter().enumerate() {
        if !f.is_empty() && (!columns.iter().any(|(c, _, _)| c == f) || chosen[..i].contains(f)) {
            return Err(bad(lang.pick("Każde pole można przypisać tylko jednej kolumnie.", "Each field can be given to one column only.")));
        }
    }
    Ok(chosen.to_vec())
}

/// One data row and what it needs to be read.
struct Row<'a> {
    lang: Lang,
    headers: &'a [String],
    mapping: &'a [String],
    cells: &'a [String],
    consultants: &'a [(String, Uuid)],
}

impl Row<'_> {
    /// Registers, updates or skips the row's person inside a savepoint; returns whom
    /// it names, what became of it and the reasons of a refusal.
    async fn run(&self, tx: &mut sqlx::AnyConnection, user: &CurrentUser, partnership: Uuid, on_duplicate: OnDuplicate) -> Result<(String, RowOutcome, Vec<CellError>), AppError> {
        let mut input = ClientInput::empty(partnership);
        let errors = rules::fill(&mut input, self.lang, self.headers, self.mapping, self.cells, self.consultants);
        let name = format!("{} {}", input.surname, input.first_names).trim().to_string();
        if !errors.is_empty() {
            return Ok((name, RowOutcome::Refused, errors));
        }
        let pesel = domain::ident::Pesel::parse(&input.pesel).ok().map(|p| p.as_str().to_string());
        // Someone without a PESEL is known again by their identity document.
        let existing = match (&pesel, rules::document_key(&input.id_document_type, &input.id_document_number)) {
            (Some(p), _) => store::client_with_pesel(tx, partnership, p).await?,
            (None, Some(document)) => store::client_with_document(tx, partnership, &document).await?,
            (None, None) => None,
        };
        if existing.is_some() && on_duplicate == OnDuplicate::Skip {
            return Ok((name, RowOutcome::Skipped, Vec::new()));
        }
        let mut sp = tx.begin().await?;
        let done = match existing {
            Some(client) => {
                let current = lock_and_load(&mut sp, user, client).await?;
                // What the file does not say stays as registered.
                let mut edited = current.data.clone();
                rules::fill(&mut edited, self.lang, self.headers, self.mapping, self.cells, self.consultants);
                if same(&edited, &current.data) {
                    sp.rollback().await?;
                    return Ok((name, RowOutcome::Unchanged, Vec::new()));
                }
                save_edit(&mut sp, user, self.lang, &current, &edited, Origin::default()).await.map(|_| RowOutcome::Updated)
            }
            None => create_in(&mut sp, user, self.lang, Uuid::now_v7(), &input, Origin::default()).await.map(|()| RowOutcome::Created),
        };
        match done {
            Ok(outcome) => {
                sp.commit().await?;
                Ok((name, outcome, Vec::new()))
            }
            Err(AppError::Invalid { errors, .. }) => {
                sp.rollback().await?;
                let cells = errors.into_iter().map(|f| CellError { column: rules::column_of(self.lang, &f.pointer, self.headers, self.mapping), message: f.message }).collect();
                Ok((name, RowOutcome::Refused, cells))
            }
            // A client whose processing is restricted keeps their record as it is; the
            // rest of the file goes on.
            Err(AppError::Restricted { .. }) => {
                sp.rollback().await?;
                let message = self.lang.pick("Przetwarzanie danych tej osoby jest ograniczone (art. 18 RODO): rekordu nie zmieniono.", "This person's processing is restricted (GDPR art. 18): the record was not changed.");
                Ok((name, RowOutcome::Refused, vec![CellError { column: String::new(), message: message.into() }]))
            }
            Err(e) => Err(e),
        }
    }
}

/// Whether an edit changes nothing the record holds (as validation stores it).
fn same(edited: &ClientInput, current: &ClientInput) -> bool {
    match edited.clone().with_informer(&current.information_by).validate(Lang::Pl, crate::today()) {
        Ok(valid) => {
            let mut v = valid.get().clone();
            v.caseload_override_reason = current.caseload_override_reason.clone();
            v == *current
        }
        Err(_) => false,
    }
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/imports", tag = "clients",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<ImportReport>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn kept(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<ImportReport>> {
    user.steer(id, WHY)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(store::kept(&mut conn, id).await?))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/import/template.xlsx", tag = "clients",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, description = "an empty sheet with the columns an import reads", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn template_xlsx(user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    user.steer(id, WHY)?;
    let widths: Vec<f64> = COLUMNS.iter().map(|_| 18.0).collect();
    let body = crate::export::xlsx(&[crate::export::Sheet { name: lang.pick("Klienci", "Clients"), rows: vec![header(lang)], numbers_from: u16::MAX, widths: &widths }])?;
    Ok(crate::export::download(lang.pick("klienci-wzor.xlsx", "clients-template.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/import/template.csv", tag = "clients",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, description = "the columns an import reads, as CSV", content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn template_csv(user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    user.steer(id, WHY)?;
    let body = crate::export::csv(&[header(lang)])?;
    Ok(crate::export::download(lang.pick("klienci-wzor.csv", "clients-template.csv"), "text/csv; charset=utf-8", body))
}

fn header(lang: Lang) -> Vec<String> {
    COLUMNS.iter().map(|(_, pl, en)| lang.pick(*pl, *en).to_string()).collect()
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(run)).routes(routes!(kept)).routes(routes!(template_xlsx)).routes(routes!(template_csv))
}
