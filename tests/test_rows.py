"""Rows the code relies on: present, or a clear MissingRow (never a TypeError deep in a service)."""

import pytest

from backend.rows import MissingRow, present


def test_present_row_returned_as_is():
    row = {"id": 1, "name": "Acme"}
    assert present(row, "the company") is row


def test_present_missing_row_raises_missing_row_naming_it():
    with pytest.raises(MissingRow, match="the company is missing"):
        present(None, "the company")
