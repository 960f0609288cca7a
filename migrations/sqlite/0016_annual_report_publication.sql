-- Annual reports are published as items of the 年度报告 column (NDBG) through the
-- node's review chain (docs/adr/0015): the item made when a report is submitted. Its
-- version holds the report as submitted (sections and every figure), so a later recount
-- never changes what was reviewed and published. The row-level-security policy of
-- annual_reports (0010) covers the new column.
ALTER TABLE annual_reports ADD COLUMN item_id TEXT;
