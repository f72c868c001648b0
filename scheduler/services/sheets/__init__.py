"""Spreadsheets in and out: the sheets a coordinator imports (docs/sheets.md)."""
