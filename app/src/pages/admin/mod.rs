//! Running the installation: its first run (the first administrator) and the
//! administrator's page (organisations and partnerships).

pub mod installation;
pub mod setup;

use domain::validation::FieldError;

/// Errors of a nested form (`/organisation/name`, `/coordinator/email`) under the
/// flat names its fields have (`organisation_name`, `coordinator_email`), so each
/// message shows at its field.
pub(crate) fn flatten(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut f| {
            let rest = f.pointer.trim_start_matches('/').replace('/', "_");
            f.pointer = format!("/{rest}");
            f
        })
        .collect()
}

/// Errors of a form whose fields carry a prefix (`organisation_name` for `/name`), so
/// that two forms on one page never share an id.
pub(crate) fn prefixed(errors: Vec<FieldError>, prefix: &str) -> Vec<FieldError> {
    flatten(errors)
        .into_iter()
        .map(|mut f| {
            f.pointer = format!("/{prefix}_{}", f.pointer.trim_start_matches('/'));
            f
        })
        .collect()
}

/// Organisation kinds with their labels' keys, for a choice.
pub(crate) fn org_type_options() -> Vec<(String, String)> {
    domain::org::OrgType::ALL.iter().map(|t| (t.as_str().to_string(), format!("org_type.{}", t.as_str()))).collect()
}
