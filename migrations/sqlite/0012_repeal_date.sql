-- The day (China) an item was repealed (废止): shown beside "已废止" on the portal and
-- counted in the annual report's 本年废止件数 by its year. Items repealed before this
-- column existed keep NULL; the report counts those by their last change, as before.
ALTER TABLE items ADD COLUMN repealed_on TEXT;
