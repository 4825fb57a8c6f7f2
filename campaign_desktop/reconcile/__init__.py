"""Reconciliation: keys, doubles in the file, duplicates in the database, per-field rules."""

from campaign_desktop.reconcile.keys import Key, KeyPlan
from campaign_desktop.reconcile.planner import BatchPlan, Line, Planner

__all__ = ["BatchPlan", "Key", "KeyPlan", "Line", "Planner"]
