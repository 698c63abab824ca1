// Circular financing: money that flows round and comes back, up to four hops, through
// commitments that count on $as_of (:param as_of => date('2026-01-29'); the Browser
// post-connect command sets it). The same loops and round trips as GET /cycles with
// max_length=4: parallel commitments between two entities add up to one hop, and a
// loop's round trip is its smallest hop (0 where an amount is undisclosed).
// The source article's loop: Nvidia -> OpenAI -> CoreWeave -> Nvidia.
MATCH p = (start:Entity)-[rels*2..4]->(start)
WHERE all(r IN rels WHERE r.doc IS NOT NULL AND r.announced <= $as_of AND r.kind <> 'stock_merger'
          AND (r.status_values[..size([d IN r.status_dates WHERE d <= $as_of])][-1]
                 IN ['announced', 'signed', 'active']
               OR (r.status_values[..size([d IN r.status_dates WHERE d <= $as_of])][-1] = 'completed'
                   AND r.kind IN ['equity_investment', 'warrant', 'loan'])))
  // Each loop once: from its smallest id, through every other entity once.
  AND all(i IN range(1, size(rels) - 1) WHERE nodes(p)[i].id > start.id
          AND NOT nodes(p)[i] IN nodes(p)[i + 1..-1])
WITH nodes(p) AS loop, collect(p) AS paths
UNWIND range(0, size(loop) - 2) AS hop
UNWIND paths AS path
WITH loop, paths, hop, collect(DISTINCT relationships(path)[hop]) AS hop_commitments
WITH loop, paths, min(reduce(usd = 0.0, r IN hop_commitments | usd + r.usd_point)) AS round_trip
RETURN paths, [n IN loop | n.name] AS loop, round(round_trip / 1e9, 1) AS round_trip_billions
ORDER BY round_trip_billions DESC, loop
LIMIT 25;
