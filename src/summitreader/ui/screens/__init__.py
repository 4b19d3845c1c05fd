"""The reader's screens: the library list, one article, the notes list and the dialogs.

Only the library's CSS is read at start (``ui/app.tcss``); every other screen names its own
file here, read by Textual when the screen is first shown (absolute paths, so a subclass
defined elsewhere still finds them).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The article screen's CSS.
ARTICLE_CSS = HERE / "article.tcss"
#: The notes list's CSS.
ALL_NOTES_CSS = HERE / "all_notes.tcss"
#: The CSS of every dialog: key help, note and tag editors, questions.
DIALOGS_CSS = HERE / "dialogs.tcss"
