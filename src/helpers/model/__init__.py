"""Stage 3, the models: what a larger network would change, for the member the evidence stage summarises
(``helpers.evidence.member.Member``).

Reach: the focus model and its generator (``population``), exact layer counts and the ego prediction (``reach``),
degree distributions (``degrees``), where ties land (``landing``), the closed-form engine (``occupancy``), the
fitted overlap laws (``overlap_laws``, measured and fitted by ``mechanisms``), LinkedIn as the model has it
(``platform``), runs and joint draws (``scenarios``), the typical member (``typical_member``), LinkedIn's
published sizes (``anchors``), validation on real graphs (``validate``), growth by strategy (``strategies``) and the
reach verdicts (``reach_verdicts``). The audience of a post: ``audience_fit``, ``audience_members``, ``audience``, ``cascade``. The feed:
``feed_simulation``, ``feed_validation``, ``feed_verdicts`` and its command line ``feed``. Beside them every
assumption with its range and source (``assumptions``), the rules model verdicts share (``judging``), what the
member command lines share (``command_line``) and results kept across reports (``cache``). Modules here may import
the evidence and the base modules, never the report; only the audience model, not yet moved to the member summary,
still reads the export.

Command lines: ``python -m helpers.model.reach``, ``helpers.model.feed``, ``helpers.model.validate``,
``helpers.model.mechanisms``, ``helpers.model.audience``, ``helpers.model.audience_fit``.
"""
