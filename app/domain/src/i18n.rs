//! Polish first, English available. Every user-visible string of the app goes through
//! `t`; the table keeps both languages of a string on one line, so neither can be
//! forgotten, and a test checks that every key the app uses exists.

pub use crate::lang::Lang;

/// (key, Polish, English)
pub static STRINGS: &[(&str, &str, &str)] = &[
    ("app.name", "Ścieżka", "Ścieżka"),
    ("app.tagline", "Integracja społeczna i zawodowa", "Social and vocational integration"),
    ("app.loading", "Wczytywanie…", "Loading…"),
    ("app.skip", "Przejdź do treści", "Skip to content"),
    ("app.not_found", "Nie ma takiej strony.", "There is no such page."),
    ("app.error", "Wystąpił błąd", "Something went wrong"),
    ("app.retry", "Spróbuj ponownie", "Try again"),
    ("nav.caseload", "Moi klienci", "My caseload"),
    ("nav.clients", "Klienci", "Clients"),
    ("nav.new_client", "Nowy klient", "New client"),
    ("nav.audit", "Dziennik dostępu", "Access log"),
    ("nav.account", "Konto", "Account"),
    ("nav.logout", "Wyloguj", "Sign out"),
    ("nav.language", "English", "Polski"),
    ("nav.menu", "Menu", "Menu"),
    ("app.unreachable", "Brak połączenia z serwerem. Dane zapisane na tym urządzeniu są bezpieczne; spróbuj ponownie, gdy wróci sieć.", "The server cannot be reached. What is saved on this device is safe; try again when the network is back."),
    ("nav.language_label", "Zmień język na angielski", "Switch the language to Polish"),
    ("nav.main", "Menu główne", "Main menu"),
    ("login.title", "Logowanie", "Sign in"),
    ("login.email", "E-mail", "E-mail"),
    ("login.password", "Hasło", "Password"),
    ("login.submit", "Zaloguj się", "Sign in"),
    ("login.failed", "Nieprawidłowy e-mail lub hasło.", "Wrong e-mail or password."),
    ("login.throttled", "Zbyt wiele nieudanych prób. Spróbuj ponownie za kilka minut.", "Too many failed attempts. Try again in a few minutes."),
    ("login.expired", "Sesja wygasła. Zaloguj się ponownie.", "Your session has expired. Please sign in again."),
    ("caseload.title", "Moi klienci", "My caseload"),
    ("caseload.count", "Prowadzisz", "You lead"),
    ("caseload.of", "z", "of"),
    ("caseload.clients", "klientów", "clients"),
    ("caseload.empty", "Nie prowadzisz jeszcze żadnego klienta.", "You do not lead any client yet."),
    ("caseload.full", "Osiągnięto limit 15 klientów.", "The limit of 15 clients has been reached."),
    ("clients.title", "Klienci", "Clients"),
    ("clients.search", "Szukaj (nazwisko, imię, PESEL, miejscowość)", "Search (surname, first name, PESEL, town)"),
    ("clients.partnership", "Partnerstwo", "Partnership"),
    ("clients.none", "Brak klientów spełniających kryteria.", "No clients match."),
    ("clients.total", "Razem", "Total"),
    ("clients.prev", "Poprzednie", "Previous"),
    ("clients.next", "Następne", "Next"),
    ("clients.table", "Lista klientów", "List of clients"),
    ("clients.col.name", "Klient", "Client"),
    ("clients.col.pesel", "PESEL", "PESEL"),
    ("clients.col.birth_date", "Data urodzenia", "Birth date"),
    ("clients.col.city", "Miejscowość", "Town"),
    ("clients.col.consultant", "Kluczowy konsultant", "Key consultant"),
    ("clients.col.work_form", "Forma pracy", "Work form"),
    ("client.new_title", "Rejestracja klienta", "Register a client"),
    ("client.edit_title", "Edycja danych klienta", "Edit client"),
    ("client.card_title", "Karta klienta", "Client card"),
    ("client.edit", "Edytuj", "Edit"),
    ("client.save", "Zapisz", "Save"),
    ("client.saving", "Zapisywanie…", "Saving…"),
    ("client.saved", "Zapisano.", "Saved."),
    ("client.cancel", "Anuluj", "Cancel"),
    ("client.errors", "Popraw zaznaczone pola.", "Please correct the marked fields."),
    ("client.section.who", "Kim jest klient", "Who the client is"),
    ("client.section.person", "Dane osobowe", "Personal data"),
    ("client.section.entity", "Dane podmiotu", "Entity data"),
    ("client.section.contact", "Adres i kontakt", "Address and contact"),
    ("client.section.support", "Wsparcie", "Support"),
    ("client.section.consent", "Zgoda na przetwarzanie danych", "Consent to data processing"),
    ("client.kind", "Rodzaj klienta", "Kind of client"),
    ("client.kind.person", "Osoba", "Person"),
    ("client.kind.group", "Grupa", "Group"),
    ("client.kind.organisation", "Organizacja", "Organisation"),
    ("client.kind.institution", "Instytucja", "Institution"),
    ("client.work_form", "Forma pracy", "Work form"),
    ("client.work_form.individual", "indywidualna", "individual"),
    ("client.work_form.group", "grupowa", "group"),
    ("client.work_form.e_support", "e-wsparcie", "e-support"),
    ("client.surname", "Nazwisko", "Surname"),
    ("client.first_names", "Imiona", "First names"),
    ("client.pesel", "PESEL", "PESEL"),
    ("client.pesel_hint", "Gdy osoba nie ma numeru PESEL, podaj dokument tożsamości.", "When the person has no PESEL, give an identity document."),
    ("client.id_document_type", "Rodzaj dokumentu tożsamości", "Identity document type"),
    ("client.id_document_number", "Seria i numer dokumentu", "Document number"),
    ("client.id_document_type.", "— brak —", "— none —"),
    ("client.id_document_type.id_card", "dowód osobisty", "identity card"),
    ("client.id_document_type.passport", "paszport", "passport"),
    ("client.id_document_type.residence_card", "karta pobytu", "residence card"),
    ("client.id_document_type.other", "inny", "other"),
    ("client.birth_date", "Data urodzenia", "Birth date"),
    ("client.sex", "Płeć", "Sex"),
    ("client.sex.", "— z PESEL —", "— from PESEL —"),
    ("client.sex.female", "kobieta", "female"),
    ("client.sex.male", "mężczyzna", "male"),
    ("client.name", "Nazwa", "Name"),
    ("client.entity_type", "Rodzaj podmiotu", "Type of entity"),
    ("client.krs", "KRS", "KRS"),
    ("client.regon", "REGON", "REGON"),
    ("client.contact_person", "Osoba do kontaktu", "Contact person"),
    ("client.street_address", "Ulica i numer", "Street and number"),
    ("client.postal_code", "Kod pocztowy", "Postal code"),
    ("client.city", "Miejscowość", "Town"),
    ("client.phone", "Telefon", "Phone"),
    ("client.consent", "Klient wyraził zgodę na przetwarzanie danych osobowych", "The client consented to the processing of personal data"),
    ("client.consent_date", "Data zgody", "Date of consent"),
    ("client.key_consultant", "Kluczowy konsultant", "Key consultant"),
    ("client.key_consultant.none", "— nieprzydzielony —", "— not assigned —"),
    ("client.override_reason", "Uzasadnienie przekroczenia limitu 15 klientów (koordynator)", "Reason for exceeding the limit of 15 clients (coordinator)"),
    ("client.override_kept", "Przekroczenie limitu zatwierdził(a)", "Limit exceeded, approved by"),
    ("client.status", "Status", "Status"),
    ("client.status.active", "aktywny", "active"),
    ("client.status.closed", "zakończony", "closed"),
    ("client.created", "Zarejestrowano", "Registered"),
    ("client.updated", "Ostatnia zmiana", "Last changed"),
    ("client.conflict", "Ktoś inny zmienił ten rekord w międzyczasie. Odśwież i wprowadź zmiany ponownie.", "Someone else changed this record meanwhile. Reload and make your changes again."),
    ("audit.title", "Dziennik dostępu do danych klientów", "Client data access log"),
    ("audit.at", "Kiedy", "When"),
    ("audit.who", "Kto", "Who"),
    ("audit.action", "Czynność", "Action"),
    ("audit.client", "Klient", "Client"),
    ("audit.detail", "Szczegóły", "Details"),
    ("audit.action.read", "odczyt", "read"),
    ("audit.action.create", "rejestracja", "registration"),
    ("audit.action.update", "zmiana", "change"),
    ("audit.action.list", "przegląd listy", "list view"),
    ("audit.who_saw", "Kto widział dane klienta:", "Who saw the client's data:"),
    ("audit.who_saw_link", "Kto widział dane", "Who saw the data"),
    ("audit.anyone", "— każdy —", "— anyone —"),
    ("audit.any_action", "— każda czynność —", "— any action —"),
    ("audit.from", "Od dnia", "From"),
    ("audit.to", "Do dnia", "To"),
    ("audit.apply", "Pokaż", "Show"),
    ("audit.one_client", "Pokazane są wpisy jednego klienta.", "Entries of one client are shown."),
    ("audit.all_clients", "Wszyscy klienci", "All clients"),
    ("audit.export_csv", "Pobierz CSV", "Download CSV"),
    ("audit.export_xlsx", "Pobierz XLSX", "Download XLSX"),
    ("audit.empty", "Brak wpisów spełniających warunki.", "No entries match."),
    ("audit.newer", "Nowsze wpisy", "Newer entries"),
    ("audit.older", "Starsze wpisy", "Older entries"),
    ("account.title", "Konto", "Account"),
    ("account.current_password", "Obecne hasło", "Current password"),
    ("account.new_password", "Nowe hasło (min. 12 znaków)", "New password (at least 12 characters)"),
    ("account.change_password", "Zmień hasło", "Change password"),
    ("account.password_changed", "Hasło zostało zmienione.", "The password has been changed."),
    ("role.administrator", "administrator", "administrator"),
    ("role.coordinator", "koordynator", "coordinator"),
    ("role.key_consultant", "kluczowy konsultant", "key consultant"),
    ("role.social_worker", "pracownik socjalny", "social worker"),
    ("role.job_counsellor", "doradca zawodowy", "job counsellor"),
    ("role.reintegration_specialist", "specjalista ds. reintegracji", "reintegration specialist"),
    ("role.data_protection_officer", "inspektor ochrony danych (IOD)", "data protection officer (DPO)"),
    ("sync.offline", "Offline", "Offline"),
    ("sync.syncing", "Wysyłanie", "Syncing"),
    ("sync.signed_out", "Zaloguj się, aby wysłać zmiany", "Sign in to send your changes"),
    ("sync.retrying", "Serwer odmówił zapisu, ponowię próbę", "The server refused to store the changes; retrying"),
    ("sync.unreachable", "Serwer nie odpowiada", "The server does not answer"),
    ("sync.sending", "Wysyłanie {done} z {total}", "Sending {done} of {total}"),
    ("sync.waiting.one", "{n} zmiana czeka na wysłanie", "{n} change waiting"),
    ("sync.waiting.few", "{n} zmiany czekają na wysłanie", "{n} changes waiting"),
    ("sync.waiting.many", "{n} zmian czeka na wysłanie", "{n} changes waiting"),
    ("sync.conflicts.one", "{n} konflikt do rozstrzygnięcia", "{n} conflict to resolve"),
    ("sync.conflicts.few", "{n} konflikty do rozstrzygnięcia", "{n} conflicts to resolve"),
    ("sync.conflicts.many", "{n} konfliktów do rozstrzygnięcia", "{n} conflicts to resolve"),
    ("sync.all_saved", "Wszystko zapisane o", "All saved at"),
    ("sync.saved_device", "Zapisano na tym urządzeniu", "Saved on this device"),
    ("sync.locked", "Dane na tym urządzeniu są zablokowane", "Data on this device is locked"),
    ("sync.now", "Synchronizuj teraz", "Sync now"),
    ("unlock.title", "Odblokuj dane na tym urządzeniu", "Unlock the data on this device"),
    ("unlock.explain", "Szkice i zapisane dane są zaszyfrowane. Podaj hasło konta:", "Drafts and saved data are encrypted. Enter the password of:"),
    ("unlock.submit", "Odblokuj", "Unlock"),
    ("unlock.failed", "Nieprawidłowe hasło.", "Wrong password."),
    ("device.title", "To urządzenie", "This device"),
    ("device.sync", "Synchronizacja", "Sync"),
    ("device.export", "Eksportuj zaszyfrowane zmiany", "Export the encrypted changes"),
    ("device.lock", "Zablokuj teraz", "Lock now"),
    ("device.clear", "Wyczyść to urządzenie", "Clear this device"),
    ("device.cleared", "Dane usunięto z tego urządzenia.", "The data was removed from this device."),
    ("device.clear_refused", "Najpierw wyślij zmiany albo je wyeksportuj: nie można usunąć niewysłanych zmian.", "Send or export your changes first: unsent changes cannot be removed."),
    ("device.storage", "Pamięć przeglądarki", "Browser storage"),
    ("device.storage_warn", "Pamięć urządzenia jest prawie pełna. Zsynchronizuj i usuń zbędne dane.", "The device's storage is almost full. Sync and remove what is not needed."),
    ("device.write_failed", "Nie udało się zapisać ostatniej zmiany na urządzeniu; poprzednia wersja jest zachowana.", "The last change could not be saved on the device; the previous version is kept."),
    ("device.persisted", "Przeglądarka nie usunie tych danych samodzielnie.", "The browser will not remove this data by itself."),
    ("device.not_persisted", "Przeglądarka może usunąć te dane przy braku miejsca — synchronizuj regularnie.", "The browser may remove this data when space runs out; sync regularly."),
    ("device.waiting", "Zmiany czekające na wysłanie", "Changes waiting to be sent"),
    ("device.nothing_waiting", "Nic nie czeka.", "Nothing is waiting."),
    ("device.rejected", "Zmiany odrzucone przez serwer", "Changes the server refused"),
    ("device.nothing_rejected", "Brak.", "None."),
    ("device.item.doc", "zmiana danych", "record change"),
    ("device.item.note", "adnotacja", "note"),
    ("nav.device", "To urządzenie", "This device"),
    ("nav.surveys", "Ankiety", "Surveys"),
    ("nav.dashboard", "Pulpit", "Dashboard"),
    ("dash.open", "Pulpit koordynatora: obciążenie konsultantów, terminy, wskaźniki i ankieta →", "Coordinator's dashboard: caseloads, due items, indicators and the survey →"),
    ("dash.title", "Pulpit koordynatora", "Coordinator's dashboard"),
    ("dash.organisation", "Organizacja partnerska", "Partner organisation"),
    ("dash.consultant", "Konsultant", "Consultant"),
    ("dash.period", "Miesiąc (wskaźniki i ankieta)", "Month (indicators and survey)"),
    ("dash.plan", "Plan działania: cele a osiągnięte wskaźniki", "Action plan: targets and what was reached"),
    ("dash.plan_hint", "Klienci, którzy osiągnęli wskaźnik efektu w okresie planu.", "Clients who reached the effect within the plan's period."),
    ("dash.reached", "Osiągnięto", "Reached"),
    ("dash.all", "Wszystkie", "All"),
    ("dash.caseloads", "Obciążenie konsultantów", "Consultants' caseloads"),
    ("dash.caseloads_hint", "Aktywni klienci na konsultanta wobec limitu 15 (grupa lub instytucja liczy się jako jeden); przeciążeni na początku.", "Active clients per consultant against the limit of 15 (a group or an institution counts as one); overloaded first."),
    ("dash.active", "Aktywni klienci / limit", "Active clients / limit"),
    ("dash.override_reasons", "Uzasadnienia przekroczenia limitu", "Reasons for exceeding the limit"),
    ("dash.overloaded", "przekroczony limit", "over the limit"),
    ("dash.due", "Terminy: zaległe i najbliższe 14 dni", "Due: overdue and the next 14 days"),
    ("dash.nothing_due", "Nic nie jest zaległe ani nie przypada w najbliższych 14 dniach.", "Nothing is overdue or due in the next 14 days."),
    ("dash.date", "Termin", "Due"),
    ("dash.kind", "Co", "What"),
    ("dash.client", "Klient", "Client"),
    ("dash.overdue", "zaległe", "overdue"),
    ("dash.due.ipd_task", "Zadanie z IPD", "IPD task"),
    ("dash.due.contract_review", "Ocena kontraktu socjalnego", "Social contract review"),
    ("dash.due.window_end", "Koniec 12 miesięcy reintegracji", "End of the 12-month reintegration window"),
    ("dash.due.no_contact", "Brak notatki i usługi od 30 dni", "No note or service for 30 days"),
    ("dash.indicators", "Wskaźniki efektów (rozdz. 6.3)", "Indicators of effect (section 6.3)"),
    ("dash.indicators_hint", "Liczba klientów, którzy osiągnęli wskaźnik w danym miesiącu; udział wśród aktywnych klientów w miesiącu:", "Clients who reached the indicator in each month; share of active clients in"),
    ("dash.indicator", "Wskaźnik", "Indicator"),
    ("dash.share", "Udział", "Share"),
    ("dash.survey", "Ankieta klientów", "Client survey"),
    ("dash.authorisations", "Upoważnienia do przetwarzania danych: wygasłe i wygasające w ciągu 30 dni", "Authorisations to process personal data: lapsed and ending within 30 days"),
    ("dash.authorisation_lapsed", "wygasło po", "lapsed after"),
    ("dash.authorisation_ends", "obowiązuje do", "holds until"),
    ("dash.no_survey", "Brak ankiety — otwórz ankietę na ten miesiąc", "No survey yet — open one for this month"),
    ("dash.survey_withheld", "(wyniki od 5 ankiet)", "(results from 5 answers)"),
    ("nav.logout_refused", "Masz niewysłane zmiany. Poczekaj na połączenie albo wyeksportuj je na stronie „To urządzenie”.", "You have unsent changes. Wait for the network or export them on the “This device” page."),
    ("draft.saving", "Zapisywanie na tym urządzeniu…", "Saving on this device…"),
    ("draft.saved", "Zapisano na tym urządzeniu o", "Saved on this device at"),
    ("draft.locked", "Dane urządzenia są zablokowane: zmiany zostaną wysłane od razu.", "The device's data is locked: changes go straight to the server."),
    ("draft.waiting", "Zmiany czekają na wysłanie.", "Changes are waiting to be sent."),
    ("draft.local_only", "Jeszcze nie wysłano na serwer.", "Not yet sent to the server."),
    ("draft.review", "Szkic zapisany przez starszą wersję aplikacji — sprawdź go i zapisz.", "Draft written by an older version of the app: review and save it."),
    ("caseload.drafts", "Szkice na tym urządzeniu", "Drafts on this device"),
    ("caseload.offline", "Bez połączenia: dane z tego urządzenia.", "Offline: data from this device."),
    ("notes.title", "Adnotacje", "Notes"),
    ("notes.new", "Nowa adnotacja", "New note"),
    ("notes.add", "Dodaj adnotację", "Add note"),
    ("notes.none", "Brak adnotacji.", "No notes yet."),
    ("notes.pending", "czeka na wysłanie", "waiting to be sent"),
    ("notes.older.one", "{n} starsza adnotacja jest tylko na serwerze: zobaczysz ją po połączeniu.", "{n} older note is on the server only: you will see it once connected."),
    ("notes.older.few", "{n} starsze adnotacje są tylko na serwerze: zobaczysz je po połączeniu.", "{n} older notes are on the server only: you will see them once connected."),
    ("notes.older.many", "{n} starszych adnotacji jest tylko na serwerze: zobaczysz je po połączeniu.", "{n} older notes are on the server only: you will see them once connected."),
    ("conflicts.title", "Konflikty do rozstrzygnięcia", "Conflicts to resolve"),
    ("conflicts.explain", "Dwie osoby zmieniły to samo pole na różne wartości. Nic nie zostało utracone — wybierz, która wartość ma zostać.", "Two people changed the same field to different values. Nothing was lost: choose which value stays."),
    ("conflicts.base", "Było", "Was"),
    ("conflicts.mine", "Zmiana", "Change"),
    ("conflicts.theirs", "Obecnie", "Now"),
    ("conflicts.keep", "Zostaw tę wartość", "Keep this value"),
    ("conflicts.resolved", "Rozstrzygnięto", "Resolved"),
    ("conflicts.by", "przez", "by"),
    ("conflicts.empty_value", "(puste)", "(empty)"),
    ("history.title", "Historia zmian", "History of changes"),
    ("history.revision", "Wersja", "Version"),
    ("history.device", "urządzenie", "device"),
    ("nav.devices", "Urządzenia", "Devices"),
    ("nav.people", "Osoby", "People"),
    ("people.title", "Osoby w partnerstwie", "People in the partnership"),
    ("people.list", "Osoby i ich role", "People and their roles"),
    ("people.name", "Imię i nazwisko", "Name"),
    ("people.email", "E-mail", "E-mail"),
    ("people.organisation", "Organizacja", "Organisation"),
    ("people.choose_organisation", "— wybierz organizację partnerstwa —", "— choose a member organisation —"),
    ("people.role", "Rola", "Role"),
    ("people.state", "Konto", "Account"),
    ("people.state.invited", "zaproszona, bez hasła", "invited, no password yet"),
    ("people.state.active", "aktywne", "active"),
    ("people.state.inactive", "wyłączone", "switched off"),
    ("people.last_seen", "Ostatnie logowanie", "Last sign-in"),
    ("people.devices", "Urządzenia", "Devices"),
    ("people.actions", "Działania", "Actions"),
    ("people.reset", "Nowe hasło (link)", "New password (link)"),
    ("people.deactivate", "Wyłącz konto", "Switch off"),
    ("people.reactivate", "Włącz konto", "Switch on"),
    ("people.invite", "Zaproś osobę", "Invite someone"),
    ("people.invite_hint", "Zaproszona osoba sama ustala hasło przez jednorazowy link ważny 72 godziny. Nikt poza nią go nie zna.", "The invited person chooses their own password through a single-use link valid for 72 hours. Nobody else knows it."),
    ("people.send_invite", "Zaproś", "Invite"),
    ("people.handover", "przekaż tej osobie poniższy link (pokazujemy go tylko raz). Otworzy go tylko raz i ustali na nim własne hasło.", "hand this person the link below (it is shown only once). They open it once and choose their own password on it."),
    ("people.link", "Jednorazowy link", "Single-use link"),
    ("people.expires", "Link wygasa", "The link expires"),
    ("people.done.invite", "Zaproszenie utworzone.", "Invitation created."),
    ("people.done.added", "Ta osoba ma już konto: otrzymała rolę w tym partnerstwie.", "This person already has an account: they now have a role in this partnership."),
    ("people.done.role", "Rola zmieniona.", "Role changed."),
    ("people.done.reset", "Wszystkie sesje tej osoby zakończone; przekaż jej link do nowego hasła.", "All of this person's sessions ended; hand them the link to a new password."),
    ("people.done.deactivate", "Konto wyłączone: sesje zakończone, urządzenia cofnięte (ich zmiany czekają na decyzję).", "Account switched off: sessions ended, devices revoked (what they send waits for a decision)."),
    ("people.done.reactivate", "Konto włączone.", "Account switched on."),
    ("people.done.authorisation", "Upoważnienie zapisane.", "Authorisation recorded."),
    ("people.authorisation", "Upoważnienie", "Authorisation"),
    ("people.no_authorisation", "brak", "none"),
    ("people.until", "do", "until"),
    ("people.until_revoked", "do odwołania", "until revoked"),
    ("people.print_authorisation", "Drukuj", "Print"),
    ("people.choose_person", "— wybierz osobę —", "— choose a person —"),
    ("people.authorisation_title", "Upoważnienie do przetwarzania danych osobowych", "Authorisation to process personal data"),
    ("people.authorisation_hint", "Każda osoba, która przetwarza dane klientów, ma pisemne upoważnienie administratora danych. Po jego wygaśnięciu nie zaloguje się; na pulpicie widać upoważnienia wygasające w ciągu 30 dni.", "Everyone who processes clients' data holds a written authorisation of the data controller. Once it lapses they cannot sign in; the dashboard lists authorisations ending within 30 days."),
    ("people.authorisation_number", "Numer upoważnienia", "Authorisation number"),
    ("people.authorisation_issued", "Data wydania", "Issued on"),
    ("people.authorisation_expires", "Obowiązuje do (włącznie)", "Holds until (inclusive)"),
    ("people.authorisation_expires_hint", "Puste: do odwołania.", "Empty: until revoked."),
    ("people.save_authorisation", "Zapisz upoważnienie", "Save the authorisation"),
    ("auth.title", "UPOWAŻNIENIE", "AUTHORISATION"),
    ("auth.subtitle", "do przetwarzania danych osobowych", "to process personal data"),
    ("auth.basis", "Na podstawie art. 29 i art. 32 ust. 4 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia 2016 r. (RODO) upoważniam:", "Under Articles 29 and 32(4) of Regulation (EU) 2016/679 of 27 April 2016 (GDPR) I authorise:"),
    ("auth.employed", "zatrudnioną / zatrudnionego w:", "employed at:"),
    ("auth.scope", "do przetwarzania danych osobowych klientów partnerstwa", "to process the personal data of the clients of the partnership"),
    ("auth.scope_system", "w systemie Ścieżka, w tym danych szczególnych kategorii (art. 9 RODO: o stanie zdrowia, niepełnosprawności, uzależnieniach), w zakresie niezbędnym do wykonywania obowiązków w roli:", "in the Ścieżka system, including special categories of data (GDPR Art. 9: health, disability, addiction), to the extent needed for the duties of the role:"),
    ("auth.period", "Upoważnienie obowiązuje od", "The authorisation holds from"),
    ("auth.to", "do", "until"),
    ("auth.until_revoked", "odwołania", "revoked"),
    ("auth.ends", "Wygasa najpóźniej z chwilą ustania zatrudnienia lub współpracy.", "It ends at the latest when the employment or cooperation ends."),
    ("auth.secrecy", "Osoba upoważniona jest obowiązana zachować w tajemnicy przetwarzane dane osobowe oraz sposoby ich zabezpieczenia, także po ustaniu zatrudnienia.", "The authorised person must keep the personal data processed and the ways they are protected secret, also after the employment ends."),
    ("auth.sig_controller", "podpis administratora danych lub osoby przez niego upoważnionej", "signature of the data controller or a person it authorised"),
    ("auth.declaration", "Oświadczam, że zapoznałam / zapoznałem się z przepisami o ochronie danych osobowych i z zasadami ich przetwarzania w systemie Ścieżka oraz zobowiązuję się do zachowania danych w tajemnicy.", "I declare that I know the rules on personal data protection and on processing data in the Ścieżka system, and undertake to keep the data secret."),
    ("auth.sig_person", "podpis osoby upoważnionej", "signature of the authorised person"),
    ("link.title_invitation", "Ustal hasło do swojego konta", "Choose your account's password"),
    ("link.title_reset", "Ustal nowe hasło", "Choose a new password"),
    ("link.title_done", "Hasło ustalone", "Password set"),
    ("link.title_gone", "Link nie działa", "This link does not work"),
    ("link.gone", "Ten link wygasł albo został już użyty. Poproś koordynatora partnerstwa o nowy.", "This link has expired or has already been used. Ask your partnership's coordinator for a new one."),
    ("link.rules", "Co najmniej 12 znaków. Najlepiej kilka słów, których nikt nie zgadnie.", "At least 12 characters. A few words nobody would guess work best."),
    ("link.password", "Hasło", "Password"),
    ("link.repeat", "Powtórz hasło", "Repeat the password"),
    ("link.mismatch", "Hasła się różnią.", "The passwords differ."),
    ("link.save", "Zapisz hasło", "Save the password"),
    ("link.done", "Możesz się teraz zalogować swoim adresem e-mail i tym hasłem.", "You can now sign in with your e-mail address and this password."),
    ("link.to_login", "Przejdź do logowania", "Go to sign-in"),
    ("devices.title", "Urządzenia w partnerstwie", "Devices in the partnership"),
    ("devices.list", "Urządzenia, które synchronizują dane", "Devices that sync data"),
    ("devices.explain", "Zablokuj zgubione lub skradzione urządzenie: jego późniejsze zmiany nie zostaną zastosowane, tylko zatrzymane do Twojej decyzji.", "Revoke a lost or stolen device: its later changes are not applied but held for your decision."),
    ("devices.user", "Osoba", "Person"),
    ("devices.device", "Urządzenie", "Device"),
    ("devices.last_seen", "Ostatnia synchronizacja", "Last sync"),
    ("devices.state", "Stan", "State"),
    ("devices.revoke", "Zablokuj urządzenie", "Revoke device"),
    ("devices.revoked", "Zablokowane:", "Revoked:"),
    ("devices.held", "Zmiany zatrzymane do decyzji", "Changes held for a decision"),
    ("devices.apply", "Zastosuj", "Apply"),
    ("devices.discard", "Odrzuć", "Discard"),
    ("devices.decision.applied", "Zastosowano", "Applied"),
    ("devices.decision.discarded", "Odrzucono", "Discarded"),
    ("audit.action.sync", "pobranie do pracy offline", "taken for offline work"),
    ("audit.action.refused", "odmowa zapisu", "write refused"),
];

