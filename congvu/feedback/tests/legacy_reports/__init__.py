"""The feedback app as it was released under the label ``reports``, for the upgrade test only.

``settings`` installs today's code (``congvu.feedback``) under the old label with the old
migrations (``migrations/``: copied from the release, choices written as their values), so a
database built with it has the old schema, the old content types and audit records, and the
demo's data. Nothing else imports this package.
"""
