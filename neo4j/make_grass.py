"""Write what Neo4j Browser shows on connect (neo4j/style.grass, neo4j/browser.env,
neo4j/guide.html) from the explorer's palette and the saved queries.

    python neo4j/make_grass.py            # rewrite the four files
    python neo4j/make_grass.py --check    # exit 1 if a committed file differs (tests run this)

Colours come from api/static/palette.json, the explorer page's single source: node labels
(Company, Fund, ...) take the entity kind colours, relationship types (INVESTS_IN, ...)
the commitment kind colours, and the role labels (Lab, Cloud, Neocloud, Chips, Financier,
State) the page's sector group colours; a role rule comes after the kind rules, so it wins.
The store writes no role label (a role is the page's reading of an entity's sectors): the
guide's first block sets them, from the same sector groups and by the page's rule (the
first of an entity's sectors that belongs to a group), and can be run again after an import.
Relationship captions are the amount as the explorer prints it (`usd_label`: "$300B",
"up to $100B", "n/d"), written by the store beside the amounts.

What GraSS can and cannot say (Neo4j Browser 5, graph style model): a rule selects by
node label or relationship type only, never by a property value, so a width cannot follow
each commitment's amount as it does on the explorer page. Widths here follow the kind:
stakes and loans (money at risk on the investor's books) are drawn thicker than purchase
contracts, warrants and the catch-all. Captions name the entity (`{name}`), the event
(`{title}`) and the relationship type.

browser.env carries the same style as JSON in `browser.post_connect_cmd`, which Browser
runs after it connects, so no manual `:style` step is needed: neo4j/local/run passes it to
the local server, docker-compose.yml to the neo4j container (env_file browser-docker.env,
the same without the guide, which only the local launcher serves). Browser splits that
setting on semicolons outside quotes, which JSON never has; GraSS text would be cut apart.
The second command sets `$as_of`, the date the saved queries in neo4j/queries/ read; the
third clears the stream (so Browser does not open on the style's text); the fourth opens
the guide (neo4j/guide.html) in Browser's sidebar: what the graph holds, how to read it,
the role colours and every saved query as a runnable block. Browser fetches a guide from
an allow-listed host and, being a web page, only from its own origin unless the server
sends CORS headers: neo4j/local/run serves the file on Neo4j's HTTP port at
/aifg/guide.html (an unmanaged extension of the launcher) and points GUIDE_URL's port at
its own. Browser 5 shows HTML guides made of <slide> elements (`:guide URL`, the sidebar;
`:play URL` puts the same in the stream); `pre.runnable` blocks go to the editor on click.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PALETTE = ROOT / "api" / "static" / "palette.json"
GRASS = ROOT / "neo4j" / "style.grass"
BROWSER_ENV = ROOT / "neo4j" / "browser.env"
# The neo4j container of docker-compose.yml has no launcher to serve the guide.
DOCKER_ENV = ROOT / "neo4j" / "browser-docker.env"
GUIDE = ROOT / "neo4j" / "guide.html"
QUERIES = ROOT / "neo4j" / "queries"
# Served by neo4j/local's launcher; neo4j/local/run puts its own HTTP port in place of 7474.
GUIDE_URL = "http://127.0.0.1:7474/aifg/guide.html"
EXPLORER_URL = "http://127.0.0.1:8000/"
COUNTS = (
    "MATCH (e:Entity) WITH count(e) AS entities\n"
    "MATCH (:Entity)-[r]->(:Entity) WHERE r.doc IS NOT NULL\n"
    "RETURN entities, count(r) AS commitments"
)

# The day before Nvidia paused its $100B OpenAI plan: the source article's "before" picture.
AS_OF = "2026-01-29"
POST_CONNECT_SETTING = "NEO4J_browser_post__connect__cmd"

# Shaft widths by commitment kind (px); see the module docstring for why not by amount.
WIDTHS = {
    "equity_investment": "4px",
    "loan": "4px",
    "backstop": "3px",
    "compute_purchase": "3px",
    "cloud_contract": "3px",
    "chip_supply": "3px",
    "warrant": "2px",
    "other": "2px",
    "stock_merger": "1px",
}
ENTITY_DIAMETER = "60px"

Rules = dict[str, dict[str, str]]


def rules(palette: dict[str, Any]) -> Rules:
    """Selector -> properties, in the order Browser applies them (later rules win)."""
    inactive = palette["inactive"]["color"]
    other = palette["other_sector"]["color"]
    out: Rules = {
        "node": {
            "diameter": "50px",
            "color": inactive,
            "border-color": other,
            "border-width": "2px",
            "text-color-internal": "#2A2C34",
            "font-size": "10px",
        },
        "relationship": {
            "color": inactive,
            "shaft-width": "1px",
            "font-size": "8px",
            "padding": "3px",
            "text-color-external": "#000000",
            "text-color-internal": "#FFFFFF",
            "caption": "{usd_label}",
        },
        "node.Entity": {"diameter": ENTITY_DIAMETER, "caption": "{name}"},
    }
    for kind in palette["entity_kinds"].values():
        out[f"node.{kind['label']}"] = {
            "color": kind["color"],
            "border-color": kind["border"],
            "text-color-internal": kind["text"],
        }
    # Roles after kinds: a node with a role label takes its role's colour.
    for group in palette["sector_groups"]:
        out[f"node.{group['label']}"] = {
            "color": group["color"],
            "border-color": group["color"],
            "text-color-internal": text_colour(group["color"]),
        }
    # Events (dated news that involves entities) and bookkeeping nodes stay in the background.
    out["node.Event"] = {
        "diameter": "40px",
        "color": other,
        "border-color": other,
        "text-color-internal": "#FFFFFF",
        "caption": "{title}",
    }
    out["node.Meta"] = {"diameter": "20px", "caption": "{key}"}
    for key, kind in palette["commitment_kinds"].items():
        out[f"relationship.{kind['type']}"] = {
            "color": kind["color"],
            "shaft-width": WIDTHS[key],
        }
    out["relationship.INVOLVES"] = {"color": inactive, "shaft-width": "1px"}
    return out


def text_colour(background: str) -> str:
    """Dark text on a light fill, white on a dark one (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#2A2C34" if luminance > 0.35 else "#FFFFFF"


def role_cypher(palette: dict[str, Any]) -> str:
    """Cypher that gives every entity the display label of its role, by the page's rule."""
    groups = palette["sector_groups"]
    labels = [g["label"] for g in groups]
    grouped = sorted({s for g in groups for s in g["sectors"]})
    cases = "\n".join(
        f"  WHEN first IN {json.dumps(sorted(g['sectors']))} THEN '{g['label']}'" for g in groups
    )
    sets = "\n".join(
        f"FOREACH (_ IN CASE WHEN role = '{label}' THEN [1] ELSE [] END | SET e:{label})"
        for label in labels
    )
    return (
        "// Colour the entities by role: a display label from the first of their sectors\n"
        "// that belongs to a role (the explorer's rule); the API ignores these labels.\n"
        "MATCH (e:Entity)\n"
        f"WITH e, head([s IN coalesce(e.sectors, []) WHERE s IN {json.dumps(grouped)}]) AS first\n"
        f"WITH e, CASE\n{cases}\nEND AS role\n"
        f"REMOVE e:{':'.join(labels)}\n"
        f"{sets}\n"
        "RETURN coalesce(role, '(no role: kind colour)') AS role, count(*) AS entities\n"
        "ORDER BY entities DESC;"
    )


def to_grass(style: Rules) -> str:
    """GraSS text as Browser itself exports it (no comments: its parser has none)."""
    blocks = []
    for selector, props in style.items():
        lines = [
            f"  {key}: '{value}';" if key == "caption" else f"  {key}: {value};"
            for key, value in props.items()
        ]
        blocks.append(f"{selector} {{\n" + "\n".join(lines) + "\n}\n")
    return "\n".join(blocks)


def post_connect_cmd(style: Rules, guide: bool = True) -> str:
    """Browser commands, semicolon-separated, without the leading colon Browser adds."""
    as_json = json.dumps(style, separators=(",", ":"))
    if ";" in as_json or "\n" in as_json:
        raise ValueError("the style JSON must hold no semicolon or newline")
    commands = [f"style {as_json}", f"param as_of => date('{AS_OF}')", "clear"]
    return "; ".join(commands + ([f"guide {GUIDE_URL}"] if guide else []))


def to_env(style: Rules, guide: bool = True) -> str:
    what = (
        "clear the stream and open the guide (neo4j/guide.html,\n"
        "# served by neo4j/local/run). Used by neo4j/local/run."
        if guide
        else "clear the stream. Used by docker-compose.yml, whose\n"
        "# neo4j has nothing to serve neo4j/guide.html; neo4j/local/run uses browser.env."
    )
    return (
        "# Generated by neo4j/make_grass.py from api/static/palette.json: do not edit.\n"
        "# Neo4j Browser runs these commands when it connects: apply neo4j/style.grass, set\n"
        f"# $as_of for neo4j/queries/, {what}\n"
        f"{POST_CONNECT_SETTING}={post_connect_cmd(style, guide)}\n"
    )


def saved_queries(folder: Path = QUERIES) -> list[tuple[str, str, str]]:
    """(file name, the leading comment as prose, the query) of each saved query."""
    found = []
    for path in sorted(folder.glob("*.cypher")):
        text = path.read_text(encoding="utf-8").strip()
        comment = []
        for line in text.splitlines():
            if not line.startswith("//"):
                break
            comment.append(line.removeprefix("//").strip())
        found.append((path.name, " ".join(comment), text))
    return found


def _swatch(colour: str, text: str, line: bool = False) -> str:
    shape = "width:18px;height:3px" if line else "width:10px;height:10px;border-radius:50%"
    return (
        f'<li><span style="display:inline-block;{shape};background:{colour};'
        f'margin-right:6px;vertical-align:middle"></span>{html.escape(text)}</li>'
    )


def _runnable(query: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{html.escape(query)}</pre>'


def to_guide(palette: dict[str, Any], queries: list[tuple[str, str, str]]) -> str:
    """The guide Browser opens on connect: one <slide> per topic, queries runnable."""
    kinds = "".join(
        _swatch(k["color"], f"{k['type']}: {k['label'].lower()}", line=True)
        for k in palette["commitment_kinds"].values()
    )
    labels = ", ".join(f":{k['label']}" for k in palette["entity_kinds"].values())
    roles = "".join(
        _swatch(g["color"], f":{g['label']}: {g['name']}") for g in palette["sector_groups"]
    )
    slides = [
        f"""<h3>What the graph holds</h3>
<p>AI financing commitments: who invests in, lends to, buys cloud, compute or chips from
whom, for how much, since when, how binding, and on whose word. Every figure has a source.</p>
<ul>
<li><b>Entities</b> <code>(:Entity)</code>, labelled by kind ({labels}): companies,
funds and unnamed groups (a bank syndicate, a round's other investors), governments,
projects.</li>
<li><b>Commitments</b>: one relationship each, from the payer or investor to the recipient,
typed by kind:<ul>{kinds}</ul></li>
<li><b>Events</b> <code>(:Event)-[:INVOLVES]-&gt;(:Entity)</code>: dated market news.</li>
</ul>
<p>How much is in it:</p>
{_runnable(COUNTS)}""",
        f"""<h3>How to read it</h3>
<ul>
<li>An arrow runs from payer to recipient; its colour is the kind, its caption the amount
(<code>usd_label</code>): <code>$300B</code>, <code>up to $100B</code> for a ceiling,
<code>~$20B</code> for an estimate, <code>n/d</code> when no amount was disclosed (never 0).</li>
<li>Amounts in USD: <code>usd_point</code>, with <code>usd_low</code>/<code>usd_high</code>
for ranges; <code>status</code> is the latest, <code>status_dates</code>/<code>status_values</code>
the history, <code>source_url</code> the lead source.</li>
<li>What counts on a date: <code>counts_from</code>/<code>counts_until</code> hold the periods
in which a commitment counts. The saved queries read <code>$as_of</code>, set to {AS_OF} on
connect; change it with</li>
</ul>
{_runnable("param as_of => date('2026-01-31')")}
<p>The day after Nvidia's up-to-$100B OpenAI plan was reported paused. The explorer page
(<a href="{EXPLORER_URL}" target="_blank">{EXPLORER_URL}</a>, with <code>aifg serve</code>)
draws the same web with figures, a timeline and domino scenarios.</p>""",
        f"""<h3>Colour the entities by role</h3>
<p>Browser colours a node by its labels. The store labels entities by kind only, so most are
<code>:Company</code> blue; run this once (and after an import) to add the explorer's roles
as display labels, from each entity's sectors. The API ignores them.</p>
<ul>{roles}</ul>
{_runnable(role_cypher(palette))}""",
    ]
    for name, about, query in queries:
        title = about.split(":", 1)[0] if ":" in about[:60] else name
        slides.append(
            f"<h3>{html.escape(title)}</h3>\n<p>{html.escape(about)}</p>\n"
            f"<p><small>neo4j/queries/{html.escape(name)}</small></p>\n{_runnable(query)}"
        )
    body = "\n".join(f'<slide class="row-fluid">\n{s}\n</slide>' for s in slides)
    return (
        "<!-- Generated by neo4j/make_grass.py from api/static/palette.json and "
        "neo4j/queries/: do not edit. -->\n"
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>AI Financing Graph</title></head>\n<body>\n"
        f'<article class="guide">\n<carousel class="deck container-fluid">\n{body}\n'
        "</carousel>\n</article>\n</body>\n</html>\n"
    )


def outputs(palette_path: Path = PALETTE) -> dict[Path, str]:
    palette = json.loads(palette_path.read_text(encoding="utf-8"))
    style = rules(palette)
    return {
        GRASS: to_grass(style),
        BROWSER_ENV: to_env(style),
        DOCKER_ENV: to_env(style, guide=False),
        GUIDE: to_guide(palette, saved_queries()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if a committed file is out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(map(str, stale))
        print(f"{names} out of date: run python neo4j/make_grass.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
