"""Stage 2, the evidence: what the member's own export shows, one module per question.

``profile`` measures the network (size, growth, the "500+" day, employers, job functions, seniority);
``colleagues``, ``invitations``, ``badge``, ``inner_circle``, ``bursts``, ``spam``, ``posts`` and
``opportunities`` each hold the measure of one question the export can answer and the rule that judges
it (``matched`` the rule for verdicts on people matched across files); ``fact_checks`` judges the
articles' statements of fact and names the claims no export can test; ``stats`` has the intervals and
fits they use. Modules here may import ``helpers.export`` and the base modules (``paths``, ``errors``,
``claims``, ``rules``), never the models or the report.
"""
