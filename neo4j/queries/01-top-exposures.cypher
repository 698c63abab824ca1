// Top exposures: who stands to lose most if whom fails, on $as_of (set it first with
// :param as_of => date('2026-01-29')), counted as GET /entities/{id}/exposure counts:
// only commitments that count that day (counts_from/counts_until hold the as_of rule);
// a whole only for its remainder beyond its parts that count; less the money a commitment
// shares with another that counts. Undisclosed amounts are not summed but counted beside.
// Investors are exposed to investees; sellers (recipients) to buyers (payers).
MATCH (a:Entity)-[r]->(b:Entity)
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
WITH a, b, r, CASE WHEN r.usd_point - parts < 0 THEN 0.0 ELSE r.usd_point - parts END - shared AS net
WITH a, b, r, CASE WHEN net < 0 THEN 0.0 ELSE net END AS usd
WITH CASE WHEN r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other']
          THEN b ELSE a END AS exposed,
     CASE WHEN r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other']
          THEN a ELSE b END AS counterparty,
     r, usd
RETURN exposed.name AS exposed, counterparty.name AS to_the_failure_of,
       round(sum(usd) / 1e9, 1) AS usd_billions,
       count(CASE WHEN usd IS NULL THEN 1 END) AS undisclosed, collect(r.id) AS commitments
ORDER BY usd_billions DESC
LIMIT 25;
