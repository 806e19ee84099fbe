-- Schema 4: the header and closing of each report as the clerk set them (issue 14): the trích yếu, the
-- closing sentence and the signature block as printed (T/M or KT. line, chức vụ, họ tên). NULL: nothing
-- stored (reports made before schema 4): the template's pattern and the chosen signer stand in.
ALTER TABLE reports ADD COLUMN subject TEXT;
ALTER TABLE reports ADD COLUMN closing TEXT;
ALTER TABLE reports ADD COLUMN signer_on_behalf TEXT;
ALTER TABLE reports ADD COLUMN signer_title TEXT;
ALTER TABLE reports ADD COLUMN signer_name TEXT;
