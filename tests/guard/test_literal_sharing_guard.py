"""The Guard over origins serving one robots.txt (one parse, one rule set: its literal_check states are shared between
all their segments, b663a10), each origin meeting the segments in its own order (sorted, reversed, shuffled) and the
origins' URLs interleaved, over several passes: every decision is ``decide_path``'s (verdict and deciding line). The
paths reach each rule's head through its segments, hold its literal segments one or several at a time, in the query
(leaves) and the fragment, with "%" and non-ASCII characters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from scrapecheck import Guard
from scrapecheck.robots import RobotsPolicy

UA = "AcmeBot/1.0"
CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
_RULE = re.compile(r"^\s*(?:dis)?allow\s*:?\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def _paths(body: str, rng: random.Random) -> list[str]:
    patterns = [m.group(1) for m in _RULE.finditer(body)]
    heads = sorted({p.split("*")[0].rstrip("$") for p in patterns if p.startswith("/")})
    segments = sorted({s for p in patterns for s in p.rstrip("$").split("*")[1:] if s}) or ["x"]
    paths = []
    for head in heads:
        cuts = [head[: i + 1] for i, c in enumerate(head) if c == "/"] or ["/"]
        for _ in range(3):
            base = rng.choice([head, rng.choice(cuts)])
            lits = rng.sample(segments, min(len(segments), rng.choice([1, 1, 2, 3])))
            tail = rng.choice(["", "x/", "a/b/"]) + rng.choice(["", "/"]).join(lits)
            paths.append(base + tail + rng.choice(["", "?q=1", "#f", "%2F", "\u00e9", "$", "/"]))
        paths += [head, head + "?" + rng.choice(segments), head + "z", head + "z?" + rng.choice(segments)]
    for k in range(60):  # segments and leaves of no rule, holding the rules' literals
        paths.append(f"/seg{k % 20}/" + rng.choice(segments) + rng.choice(["", "?q", "#x"]))
        paths.append(f"/leaf{k}?" + rng.choice(segments))
    return [p for p in paths if p.startswith("/")]


@pytest.mark.parametrize("name", ["gitlab.txt", "www.unicef.org.txt", "www.etsy.com.txt", "www.w3.org.txt", "www.agoda.com.txt",
                                  "drafthouse.com.txt", "www.ebay.co.uk.txt", "www.patagonia.com.txt"])
def test_origins_sharing_a_rule_set_meet_its_segments_in_different_orders(name: str) -> None:
    body = (CORPUS / name).read_text(encoding="utf-8", errors="replace")
    rng = random.Random(name)
    paths = _paths(body, rng)
    origins = [f"https://o{k}.example" for k in range(3)]
    guard = Guard.from_robots(UA, "other", dict.fromkeys(origins, body))
    matcher = RobotsPolicy.parse(body).matcher(UA)
    expected = {path: matcher.decide_path(path) for path in paths}
    orders = [sorted(paths), sorted(paths, reverse=True), rng.sample(paths, len(paths))]
    stream = [(o, p) for group in zip(*orders) for o, p in zip(origins, group)]
    for round_ in range(3):
        if round_ == 2:
            rng.shuffle(stream)
        for origin, path in stream:
            decision = guard.check(origin + path)
            allowed, rule = expected[path]
            assert decision.allowed is allowed, (name, origin, path, round_)
            if not allowed and rng.random() < 0.1:
                assert decision.reasons[0].line == rule.line, (name, origin, path)  # type: ignore[union-attr]
