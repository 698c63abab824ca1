// What changed on 2026-01-30, the day Nvidia's $100B OpenAI plan was reported paused:
// every status change of a commitment dated that day (the first one is its announcement),
// and the market events of the day. The same entries as GET /timeline for that day.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL AND date('2026-01-30') IN r.status_dates
UNWIND range(0, size(r.status_dates) - 1) AS i
WITH a, b, r, i
WHERE r.status_dates[i] = date('2026-01-30')
RETURN 'commitment' AS what, r.id AS id, a.name + ' -> ' + b.name AS title, type(r) AS kind,
       CASE WHEN i > 0 THEN r.status_values[i - 1] END AS old_status,
       r.status_values[i] AS new_status, r.source_url AS source
UNION ALL
MATCH (ev:Event {date: date('2026-01-30')})
RETURN 'event' AS what, ev.id AS id, ev.title AS title, ev.kind AS kind, null AS old_status,
       null AS new_status, null AS source;
