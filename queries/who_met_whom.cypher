// Meetings with visitors (会见): who else took part in the events a person hosted (MET), with their roles there, the event's date and the page it was reported on.
// @param host '虎荣鑫'  the host's name (the Person's label)
//
// Mirrors who_met_whom.rq. The graph links the host to the event, not to the guest, so the
// other participants are everyone recorded at that event, guests and colleagues alike. Roles,
// dates and the order of rows are as in attendees_of_chaired_events.cypher.
MATCH (h:Person {label: $host})-[:MET]->(e)
MATCH (o:Person)-[r:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e)
WHERE o.id <> h.id
WITH e, o, collect(DISTINCT type(r)) AS types
WITH e, o, toString(coalesce(e.date, e.date_text)) AS d,
     reduce(s = '', role IN [['CHAIRED', 'chair'], ['ATTENDED', 'attend'], ['SPOKE_AT', 'speak'],
                             ['LED', 'lead'], ['INSPECTED', 'inspect'], ['ACCOMPANIED', 'accompany'],
                             ['REPORTED_AT', 'report'], ['MET', 'meet'], ['SIGNED', 'sign']] |
            CASE WHEN role[0] IN types
                 THEN s + CASE WHEN s = '' THEN '' ELSE ', ' END + role[1] ELSE s END) AS roles
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
RETURN DISTINCT
       CASE WHEN d STARTS WITH '--' OR (size(d) = 10 AND substring(d, 4, 1) = '-') THEN d END AS date,
       e.label AS event, o.label AS other, roles, art.doc AS file
ORDER BY CASE WHEN date IS NULL THEN 0 ELSE 1 END, date, event, other, roles,
         CASE WHEN file IS NULL THEN 0 ELSE 1 END, file
