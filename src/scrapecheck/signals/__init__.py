"""What the targets say: typed signals, read from plan snapshots or signals files, or fetched (``fetch``)."""

from .model import OptOut, RobotsSignal, Signals, TargetSignals
from .snapshot import from_plan, load_signals, save_signals

__all__ = ["OptOut", "RobotsSignal", "Signals", "TargetSignals", "from_plan", "load_signals", "save_signals"]
