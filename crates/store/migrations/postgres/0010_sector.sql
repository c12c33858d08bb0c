-- Business sectors: a fixed vocabulary (`vamyar_domain::vocab::Sector`) of which each program
-- offers all or some (`program.sectors`, a JSON list; every program starts with all of them).
-- The employment expert classifies the plan at its review (`plan_review.sector`); the file
-- carries its latest plan's sector (`application.sector`) for the queue and the reports.
-- Files reviewed before this step stay unclassified (null).
alter table program add column sectors text not null
    default '["agriculture","livestock","handicrafts","home_business","services","industry","trade","tourism","other"]';
alter table plan_review add column sector text;
alter table application add column sector text;
