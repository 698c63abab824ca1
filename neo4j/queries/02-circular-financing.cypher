// Circular financing: money that flows round and comes back, up to four hops, through
// commitments that count on $as_of (:param as_of => date('2026-01-29'); the Browser
// post-connect command sets it). The same loops and round trips as GET /analysis/cycles
// with max_length=4: each commitment as it counts (counts_from/counts_until hold the
// as_of rule; a whole only for its remainder beyond its parts), parallel commitments
// between two entities add up to one hop, and a loop's round trip is its smallest hop.
// A hop with no disclosed figure leaves the loop without one: those loops come last.
// The source article's loop: Nvidia -> OpenAI -> CoreWeave -> Nvidia.
MATCH ()-[r]->()
WHERE any(i IN range(0, size(coalesce(r.counts_from, [])) - 1)
          WHERE r.counts_from[i] <= $as_of AND $as_of < r.counts_until[i])
CALL (r) {
  OPTIONAL MATCH ()-[p {part_of: r.id}]->()
  WITH p WHERE any(i IN range(0, size(coalesce(p.counts_from, [])) - 1)
                   WHERE p.counts_from[i] <= $as_of AND $as_of < p.counts_until[i])
  RETURN coalesce(sum(p.usd_point), 0.0) AS parts
}
CALL (r) {
  UNWIND range(0, size(coalesce(r.overlap_ids, [])) - 1) AS i
  MATCH ()-[q {id: r.overlap_ids[i]}]->()
  WHERE any(j IN range(0, size(coalesce(q.counts_from, [])) - 1)
            WHERE q.counts_from[j] <= $as_of AND $as_of < q.counts_until[j])
  RETURN coalesce(sum(r.overlap_usd[i]), 0.0) AS shared
}
WITH r, CASE WHEN r.usd_point - parts < 0 THEN 0.0 ELSE r.usd_point - parts END - shared AS net
WITH collect(r.id) AS live, collect([r.id, CASE WHEN net < 0 THEN 0.0 ELSE net END]) AS amounts
MATCH p = (start:Entity)-[rels*2..4]->(start)
WHERE all(r IN rels WHERE r.id IN live)
  // Each loop once: from its smallest id, through every other entity once.
  AND all(i IN range(1, size(rels) - 1) WHERE nodes(p)[i].id > start.id
          AND NOT nodes(p)[i] IN nodes(p)[i + 1..-1])
WITH amounts, nodes(p) AS loop, collect(p) AS paths
UNWIND range(0, size(loop) - 2) AS hop
UNWIND paths AS path
WITH amounts, loop, paths, hop, collect(DISTINCT relationships(path)[hop]) AS hop_commitments
WITH loop, paths, hop,
     [r IN hop_commitments | [x IN amounts WHERE x[0] = r.id | x[1]][0]] AS hop_amounts
WITH loop, paths, hop,
     CASE WHEN all(u IN hop_amounts WHERE u IS NULL) THEN null
          ELSE reduce(total = 0.0, u IN hop_amounts | total + coalesce(u, 0.0)) END AS hop_usd
ORDER BY hop
WITH loop, paths, collect([hop_usd]) AS hops
WITH loop, paths,
     CASE WHEN any(h IN hops WHERE h[0] IS NULL) THEN null
          ELSE reduce(least = hops[0][0], h IN hops |
                      CASE WHEN h[0] < least THEN h[0] ELSE least END) END AS round_trip
RETURN paths, [n IN loop | n.name] AS loop, round(round_trip / 1e9, 1) AS round_trip_billions
ORDER BY round_trip_billions IS NULL, round_trip_billions DESC, loop
LIMIT 25;
