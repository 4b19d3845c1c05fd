"""The pure core: no Textual, no Rich.

Everything here can be imported and tested without a terminal. The UI shell builds on it;
a test checks that importing it never pulls in ``textual`` or ``rich``.
"""
