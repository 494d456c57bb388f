//! Calendar months, the unit in which the partnership plans, reports and surveys.

use crate::lang::Lang;

/// A calendar month (`YYYY-MM`): the period of a survey round, a monthly report, the
/// dashboard, a plan's schedule. The only time a survey answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        ((2000..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    pub fn of(date: time::Date) -> Month {
        Month { year: date.year(), month: u8::from(date.month()) }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn first_day(self) -> time::Date {
        let month = time::Month::try_from(self.month).unwrap_or(time::Month::January);
        time::Date::from_calendar_date(self.year, month, 1).unwrap_or(time::Date::MIN)
    }

    pub fn last_day(self) -> time::Date {
        self.next().first_day().previous_day().unwrap_or(time::Date::MIN)
    }

    /// "listopad 2026" / "November 2026".
    pub fn label(self, lang: Lang) -> String {
        const PL: [&str; 12] =
            ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"];
        const EN: [&str; 12] =
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        let names = if lang == Lang::Pl { PL } else { EN };
        format!("{} {}", names[usize::from(self.month.clamp(1, 12)) - 1], self.year)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

