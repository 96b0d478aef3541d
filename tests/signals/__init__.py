"""Tests of signal collection: fetching against a local server, opt-out parsing, snapshots."""
