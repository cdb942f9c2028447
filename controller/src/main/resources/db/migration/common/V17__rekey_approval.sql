-- An admin's approval (macfleet hosts approve NAME) that lets the next enrollment under a host's name re-key it
-- whatever hardware UUID it carries, until this time; cleared when used.
ALTER TABLE hosts ADD COLUMN rekey_approved_until TIMESTAMP WITH TIME ZONE;