/// The text of `key` in `lang`; the key itself when it is missing, so a gap is visible.
/// A counted phrase: `key.one`, `key.few` or `key.many` by Polish (or English)
/// plural rules, with `{n}` replaced by the count.
pub fn t_count(lang: Lang, key: &str, n: usize) -> String {
    let form = match (lang, n) {
        (_, 1) => "one",
        (Lang::Pl, n) if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => "few",
        _ => "many",
    };
    t(lang, &format!("{key}.{form}")).replace("{n}", &n.to_string())
}

/// Every label: the app's own, the case documents' and the survey's.
fn all_strings() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    STRINGS.iter().chain(crate::docs::labels::STRINGS).chain(crate::survey::labels::STRINGS).chain(crate::report::labels::STRINGS).chain(crate::partnership::labels::STRINGS).chain(crate::statement::STRINGS)
}

pub fn t(lang: Lang, key: &str) -> &str {
    match all_strings().find(|(k, _, _)| *k == key) {
        Some((_, pl, en)) => match lang {
            Lang::Pl => pl,
            Lang::En => en,
        },
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let all = all_strings;
        let mut keys: Vec<_> = all().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate i18n key");
        assert!(all().all(|(_, pl, en)| !pl.is_empty() && !en.is_empty()));
    }

    #[test]
    fn every_key_the_app_uses_exists() {
        // The app names keys as literals in `t(lang, "...")`/`tr("...")` calls.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../src");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("app sources") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).expect("source");
                for (i, _) in src.match_indices("tr(\"").chain(src.match_indices(", \"sync.")).chain(src.match_indices(", \"device.")) {
                    // `tr(` itself, not the end of another name such as `from_str(`.
                    if src[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &src[src[i..].find('"').map_or(i, |q| i + q + 1)..];
                    let key = &rest[..rest.find('"').expect("closing quote")];
                    if !all_strings().any(|(k, _, _)| *k == key || k.strip_suffix(".one") == Some(key)) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing i18n keys: {missing:?}");
    }

    #[test]
    fn counted_phrases_follow_polish_plurals() {
        assert_eq!(t_count(Lang::Pl, "sync.waiting", 1), "1 zmiana czeka na wysłanie");
        assert_eq!(t_count(Lang::Pl, "sync.waiting", 3), "3 zmiany czekają na wysłanie");
        assert_eq!(t_count(Lang::Pl, "sync.waiting", 12), "12 zmian czeka na wysłanie");
        assert_eq!(t_count(Lang::Pl, "sync.waiting", 22), "22 zmiany czekają na wysłanie");
        assert_eq!(t_count(Lang::En, "sync.waiting", 5), "5 changes waiting");
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("de,pl;q=0.5"), Lang::Pl);
        assert_eq!(Lang::from_accept_language(""), Lang::Pl);
    }
}
