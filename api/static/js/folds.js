// Unnamed groups (a bank syndicate, a round's other investors, a company's bondholders)
// folded into one node per counterparty, until a reader opens it.
//
// A group is a fund with no country: the seed data's way of naming many parties at once.
// Groups that deal with one counterparty only, two or more of them, fold together; every
// commitment keeps its own arrow (from the folded node), so no figure is hidden or added up.

import { shortName } from "./format.js";

export const isGroup = (node) => node.kind === "fund" && !node.country;

const NOUNS = { loan: "lenders", equity_investment: "investors" };

/**
 * The folds of a graph (the whole history, so that a fold does not change with the date):
 * { foldOf: member id -> fold id, folds: fold id -> {id, name, label, counterparty, members} }.
 */
export function findFolds(universe) {
  const names = new Map(universe.nodes.map((n) => [n.id, n]));
  const partners = new Map();
  const kinds = new Map();
  for (const l of universe.links) {
    for (const [own, other] of [
      [l.source, l.target],
      [l.target, l.source],
    ]) {
      if (!isGroup(names.get(own))) continue;
      if (!partners.has(own)) partners.set(own, new Set());
      partners.get(own).add(other);
      if (!kinds.has(own)) kinds.set(own, new Set());
      kinds.get(own).add(l.kind);
    }
  }
  const byCounterparty = new Map();
  for (const [id, others] of [...partners].sort(([a], [b]) => a.localeCompare(b))) {
    if (others.size !== 1) continue;
    const [counterparty] = others;
    if (!byCounterparty.has(counterparty)) byCounterparty.set(counterparty, []);
    byCounterparty.get(counterparty).push(id);
  }
  const foldOf = new Map();
  const folds = new Map();
  for (const [counterparty, members] of byCounterparty) {
    if (members.length < 2) continue;
    const id = "fold:" + counterparty;
    const allKinds = new Set(members.flatMap((m) => [...kinds.get(m)]));
    const noun = allKinds.size === 1 ? NOUNS[[...allKinds][0]] || "financiers" : "financiers";
    const whose = shortName(names.get(counterparty).name);
    folds.set(id, {
      id,
      counterparty,
      members,
      name: `${whose} ${noun}: ${members.map((m) => names.get(m).name).join("; ")}`,
      label: `${whose} ${noun} (${members.length})`,
    });
    for (const m of members) foldOf.set(m, id);
  }
  return { foldOf, folds };
}
