"""The keys the job recomputes for a batch read by the second process are the reader's own."""

from __future__ import annotations

import pytest

from campaign_desktop.domain.template import Reconciliation
from campaign_desktop.reconcile.keys import KeyPlan

ROWS = [["a@x.com", "ACC1", "Lee"], ["", "ACC2", "Kim"], [None, None, "Roe"], ["b@x.com", "", None]]


@pytest.mark.parametrize("key1, key2", [(["email"], []), (["email"], ["account"]),
                                        (["account", "last_name"], []), (["last_name"], ["email"])])
def test_keys_of_rows_is_key_of_row_for_every_row(key1, key2):
    plan = KeyPlan(Reconciliation(key1=key1, key2=key2), ["email", "account", "last_name"])
    assert plan.keys_of_rows(ROWS) == [plan.key_of_row(row)[1] for row in ROWS]
