//! The accessibility statement (deklaracja dostępności) in the structure Polish public
//! bodies publish under the act of 4 April 2019 on the digital accessibility of public
//! bodies' websites and mobile applications: its texts, Polish and English. Who runs
//! the installation and whom to contact come from its configuration.

/// Where the statement lives in the app, linked from every page's footer.
pub const PATH: &str = "/deklaracja-dostepnosci";

/// When the statement was prepared and last reviewed (the app's own assessment).
pub const PREPARED: &str = "2026-11-29";

/// (key, Polish, English)
pub static STRINGS: &[(&str, &str, &str)] = &[
    ("st.title", "Deklaracja dostępności", "Accessibility statement"),
    ("st.intro", "zobowiązuje się zapewnić dostępność aplikacji Ścieżka zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych.", "is committed to making the Ścieżka application accessible in accordance with the Polish act of 4 April 2019 on the digital accessibility of the websites and mobile applications of public bodies."),
    ("st.operator_unset", "Podmiot prowadzący tę instalację", "The body that runs this installation"),
    ("st.dates", "Daty", "Dates"),
    ("st.published", "Data publikacji aplikacji", "Date the application was published"),
    ("st.updated", "Data ostatniej istotnej aktualizacji", "Date of the last significant update"),
    ("st.status", "Status pod względem zgodności z ustawą", "Compliance status"),
    ("st.status_text", "Aplikacja jest częściowo zgodna z ustawą o dostępności cyfrowej z powodu niezgodności wymienionych poniżej.", "The application is partially compliant with the act on digital accessibility because of the non-compliances listed below."),
    ("st.gap.print", "Dokumenty drukowane do PDF przez przeglądarkę nie mają znaczników struktury (nagłówków, tabel) dla czytników ekranu; te same treści są dostępne w aplikacji.", "Documents printed to PDF by the browser carry no structure tags (headings, tables) for screen readers; the same content is accessible in the application."),
    ("st.gap.gantt", "Harmonogram planu działania w wydruku jest wykresem; jego treść podaje opis tekstowy i tabela harmonogramu w formularzu.", "The action plan's schedule in the printout is a chart; its content is given by a text description and by the schedule table in the form."),
    ("st.gap.audit", "Aplikacja nie była dotąd badana przez niezależny podmiot ani testowana z udziałem osób z niepełnosprawnościami.", "The application has not yet been assessed by an independent body or tested with people with disabilities."),
    ("st.prepared", "Przygotowanie deklaracji dostępności", "Preparation of this statement"),
    ("st.prepared_on", "Deklarację sporządzono dnia", "The statement was prepared on"),
    ("st.method", "Deklarację sporządzono na podstawie samooceny: automatyczne testy (axe-core, reguły WCAG 2.1 A i AA) każdej strony i zakładki, dla każdej roli, po polsku i po angielsku, pomiar wielkości celów dotykowych (44 × 44 piksele) i przewijania poziomego przy szerokości 360, 768 i 1024 pikseli, oraz sprawdzenie obsługi z klawiatury. Testy są uruchamiane przy każdej zmianie aplikacji.", "The statement is based on a self-assessment: automated tests (axe-core, WCAG 2.1 A and AA rules) of every page and tab, for every role, in Polish and in English, measurement of touch-target sizes (44 × 44 pixels) and of sideways scrolling at 360, 768 and 1024 pixels wide, and keyboard checks. The tests run on every change to the application."),
    ("st.reviewed_on", "Deklarację ostatnio poddano przeglądowi i aktualizacji dnia", "The statement was last reviewed and updated on"),
    ("st.feedback", "Informacje zwrotne i dane kontaktowe", "Feedback and contact information"),
    ("st.feedback_text", "Wszystkie problemy z dostępnością cyfrową tej aplikacji prosimy zgłaszać osobie kontaktowej podanej niżej. Tą samą drogą można składać wnioski o udostępnienie informacji niedostępnej oraz wnioski o zapewnienie dostępności.", "Please report any digital accessibility problem with this application to the contact person below. Requests for information that is not accessible, and requests to make something accessible, can be made the same way."),
    ("st.contact", "Osoba kontaktowa", "Contact person"),
    ("st.email", "E-mail", "E-mail"),
    ("st.phone", "Telefon", "Telephone"),
    ("st.contact_unset", "Podmiot prowadzący tę instalację nie podał jeszcze danych kontaktowych w jej konfiguracji (SCIEZKA_ACCESSIBILITY_CONTACT, SCIEZKA_ACCESSIBILITY_EMAIL, SCIEZKA_ACCESSIBILITY_PHONE); do czasu ich podania zgłoszenia przyjmuje koordynator partnerstwa.", "The body running this installation has not yet given its contact details in its configuration (SCIEZKA_ACCESSIBILITY_CONTACT, SCIEZKA_ACCESSIBILITY_EMAIL, SCIEZKA_ACCESSIBILITY_PHONE); until it does, the partnership's coordinator takes reports."),
    ("st.procedure", "Procedura wnioskowo-skargowa", "Requests and complaints"),
    ("st.procedure_1", "Każdy ma prawo wystąpić z żądaniem zapewnienia dostępności cyfrowej tej aplikacji lub jej elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu lub opisanie zawartości filmu bez audiodeskrypcji.", "Anyone may request that this application, or a part of it, be made digitally accessible, or that information be provided by an alternative means of access, for example by reading out a document that is not accessible or describing the content of a video without audio description."),
    ("st.procedure_2", "Żądanie powinno zawierać dane osoby zgłaszającej, wskazanie strony lub elementu, o które chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.", "A request should give the requester's details, the page or element concerned and a way to reply. A person asking for information by an alternative means should also say which means suits them."),
    ("st.procedure_3", "Podmiot publiczny zrealizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny niezwłocznie poinformuje o tym, kiedy realizacja żądania będzie możliwa; termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny sposób dostępu do informacji.", "The public body will meet the request without delay and within 7 days. If that is not possible, it will say without delay when it can, within at most 2 months of the request. If digital accessibility cannot be provided, it may offer an alternative means of access to the information."),
    ("st.procedure_4", "W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę w sprawie zapewnienia dostępności cyfrowej aplikacji. Po wyczerpaniu tej procedury można złożyć wniosek do Rzecznika Praw Obywatelskich.", "If the public body refuses the request, the requester may file a complaint about the digital accessibility of the application. Once that procedure is exhausted, an application may be made to the Polish Commissioner for Human Rights (Rzecznik Praw Obywatelskich)."),
    ("st.rpo", "Strona internetowa Rzecznika Praw Obywatelskich", "The Commissioner for Human Rights' website"),
    ("st.mobile", "Aplikacje mobilne", "Mobile applications"),
    ("st.mobile_text", "Ścieżka działa w przeglądarce na komputerze, tablecie i telefonie; nie ma osobnych aplikacji mobilnych do pobrania.", "Ścieżka runs in the browser on computers, tablets and phones; there are no separate mobile applications to install."),
    ("st.features", "Ułatwienia w aplikacji", "Accessibility features"),
    ("st.features_text", "Obsługa w całości z klawiatury z widocznym fokusem i odnośnikiem „Przejdź do treści”; po przejściu na inną stronę fokus trafia na jej nagłówek, a po nieudanym zapisie na pierwsze pole z błędem; cele dotykowe co najmniej 44 × 44 piksele; kontrast zgodny z WCAG 2.1 AA; szerokie tabele przewijane wewnątrz ramki, do której można przejść klawiaturą; język polski i angielski.", "Fully operable by keyboard, with visible focus and a \"Skip to content\" link; after moving to another page focus goes to its heading, and after a refused save to the first field in error; touch targets of at least 44 × 44 pixels; WCAG 2.1 AA contrast; wide tables scroll inside a frame reachable by keyboard; Polish and English."),
    ("footer.accessibility", "Deklaracja dostępności", "Accessibility statement"),
];
