"""Automatic assignment as a pure function over ids, so it can be reasoned about and tested
with hypothesis apart from the database.

Greedy, most-constrained bid first, each slot to the least-loaded eligible assessor (ties by
id), then a balancing pass that moves new assignments from heavier to lighter assessors while
any single move narrows the gap by two or more. Deterministic: the same input gives the same
output whatever the order of the input collections.
"""

from collections.abc import Iterable


def allocate(
    *,
    bids: Iterable[int],
    assessors: Iterable[int],
    per_bid: int,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
) -> dict[int, list[int]]:
    """New (bid -> [assessor]) pairs so each bid has `per_bid` assessors where enough are free.

    `conflicts` and `existing` are (bid, assessor) pairs. Existing assignments count towards a
    bid's number and an assessor's load but are never moved. Conflicted pairs are never made.
    """
    bid_ids = sorted(set(bids))
    people = sorted(set(assessors))
    blocked = set(conflicts)
    have: dict[int, set[int]] = {b: set() for b in bid_ids}
    load = dict.fromkeys(people, 0)
    for b, a in sorted(set(existing)):
        if b in have:
            have[b].add(a)
        if a in load:
            load[a] += 1
    eligible = {b: [a for a in people if (b, a) not in blocked and a not in have[b]] for b in bid_ids}
    new: dict[int, list[int]] = {b: [] for b in bid_ids}
    order = sorted(bid_ids, key=lambda b: (len(eligible[b]) - max(per_bid - len(have[b]), 0), b))
    for b in order:
        need = per_bid - len(have[b])
        if need <= 0:
            continue
        chosen = sorted(eligible[b], key=lambda a: (load[a], a))[:need]
        for a in chosen:
            load[a] += 1
        new[b] = sorted(chosen)
    _balance(new, eligible, load)
    return {b: sorted(v) for b, v in new.items() if v}


def _balance(new: dict[int, list[int]], eligible: dict[int, list[int]], load: dict[int, int]) -> None:
    """Move single new assignments from the heaviest to lighter assessors until no move helps."""
    improved = True
    while improved:
        improved = False
        for heavy in sorted(load, key=lambda a: (-load[a], a)):
            for b in sorted(new):
                if heavy not in new[b]:
                    continue
                options = [a for a in eligible[b] if a not in new[b] and load[a] <= load[heavy] - 2]
                if not options:
                    continue
                light = min(options, key=lambda a: (load[a], a))
                new[b].remove(heavy)
                new[b].append(light)
                load[heavy] -= 1
                load[light] += 1
                improved = True
                break
            if improved:
                break


def loads(
    assignments: dict[int, list[int]], assessors: Iterable[int], existing: Iterable[tuple[int, int]] = ()
) -> dict[int, int]:
    result = dict.fromkeys(sorted(set(assessors)), 0)
    for _, a in set(existing):
        if a in result:
            result[a] += 1
    for chosen in assignments.values():
        for a in chosen:
            result[a] += 1
    return result
