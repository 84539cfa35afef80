"""CSV import of screening scores (FastBridge, aimswebPlus, Acadience and similar exports).

The steps, each in its own module:

- `reading`: bytes -> text -> header and rows (encoding, delimiter, file-level refusals);
- `mapping`: which column holds what, guessed from common header names, confirmed by the user;
- `checking`: every row resolved (student, measure, window) with set-based lookups
  (`resolving`) and checked with the same rules as `screening.services.scores_bulk_record`,
  without writing, so the preview can count a whole file in seconds;
- `jobs`: the ImportJob importer (`students.imports`): check again, then write every valid
  row through `scores_bulk_record` inside ONE transaction.

The web pages (`screening/import_views.py`), the Celery task (`screening/tasks.py`) and
`manage.py import_scores` all run the same code. See docs/score-import.md.
"""
