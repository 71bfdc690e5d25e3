"""Stage 2, the evidence: what the member's own export shows.

``profile`` measures the network (size, growth, the "500+" day, employers, job functions); ``measures``
holds the measures of the claims the export can answer and the rules that judge them; ``activity`` and
``fact_checks`` judge the claims about the member's own activity and the articles' statements of fact;
``stats`` has the intervals and fits they use. Modules here may import ``helpers.export`` and the base
modules (``paths``, ``errors``, ``claims``), never the models or the report.
"""
