// Persons ranked by the number of distinct events they took part in (in any role), with how many of them they chaired or led and on how many pages (articles) those events were reported.
// @param min 1  the least number of events a person must have
//
// Mirrors persons_by_events.rq: the first 100, ties in name order, then id.
MATCH (p:Person)-[:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e)
OPTIONAL MATCH (p)-[h:CHAIRED|LED]->(e)
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
WITH p, count(DISTINCT e) AS events,
     count(DISTINCT CASE WHEN h IS NOT NULL THEN e.id END) AS chaired_or_led,
     count(DISTINCT art.id) AS articles
WHERE events >= $min
WITH p, events, chaired_or_led, articles
ORDER BY events DESC, chaired_or_led DESC, articles DESC, p.label, p.id
LIMIT 100
RETURN p.label AS person, events, chaired_or_led, articles
