// Events dated between two days (inclusive), in date order, with their type, how many persons took part, the page and headline of the article that reported them, and the event's id (evt_…, which kg view --event takes); the first 500 events of the range.
// @param from '2023-01-01'  first day (YYYY-MM-DD)
// @param to '2023-12-31'  last day (YYYY-MM-DD)
//
// Mirrors events_in_range.rq: the same first 500 events, in date order, then name, type and
// id (kgo:eventOrder), a row for each article that reported one. Events whose year no page
// gave (--MM-DD) cannot be placed in a range and are left out. Dates are compared as ISO
// strings (toString: a Date after a neo4j-admin CSV import); a from or to that is not shaped
// YYYY-MM-DD matches nothing (the SPARQL query refuses it as not an xsd:date).
MATCH (e:Event)
WITH e, toString(e.date) AS date
WHERE size(date) = 10 AND substring(date, 4, 1) = '-'
  AND size($from) = 10 AND substring($from, 4, 1) = '-' AND substring($from, 7, 1) = '-'
  AND size($to) = 10 AND substring($to, 4, 1) = '-' AND substring($to, 7, 1) = '-'
  AND date >= $from AND date <= $to AND e.event_type IS NOT NULL
WITH e, date
ORDER BY date, e.label, e.event_type, e.id
LIMIT 500
OPTIONAL MATCH (p:Person)-[:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e)
WITH e, date, count(DISTINCT p) AS persons
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
RETURN date, e.label AS event, e.event_type AS type, persons, art.doc AS file,
       CASE WHEN art.title <> '' THEN art.title END AS headline, e.id AS id
ORDER BY date, event, type, e.id, CASE WHEN file IS NULL THEN 0 ELSE 1 END, file,
         CASE WHEN headline IS NULL THEN 0 ELSE 1 END, headline
