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
