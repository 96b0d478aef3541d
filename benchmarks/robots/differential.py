"""Differential run: scrapecheck's verdicts against Google's C++ parser on the real-world corpus.

Run on demand:  python benchmarks/robots/differential.py [--fuzz N]

Uses the best available binding of google/robotstxt: jwm.robotstxt (pybind11 around the unmodified
robots.cc), else robotstxt from fast-robotstxt (a fork). For every file in corpus/, every agent it
names plus two it does not, and URLs derived from its own patterns, it compares the verdict and the
deciding line (Google's matching_line()). ``--fuzz N`` adds N random files built from the tricky
parts of the syntax (typos, missing colons, BOMs, CR/LF/CRLF, NULs, Latin-1 bytes, '*'/'$').

URLs are given to both parsers percent-encoded with upper-case escapes (what the C++ library requires
of its callers), and agents as product tokens. Two deliberate additions to the library are applied to
its answer: "/robots.txt" itself is allowed (RFC 9309 §2.2.2), and an empty product token names no
group (no agent here reduces to one). By default each corpus file contributes a seeded sample of at
most 20,000 (agent, URL) pairs (``--max-pairs 0`` for all of them).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import corpus, corpus_agents, corpus_urls  # noqa: E402

from scrapecheck.robots import RobotsPolicy, product_token  # noqa: E402
from scrapecheck.robots._syntax import path_of  # noqa: E402


def google() -> tuple[str, object]:
    try:
        from jwm.robotstxt import googlebot

        matcher = googlebot.RobotsMatcher()

        def run(body: bytes, agent: str, url: str) -> tuple[bool, int | None]:
            allowed = matcher.OneAgentAllowedByRobots(body, agent, url)
            return allowed, matcher.matching_line()

        return "jwm.robotstxt (google/robotstxt robots.cc)", run
    except ImportError:
        pass
    from robotstxt import RobotsMatcher

    fork = RobotsMatcher()

    def run_fork(body: bytes, agent: str, url: str) -> tuple[bool, int | None]:
        allowed = fork.is_allowed(body.decode("utf-8", "replace"), agent, url)
        return allowed, fork.matching_line

    return "fast-robotstxt (fork of google/robotstxt)", run_fork


ATOMS = [b"user-agent", b"User-Agent", b"useragent", b"user agent", b"allow", b"Disallow", b"disalow", b"dissallow",
         b"sitemap", b":", b": ", b" ", b"\t", b"\n", b"\r", b"\r\n", b"*", b"$", b"/", b"a", b"b", b"%", b"%aa",
         b"\xe9", b"\xc3\xa9", b"\x00", b"#", b"\xef\xbb\xbf", b"FooBot", b"*", b"index.html", b"?", b";"]


def fuzz_cases(n: int, seed: int = 5) -> list[tuple[str, bytes, list[str], list[str]]]:
    rng = random.Random(seed)
    paths = ["/", "/a", "/ab", "/a/", "/a/b", "/%AA", "/%E9", "/%C3%A9", "/a$", "/index.html", "/a/index.html", "/?a"]
    cases = []
    for i in range(n):
        body = b"".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.5:
            body = b"User-agent: FooBot\n" + body
        cases.append((f"fuzz#{i}", body, ["FooBot", "Qux"], ["http://h" + p for p in paths]))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="also compare N random files")
    parser.add_argument("--max-pairs", type=int, default=20_000, metavar="N",
                        help="at most N (agent, URL) pairs per corpus file, a seeded sample (0: all; the 50 files "
                             "give 3.3 million, and Google's binding re-parses the file for each)")
    args = parser.parse_args()
    name, reference = google()
    print(f"reference: {name}")
    cases = [(f, body, corpus_agents(body), corpus_urls(body)) for f, body in corpus().items()]
    if args.max_pairs:
        rng = random.Random(17)
        for index, (label, body, agents, urls) in enumerate(cases):
            keep = max(1, args.max_pairs // len(agents))
            if len(urls) > keep:
                cases[index] = (label, body, agents, sorted(rng.sample(urls, keep)))
    cases += fuzz_cases(args.fuzz)
    checked = disagreements = skipped = 0
    for label, body, agents, urls in cases:
        policy = RobotsPolicy.parse(body)
        for agent in agents:
            token = product_token(agent)
            if not token:  # Google's library requires a non-empty token of its caller ("008" reduces to "")
                skipped += 1
                continue
            for url in urls:
                expected, line = reference(body, token, url)  # type: ignore[operator]
                if path_of(url) == "/robots.txt":
                    expected, line = True, 0  # RFC 9309 2.2.2, which Google's library leaves to its caller
                verdict = policy.explain(agent, url)
                checked += 1
                if verdict.allowed != expected or (verdict.line or 0) != line:
                    disagreements += 1
                    if disagreements <= 25:
                        print(f"DISAGREE {label} agent={agent!r} url={url!r}: google={expected} line {line}; "
                              f"scrapecheck={verdict.allowed} line {verdict.line}")
    print(f"{checked:,} (agent, URL) checks over {len(cases)} files: {disagreements} disagreement(s)"
          f" ({skipped} agent(s) skipped: no product token)")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
