"""The data and the answers in other tools' formats, one module per format.

- tables: answers and records as tables of typed, described columns (the one home of
  each column's name, type and meaning; CSV, the data package and pandas read them);
- csv: a table as RFC 4180 text, safe to open in a spreadsheet;
- network: the graph at a date as a networkx MultiDiGraph, with its attributes described;
- node_link, graphml, gexf, cypher: that graph (or the store's model) for networkx,
  yEd and Gephi, Gephi's timeline, and Neo4j;
- ftm: FollowTheMoney entities (OpenSanctions, Aleph) as JSON lines;
- datapackage: a Frictionless data package of every record, zipped.

Each is pure over a snapshot or an answer; graph.queries.export picks one.
"""
