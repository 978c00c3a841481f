// Every event a person took part in, with their roles there, the event's type and the page it was reported on; dated events first, then those with only a month and day, then undated ones.
// @param person '樊惠林'  the person's name (the Person's label)
//
// Mirrors events_of_person.rq. Roles as in attendees_of_chaired_events.cypher; the date is
// YYYY-MM-DD, --MM-DD (no year on the page; date_text after a neo4j-admin CSV import) or empty.
MATCH (p:Person {label: $person})-[r:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e)
WHERE e.event_type IS NOT NULL
WITH p, e, collect(DISTINCT type(r)) AS types
WITH e, toString(coalesce(e.date, e.date_text)) AS d,
     reduce(s = '', role IN [['CHAIRED', 'chair'], ['ATTENDED', 'attend'], ['SPOKE_AT', 'speak'],
                             ['LED', 'lead'], ['INSPECTED', 'inspect'], ['ACCOMPANIED', 'accompany'],
                             ['REPORTED_AT', 'report'], ['MET', 'meet'], ['SIGNED', 'sign']] |
            CASE WHEN role[0] IN types
                 THEN s + CASE WHEN s = '' THEN '' ELSE ', ' END + role[1] ELSE s END) AS roles
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
RETURN DISTINCT
       CASE WHEN d STARTS WITH '--' OR (size(d) = 10 AND substring(d, 4, 1) = '-') THEN d END AS date,
       e.label AS event, e.event_type AS type, roles, art.doc AS file
ORDER BY CASE WHEN date IS NULL THEN 2 WHEN date STARTS WITH '--' THEN 1 ELSE 0 END,
         date, event, type, roles, CASE WHEN file IS NULL THEN 0 ELSE 1 END, file
