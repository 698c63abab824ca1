// Top exposures: who stands to lose most if whom fails, among commitments that count on
// $as_of (set it first with :param as_of => date('2026-01-29')).
// Investors are exposed to investees; sellers (recipients) to buyers (payers).
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL AND r.announced <= $as_of AND r.kind <> 'stock_merger'
WITH a, b, r, [i IN range(0, size(r.status_dates) - 1) WHERE r.status_dates[i] <= $as_of] AS done
WITH a, b, r, r.status_values[done[-1]] AS status
WHERE status IN ['announced', 'signed', 'active']
   OR (status = 'completed' AND r.kind IN ['equity_investment', 'warrant', 'loan'])
WITH CASE WHEN r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other']
          THEN b ELSE a END AS exposed,
     CASE WHEN r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other']
          THEN a ELSE b END AS counterparty,
     r
RETURN exposed.name AS exposed, counterparty.name AS to_the_failure_of,
       round(sum(r.usd_point) / 1e9, 1) AS usd_billions, collect(r.id) AS commitments
ORDER BY usd_billions DESC
LIMIT 25;
