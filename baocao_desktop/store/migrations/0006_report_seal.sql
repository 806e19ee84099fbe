-- Schema 6: the seal of a signed report (issue 19 point 7): an Ed25519 signature by the unit's key over the
-- canonical signed content (exchange.content.signed_content) and the fingerprint of that key. NULL on a
-- report signed before schema 6: "ký theo cách cũ", checked with content_hash as before and re-signed
-- before it is sent. The unit's private key leaves this database when it is next opened
-- (services/exchange/registry.protect_own_keys): unit_keys.private_key keeps only a reference to it.
ALTER TABLE reports ADD COLUMN signature TEXT;
ALTER TABLE reports ADD COLUMN signature_key TEXT;
