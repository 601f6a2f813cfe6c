-- Project-style side jobs (issue 20): the structured terms of a side job, project or pro-bono
-- work, beside the posting (postings is at diesel's 32-column limit). No row: none stated.
-- Codes as yui_domain::project writes them; hours a month 1-744, months 1-120, remote share in
-- percent. coordinator: the organisation that stays alongside, as people know its name.
CREATE TABLE posting_projects (
    posting_id INTEGER PRIMARY KEY REFERENCES postings (id) ON DELETE CASCADE,
    hours_per_month INTEGER,
    duration_months INTEGER,
    visits TEXT,
    remote_share INTEGER,
    travel_support TEXT,
    reward TEXT,
    coordinator TEXT
);

-- A change here is a change of what search finds (see 000013_posting_changes).
CREATE TRIGGER posting_projects_changed AFTER INSERT OR DELETE ON posting_projects
    FOR EACH ROW EXECUTE FUNCTION posting_part_changed();
