"""Stage 3, the models: what a larger network would change.

Reach (``population``, ``reach``, ``platform_reach``, ``mechanisms``, ``anchors``, ``validate``,
``strategies``), the audience of a post (``audience_fit``, ``audience_members``, ``audience``, ``cascade``), the feed
(``feed``), every assumption with its range and source (``assumptions``), the rules model verdicts share
(``judging``) and results kept across reports (``cache``). Modules here may import the export, the
evidence and the base modules, never the report.

Command lines: ``python -m helpers.model.audience``, ``helpers.model.reach``, ``helpers.model.validate``,
``helpers.model.mechanisms``, ``helpers.model.audience_fit``.
"""
