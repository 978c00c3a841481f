// The evidence behind one fact: for a subject (a person, or an event for CONCERNS, VISITED and HELD_AT) and a relation, every quote that states it, with the object of the fact (the event, or the post for HOLDS), the page's file, the sentence, and the quote's [start, end) character offsets in the page's normalized text.
// @param person '樊惠林'  the subject's name (its label)
// @param relation 'CHAIRED'  the relation: HOLDS CHAIRED ATTENDED SPOKE_AT LED INSPECTED ACCOMPANIED REPORTED_AT MET SIGNED CONCERNS VISITED HELD_AT
//
// Mirrors fact_evidence.rq. The evidence is read from the relationship's parallel lists
// ev_article, ev_start, ev_end, ev_quote and ev_sentence (no JSON parsing, no APOC).
MATCH (s {label: $person})-[r]->(o)
WHERE type(r) = $relation AND o.label IS NOT NULL
UNWIND range(0, size(coalesce(r.ev_article, [])) - 1) AS i
MATCH (art:Article {id: r.ev_article[i]})
RETURN DISTINCT o.label AS object, art.doc AS file, r.ev_start[i] AS `start`, r.ev_end[i] AS `end`,
       r.ev_quote[i] AS quote, r.ev_sentence[i] AS sentence
ORDER BY file, `start`, `end`, object, quote, sentence
