"""The shipped packs' pre-validated form (``policy/bundled.pickle``) is exactly what validating them gives, and
is never used when it is stale or for a user's own ``--policies`` directory."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from scrapecheck.api import default_policy
from scrapecheck.policy import bundled, load_policy

HOW = "stale: run `python -m scrapecheck.docs` (or pytest --update-golden) and commit the result"


def _roundtrip(policy):
    """Through one pickling, so both sides share objects alike and their stored bytes can be compared."""
    return pickle.loads(pickle.dumps(policy))


def test_bundled_form_is_current_and_equals_validation(update_golden: bool) -> None:
    packs = ROOT / "policies"
    if update_golden:
        bundled.write(packs)
    validated = load_policy(packs)
    fast = bundled.load_bundled(packs)
    assert fast is not None, f"policy/bundled.pickle was made from other packs or model code: {HOW}"
    assert fast == validated
    assert fast.files == validated.files
    assert bundled.dumps(_roundtrip(fast), packs) == bundled.dumps(_roundtrip(validated), packs), HOW
    for stored, fresh in zip(fast.rules, validated.rules, strict=True):
        assert stored.references == fresh.references and stored.model_fields_set == fresh.model_fields_set


def test_default_policy_is_the_bundled_form() -> None:
    fast = bundled.load_bundled()
    assert fast is not None, HOW
    assert default_policy() == fast


def test_stored_bytes_do_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    code = ("import sys; from scrapecheck.policy import bundled, load_policy; from pathlib import Path; "
            "root = Path(sys.argv[1]); sys.stdout.buffer.write(bundled.dumps(load_policy(root), root))")
    outputs = {subprocess.run([sys.executable, "-c", code, str(ROOT / "policies")], capture_output=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def test_a_changed_pack_makes_the_stored_form_stale(packs: Path, tmp_path: Path) -> None:
    stored = tmp_path / "bundled.pickle"
    stored.write_bytes(bundled.dumps(load_policy(packs), packs))
    assert bundled.load_bundled(packs, stored) == load_policy(packs)
    path = packs / "accounts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('severity = "critical"', 'severity = "high"', 1),
                    encoding="utf-8")
    assert bundled.load_bundled(packs, stored) is None  # edited, not regenerated: validate instead
    (packs / "extra.toml").write_text("", encoding="utf-8")
    assert bundled.load_bundled(packs, stored) is None


def test_an_unreadable_stored_form_means_validation(packs: Path, tmp_path: Path) -> None:
    stored = tmp_path / "bundled.pickle"
    assert bundled.load_bundled(packs, stored) is None  # missing
    header = bundled.dumps(load_policy(packs), packs).split(b"\n", 1)[0] + b"\n"
    stored.write_bytes(header + b"not a pickle")
    assert bundled.load_bundled(packs, stored) is None


def test_a_user_policies_directory_is_validated(packs: Path) -> None:
    """--policies DIR goes through load_policy, which never reads the stored form: a broken pack fails loudly
    even when it sits next to exact copies of the shipped ones."""
    from scrapecheck.errors import PolicyError

    path = packs / "accounts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('severity = "critical"', 'severity = "fatal"', 1),
                    encoding="utf-8")
    with pytest.raises(PolicyError, match="accounts.toml"):
        load_policy(packs)
