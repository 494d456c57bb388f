//! Downloads of generated tables: CSV that spreadsheet programs open as UTF-8, XLSX
//! through rust_xlsxwriter, ZIP archives locked with a password, and file names that
//! carry the partnership and period.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::error::internal;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";

/// A name as a file-name part: letters and digits kept (Polish ones too), the rest
/// folded into single dashes.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// `<what>-<partnership>-<period>.<ext>`.
pub fn file_name(what: &str, partnership: &str, period: &str, ext: &str) -> String {
    format!("{what}-{}-{period}.{ext}", slug(partnership))
}

pub fn download(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    // RFC 6266: an ASCII fallback and the UTF-8 name.
    let ascii: String = name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")),
        ],
        body,
    )
        .into_response()
}

/// A cell a spreadsheet program cannot take for a formula (OWASP's rule against CSV
/// injection): text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// gets a leading apostrophe. Numbers stay numbers, negative ones too.
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Rows as CSV, with a BOM so that spreadsheet programs read the Polish letters; no
/// cell can run as a formula (see [`inert`]).
pub fn csv(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    // Flexible: a file may hold several tables of different widths, one after another.
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        w.write_record(row.iter().map(|cell| inert(cell).into_owned())).map_err(internal)?;
    }
    w.into_inner().map_err(internal)
}

/// One worksheet of a workbook: its name, its rows (the first one is the header,
/// in bold) and the first column whose numbers go in as numbers, so the sheet can
/// sum and chart them.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub rows: Vec<Vec<String>>,
    pub numbers_from: u16,
    pub widths: &'a [f64],
}

/// A workbook. Text is written as text cells (a string starting with `=` is never a
/// formula in XLSX); only the number columns hold numbers.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold().set_text_wrap();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    for s in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(s.name).map_err(internal)?;
        for (i, row) in s.rows.iter().enumerate() {
            let r = u32::try_from(i).map_err(internal)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).map_err(internal)?;
                match (i, cell.parse::<f64>()) {
                    (0, _) => sheet.write_string_with_format(r, c, cell, &bold).map(|_| ()),
                    (_, Ok(n)) if c >= s.numbers_from => sheet.write_number(r, c, n).map(|_| ()),
                    _ => sheet.write_string_with_format(r, c, fitting(cell), &wrap).map(|_| ()),
                }
                .map_err(internal)?;
            }
        }
        for (c, w) in s.widths.iter().enumerate() {
            sheet.set_column_width(u16::try_from(c).map_err(internal)?, *w).map_err(internal)?;
        }
    }
    book.save_to_buffer().map_err(internal)
}

/// The most characters a spreadsheet cell holds (Excel's limit, which rust_xlsxwriter
/// enforces).
const CELL_MAX: usize = 32_767;

/// A cell's text as a cell can hold it: a longer one (a long document's access-log
/// detail) is cut with an ellipsis rather than failing the whole file; the CSV and
/// JSON carry it whole.
fn fitting(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.chars().count() <= CELL_MAX {
        return std::borrow::Cow::Borrowed(cell);
    }
    std::borrow::Cow::Owned(cell.chars().take(CELL_MAX - 1).chain(['…']).collect())
}

/// A ZIP archive whose every file is encrypted with AES-256 (WinZip AE-2, which 7-Zip,
/// WinRAR and the file managers of current systems open), under a fresh salt each.
pub fn locked_zip<'a>(password: &str, files: impl Iterator<Item = (String, &'a [u8])>) -> Result<Vec<u8>, AppError> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .with_aes_encryption(zip::AesMode::Aes256, password);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(internal)?;
        zip.write_all(bytes).map_err(internal)?;
    }
    Ok(zip.finish().map_err(internal)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_csv_cell_can_run_as_a_formula() {
        for risky in ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-1+2", "@SUM(1,1)", "\tx", "\r=1", "=1"] {
            assert_eq!(inert(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["-5.0", "+3", "12", "0.5", "Kurs spawania", "", "a=b"] {
            assert_eq!(inert(safe), safe);
        }
        let file = String::from_utf8(csv(&[vec!["=cmd|' /C calc'!A0".into(), "-2".into()]]).expect("csv")).expect("utf8");
        assert!(file.contains("'=cmd") && file.trim_end().ends_with(",-2"), "{file}");
    }

    #[test]
    fn a_cell_too_long_for_a_spreadsheet_is_cut_not_fatal() {
        let long = "ż".repeat(CELL_MAX + 10);
        assert_eq!(fitting(&long).chars().count(), CELL_MAX);
        assert!(fitting(&long).ends_with('…'));
        let book = xlsx(&[Sheet { name: "log", rows: vec![vec!["a".into()], vec![long]], numbers_from: 99, widths: &[] }]);
        assert!(book.is_ok());
    }

    #[test]
    fn file_names_keep_polish_letters_and_fold_the_rest() {
        assert_eq!(file_name("raport-monitoringu", "Partnerstwo „Łódź / Bałuty”", "2026-10", "xlsx"), "raport-monitoringu-Partnerstwo-Łódź-Bałuty-2026-10.xlsx");
    }
}
