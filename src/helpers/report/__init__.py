"""Stage 4, the report: the ledger of verdicts, its sentences and tables, the charts and the rendering.

``render`` runs every notebook with papermill and writes ``reports/<name>/`` atomically
(``python -m helpers.report``); ``ledger`` gathers the verdicts into the claim-by-claim table, ``prose``
writes sentences and tables, ``charts`` holds the Altair theme and the offline renderer. The report may
import every stage below it.
"""
