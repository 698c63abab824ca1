// What changed on 2026-01-30: status changes of commitments, and market events.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL AND date('2026-01-30') IN r.status_dates
WITH a, b, r, [i IN range(0, size(r.status_dates) - 1)
               WHERE r.status_dates[i] = date('2026-01-30')][0] AS i
RETURN 'commitment' AS what, a.name + ' -> ' + b.name AS title, type(r) AS kind,
       CASE WHEN i > 0 THEN r.status_values[i - 1] END AS old_status,
       r.status_values[i] AS new_status, r.source_url AS source
UNION ALL
MATCH (ev:Event {date: date('2026-01-30')})
RETURN 'event' AS what, ev.title AS title, ev.kind AS kind, null AS old_status,
       null AS new_status, null AS source;
