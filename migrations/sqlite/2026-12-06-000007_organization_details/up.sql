-- What the public learns about a member organisation on /about: its English name, a line on
-- what it does, and how to reach it. Empty until an operator fills them (`yui org …`).
ALTER TABLE organizations ADD COLUMN name_en TEXT;
ALTER TABLE organizations ADD COLUMN description TEXT;
ALTER TABLE organizations ADD COLUMN contact TEXT;
