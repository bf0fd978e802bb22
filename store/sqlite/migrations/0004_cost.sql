-- What each paid test cost in tickets (podium.StatsCost), NULL for an
-- unpaid test and for records stored before: amounts are exact wei as
-- decimal text ("n", or "n/d" for the expected value), added up in Go.
ALTER TABLE stats ADD COLUMN cost_tickets INTEGER;
ALTER TABLE stats ADD COLUMN cost_face_value TEXT;
ALTER TABLE stats ADD COLUMN cost_ev TEXT;
