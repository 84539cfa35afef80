"""OneRoster 1.1 / 1.2 CSV roster import (domain.md section 6; docs/imports.md).

- source.py: open a zip or a folder safely (zip slip, not-a-zip, size limits);
- reader.py: manifest.csv and the CSV files, read by header name, with row numbers as a
  spreadsheet counts them (header = row 1);
- codes.py: OneRoster vocabularies turned into ours (grades, sex, race/ethnicity, roles,
  statuses, dates, booleans), pure functions;
- upsert.py: the set-based create / update / deactivate step shared by every record type;
- importer.py: the import itself, file by file, in one transaction;
- people_guardians.py: parents, guardians and relatives as students' family contacts;
- groups.py: the supplementary student-group CSV (EL, IEP, 504, economically disadvantaged);
- jobs.py: the two importers as ImportJob kinds.
"""
