-- Documents of a section the answers no longer asked for were submitted with
-- their request (a RIB after « Non » to the direct debit, a proof of address
-- or of situation in a renewal) and shown to the agents. The submission drops
-- them now (src/features/documents/inapplicable-documents.ts); this removes
-- the ones already submitted. Their files, named by no row any more, are
-- removed by the orphan sweeper (src/features/documents/orphan-sweeper.ts).
DELETE FROM "RequestDocument" AS document
USING "Request" AS request
WHERE document."requestId" = request.id
  AND request.status <> 'DRAFT'
  AND (
    (document.section = 'RIB' AND request."directDebit" IS NOT TRUE)
    OR (document.section IN ('ADDRESS', 'SITUATION') AND request.type IS DISTINCT FROM 'FIRST')
  );

-- File names kept bidi controls (« ‮fdp.exe.pdf » read as another extension on
-- the agents' page) and invisible characters; new names are cleaned at upload
-- (cleanFileName in src/features/documents/document-storage.ts). The same
-- characters are removed from the names already stored.
UPDATE "RequestDocument"
SET "originalName" = COALESCE(NULLIF(btrim(regexp_replace("originalName", '[\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]', '', 'g')), ''), 'document')
WHERE "originalName" ~ '[\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]';
