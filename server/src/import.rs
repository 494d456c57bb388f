//! Reading a spreadsheet a partner brings: CSV (comma, semicolon or tab, UTF-8 with or
//! without a BOM, as Excel writes "CSV UTF-8") or XLSX (its first sheet). The first
//! row is the header; every cell becomes text as a person reads it (a whole number
//! without ".0", a date as `YYYY-MM-DD`). The rules for what a row means are in
//! `domain::import`.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::Lang;

/// A file's header and its data rows, every cell as text, each row with its number
/// in the file as a spreadsheet shows it (so a report names the row a person finds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("the file is empty or has no header row")]
    Empty,
    #[error("the CSV file is not UTF-8 text")]
    NotUtf8,
    #[error("the CSV file cannot be read: {0}")]
    Csv(String),
    #[error("the XLSX file cannot be read: {0}")]
    Xlsx(String),
    #[error("only CSV and XLSX files are read")]
    Kind,
}

impl ReadError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Empty => lang.pick("Plik jest pusty albo nie ma wiersza nagłówków.", "The file is empty or has no header row.").into(),
            ReadError::NotUtf8 => lang
                .pick("Plik CSV nie jest w kodowaniu UTF-8: zapisz go w arkuszu jako „CSV UTF-8” albo jako XLSX.", "The CSV file is not UTF-8: save it from the spreadsheet as \"CSV UTF-8\" or as XLSX.")
                .into(),
            ReadError::Csv(e) => format!("{} {e}", lang.pick("Nie można odczytać pliku CSV:", "The CSV file cannot be read:")),
            ReadError::Xlsx(e) => format!("{} {e}", lang.pick("Nie można odczytać pliku XLSX:", "The XLSX file cannot be read:")),
            ReadError::Kind => lang.pick("Wczytywane są pliki CSV i XLSX.", "CSV and XLSX files are read.").into(),
        }
    }
}

/// Reads `bytes` by the file's name (`.csv`, `.xlsx`).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, ReadError> {
    let lower = file_name.to_lowercase();
    let table = if lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else {
        return Err(ReadError::Kind);
    };
    // Rows with nothing in them (a spreadsheet's trailing lines) are not rows.
    let rows: Vec<(usize, Vec<String>)> = table.rows.into_iter().filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty())).collect();
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ReadError::Empty);
    }
    Ok(Table { headers: table.headers.into_iter().map(|h| h.trim().to_string()).collect(), rows })
}

fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel in Polish writes semicolons; others commas or tabs. The header line says which.
    let first = text.lines().next().ok_or(ReadError::Empty)?;
    let delimiter = [b';', b',', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(r) => r.map_err(|e| ReadError::Csv(e.to_string()))?.iter().map(str::to_string).collect(),
        None => return Err(ReadError::Empty),
    };
    let rows = records
        .map(|r| {
            let r = r.map_err(|e| ReadError::Csv(e.to_string()))?;
            let line = r.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            Ok((line, r.iter().map(str::to_string).collect()))
        })
        .collect::<Result<_, ReadError>>()?;
    Ok(Table { headers, rows })
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| ReadError::Xlsx(e.to_string()))?;
    let range = book.worksheet_range_at(0).ok_or(ReadError::Empty)?.map_err(|e| ReadError::Xlsx(e.to_string()))?;
    // The range starts at the first cell with something in it, not at row 1.
    let first = range.start().map_or(0, |(row, _)| row as usize);
    let mut rows = range.rows().enumerate().map(|(i, r)| (first + i + 1, r.iter().map(cell).collect::<Vec<String>>()));
    let (_, headers) = rows.next().ok_or(ReadError::Empty)?;
    Ok(Table { headers, rows: rows.collect() })
}

/// A cell as a person reads it.
fn cell(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // A PESEL typed into a number cell arrives as a float.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "tak" } else { "nie" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()).unwrap_or_else(|| dt.as_f64().to_string()),
    }
}

/// An Excel date serial (days since 1899-12-30, the 1900 system) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> Option<String> {
    let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return None;
    }
    Some(epoch.checked_add(time::Duration::days(days as i64))?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polish_excel_csv_with_semicolons_and_a_bom_reads_and_blank_lines_are_dropped() {
        let t = read("klienci.CSV", "\u{feff}Nazwisko;Imiona;PESEL\nNowak;Anna;85031412345\n;;\n\"Kowalska; z d. Lis\";Ewa;\n".as_bytes()).expect("csv");
        assert_eq!(t.headers, ["Nazwisko", "Imiona", "PESEL"]);
        let row = |n: usize, cells: &[&str]| (n, cells.iter().map(std::string::ToString::to_string).collect::<Vec<_>>());
        assert_eq!(t.rows, vec![row(2, &["Nowak", "Anna", "85031412345"]), row(4, &["Kowalska; z d. Lis", "Ewa", ""])], "rows keep their numbers in the file");
        assert_eq!(read("a.csv", b"Nazwisko,Imiona\nNowak,Anna").expect("csv").rows[0], row(2, &["Nowak", "Anna"]));
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        assert_eq!(read("a.csv", &[0xff, 0xfe, 0x41]), Err(ReadError::NotUtf8));
        assert_eq!(read("a.pdf", b"x"), Err(ReadError::Kind));
        assert_eq!(read("a.csv", b""), Err(ReadError::Empty));
        assert!(matches!(read("a.xlsx", b"not a zip"), Err(ReadError::Xlsx(_))));
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(excel_date(45658.0).as_deref(), Some("2025-01-01"));
        assert_eq!(cell(&Data::Float(85031412345.0)), "85031412345");
    }
}
