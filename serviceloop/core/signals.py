"""Signals between apps, so that one app reacts to another without importing it.

`major_quality_problem` is sent (inside the sender's transaction) whenever a record is
flagged as a major quality problem (R-5.9.1, R-5.3.4.2, R-5.9.5). Keyword arguments:
`instance` (the flagged record), `actor` (User or None for jobs), `customer`, `summary`,
and where known `part_number`, `part_name`, `lot`, `quantity`.
Receivers must be idempotent: the same record may be announced again by a retry.
"""

from django.dispatch import Signal

major_quality_problem = Signal()

# Sent after field data arrived in bulk (warranty claims, service records, shipments,
# surveys), on commit of the import. Keyword arguments: `source` (e.g. "warranty_claims"),
# `count` (rows imported). The early-warning engine listens and schedules an analysis run.
field_data_imported = Signal()
