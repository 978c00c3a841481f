// A person's posts over time: each post they were seen holding, its organization, the first and last dates it was seen with them, in how many articles with a date (dated) and in how many without one (undated); dated posts first, in order of first sighting.
// @param person '樊惠林'  the person's name (the Person's label)
//
// Mirrors person_posts.rq: one row per HOLDS relationship (the RDF export's org:Membership)
// and organization of the post (POST_IN); dated and undated are HOLDS.dated_sightings and
// HOLDS.undated_sightings.
MATCH (p:Person {label: $person})-[h:HOLDS]->(po:Post)
OPTIONAL MATCH (po)-[:POST_IN]->(o)
WITH po.label AS post, o.label AS organization,
     toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen,
     h.dated_sightings AS dated, h.undated_sightings AS undated
RETURN post, organization, first_seen, last_seen, dated, undated
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen,
         CASE WHEN last_seen IS NULL THEN 0 ELSE 1 END, last_seen, post,
         CASE WHEN organization IS NULL THEN 0 ELSE 1 END, organization, dated DESC
