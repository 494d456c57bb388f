-- The legal basis of processing and the information clause (issue 20) replace the
-- single consent flag. A record registered under that flag was registered on the
-- person's consent, given on its date with the information clause, by the person who
-- registered it: it becomes exactly that. The scope is the form's standard wording.
UPDATE clients SET data = (data::jsonb || jsonb_build_object(
    'legal_basis', 'consent',
    'information_date', data::jsonb ->> 'consent_date',
    'information_by', COALESCE((SELECT u.display_name FROM users u WHERE u.id = clients.created_by), ''),
    'consent_scope', 'Przetwarzanie moich danych osobowych, w tym danych o stanie zdrowia i niepełnosprawności, w celu udziału w usługach partnerstwa: rekrutacji, wsparcia, monitorowania i sprawozdawczości.',
    'consent_withdrawn', ''))::text
WHERE kind = 'person' AND (data::jsonb ->> 'consent') = 'true' AND COALESCE(data::jsonb ->> 'legal_basis', '') = '';
