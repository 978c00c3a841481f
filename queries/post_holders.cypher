// Who held a post over time: every person seen with the post, its organization, the first and last dates they were seen with it (empty when no page gave a year) and in how many articles; in order of first sighting, undated holders last.
// @param post '区委书记'  the post's title as printed on the pages (the Post's label), e.g. 区长
//
// Mirrors post_holders.rq: one row per HOLDS relationship and organization of the post
// (POST_IN). articles counts the distinct ids in HOLDS.articles.
MATCH (p:Person)-[h:HOLDS]->(po:Post {label: $post})
OPTIONAL MATCH (po)-[:POST_IN]->(o)
WITH p.label AS person, o.label AS organization,
     toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen,
     size(reduce(seen = [], a IN coalesce(h.articles, []) |
                 CASE WHEN a IN seen THEN seen ELSE seen + [a] END)) AS articles
RETURN person, organization, first_seen, last_seen, articles
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen,
         CASE WHEN last_seen IS NULL THEN 0 ELSE 1 END, last_seen, person,
         CASE WHEN organization IS NULL THEN 0 ELSE 1 END, organization, articles DESC
