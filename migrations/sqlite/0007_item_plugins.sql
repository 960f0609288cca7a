-- What a plugin said of an item version (plugin version and hash, derived fields,
-- publication rules, warnings), as JSON; NULL for built-in kinds.
ALTER TABLE item_versions ADD COLUMN plugin TEXT;
