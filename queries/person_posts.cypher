// A person's posts over time: each post they were seen holding, its organization, the first and last dates it was seen with them (empty when no page gave a year), and in how many articles; dated posts first, in order of first sighting.
// @param person '樊惠林'  the person's name (the Person's label)
//
// Mirrors person_posts.rq: one row per HOLDS relationship (the RDF export's org:Membership)
// and organization of the post (POST_IN). articles counts the distinct ids in HOLDS.articles.
MATCH (p:Person {label: $person})-[h:HOLDS]->(po:Post)
OPTIONAL MATCH (po)-[:POST_IN]->(o)
WITH po.label AS post, o.label AS organization,
     toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen,
     size(reduce(seen = [], a IN coalesce(h.articles, []) |
                 CASE WHEN a IN seen THEN seen ELSE seen + [a] END)) AS articles
RETURN post, organization, first_seen, last_seen, articles
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen,
         CASE WHEN last_seen IS NULL THEN 0 ELSE 1 END, last_seen, post,
         CASE WHEN organization IS NULL THEN 0 ELSE 1 END, organization, articles DESC
