"""Spreadsheets in and out: exports, imports of our own format, and the Have Your Say import.

The entry points callers use are :mod:`.exports` (lists as CSV/Excel and the table layout),
:mod:`.imports` (a spreadsheet read back, all or nothing), :mod:`.have_your_say` (the
Commission's export) and :mod:`.spreadsheet` (file formats and reading). An import goes:
:mod:`.spreadsheet` reads the file → :mod:`.plan` maps headers and reads the columns with
:mod:`.cells` → :mod:`.changes` resolves references and compares with the stored rows →
:mod:`.checks` applies the models' rules (field by field with :mod:`.fields`) and the
tables' → :mod:`.write` writes and audits, or :mod:`.report` describes the refusal.
"""
