-- Schema 7: where each installed template version came from (issue 19.2), so that a commune's version never
-- becomes the upper level's current template and a template written here is shown as "mẫu tự tạo":
--   origin: shipped (with the program) | upper (signed pack of the upper level) | local (written here: a .yaml,
--   the template editor, an own-signed pack) | received (came in a commune's transfer file: kept only as the
--   version its reports pin, never current, never signed) | '' (installed before schema 7, origin not recorded)
--   origin_unit_id: for received versions, the unit whose file brought it.
ALTER TABLE templates ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE templates ADD COLUMN origin_unit_id TEXT;
-- versions that only other units' reports pin came with their transfer files (the program re-marks the
-- shipped ones by their hash when it starts)
UPDATE templates SET origin = 'received',
    origin_unit_id = (SELECT r.unit_id FROM reports r WHERE r.template_id = templates.id LIMIT 1)
WHERE EXISTS (SELECT 1 FROM reports r JOIN units u ON u.id = r.unit_id
              WHERE r.template_id = templates.id AND u.is_self = 0)
  AND NOT EXISTS (SELECT 1 FROM reports r JOIN units u ON u.id = r.unit_id
                  WHERE r.template_id = templates.id AND u.is_self = 1);
