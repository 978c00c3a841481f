// Who took part in the events a person chaired: every other participant of each event, with their roles there, the event's date and the page it was reported on.
// @param chair '虎荣鑫'  the person who chaired (their name, the Person's label)
//
// Mirrors attendees_of_chaired_events.rq: same columns, rows and order. Roles are the
// participation relationships from the attendee to the event (CHAIRED → chair, ATTENDED →
// attend, SPOKE_AT → speak, LED → lead, INSPECTED → inspect, ACCOMPANIED → accompany,
// REPORTED_AT → report, MET → meet, SIGNED → sign), listed in that order. The date is
// YYYY-MM-DD, or --MM-DD when the page gave no year (kept in date_text by the neo4j-admin CSV
// import), or empty; empty values sort first, as in SPARQL.
MATCH (c:Person {label: $chair})-[:CHAIRED]->(e)
MATCH (a:Person)-[r:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e)
WHERE a.id <> c.id
WITH e, a, collect(DISTINCT type(r)) AS types
WITH e, a, toString(coalesce(e.date, e.date_text)) AS d,
     reduce(s = '', role IN [['CHAIRED', 'chair'], ['ATTENDED', 'attend'], ['SPOKE_AT', 'speak'],
                             ['LED', 'lead'], ['INSPECTED', 'inspect'], ['ACCOMPANIED', 'accompany'],
                             ['REPORTED_AT', 'report'], ['MET', 'meet'], ['SIGNED', 'sign']] |
            CASE WHEN role[0] IN types
                 THEN s + CASE WHEN s = '' THEN '' ELSE ', ' END + role[1] ELSE s END) AS roles
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
RETURN DISTINCT
       CASE WHEN d STARTS WITH '--' OR (size(d) = 10 AND substring(d, 4, 1) = '-') THEN d END AS date,
       e.label AS event, a.label AS attendee, roles, art.doc AS file
ORDER BY CASE WHEN date IS NULL THEN 0 ELSE 1 END, date, event, attendee, roles,
         CASE WHEN file IS NULL THEN 0 ELSE 1 END, file
