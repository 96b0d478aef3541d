"""Rules as data: models of the policy files, the closed set of check kinds, and the loader."""

from .kinds import Check, Context, Outcome, TargetView
from .load import Policy, default_policy_dir, load_policy
from .models import Platform, Rule, Source, Threshold

__all__ = ["Check", "Context", "Outcome", "Platform", "Policy", "Rule", "Source", "TargetView", "Threshold",
           "default_policy_dir", "load_policy"]
