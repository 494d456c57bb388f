-- The legal basis of processing and the information clause (issue 20) replace the
-- single consent flag. A record registered under that flag was registered on the
-- person's consent, given on its date with the information clause, by the person who
-- registered it: it becomes exactly that. The scope is the form's standard wording.
UPDATE clients SET data = json_set(data,
    '$.legal_basis', 'consent',
    '$.information_date', json_extract(data, '$.consent_date'),
    '$.information_by', COALESCE((SELECT u.display_name FROM users u WHERE u.id = clients.created_by), ''),
    '$.consent_scope', 'Przetwarzanie moich danych osobowych, w tym danych o stanie zdrowia i niepełnosprawności, w celu udziału w usługach partnerstwa: rekrutacji, wsparcia, monitorowania i sprawozdawczości.',
    '$.consent_withdrawn', '')
WHERE kind = 'person' AND json_extract(data, '$.consent') = 1 AND COALESCE(json_extract(data, '$.legal_basis'), '') = '';
