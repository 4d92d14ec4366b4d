"""Log lines without query strings.

A query string holds what someone typed into a search box, which may be a person's
name; a Referer or a redirect's `next=` carries the query string of another page.
Logs are kept longer, copied further and read by more people than the database, so
every handler of the app, gunicorn and the development server drops them (the proxy
does the same in its own configuration). Paths stay: they hold only random references.
"""

import logging
import re

# A "?" right after a URL character and followed by at least one more: a query string,
# up to the next space or quote. A question mark ending a sentence is left alone.
_QUERY_STRING = re.compile(r"(?<=[\w/.%~-])\?[^\s\"'<>]+")
REDACTED = "?[query removed]"


def redact_query_strings(text: str) -> str:
    return _QUERY_STRING.sub(REDACTED, text)


class RedactQueryStrings(logging.Filter):
    """Rewrites the record's message (and its traceback) without query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call: logging reports it, this filter need not
        redacted = redact_query_strings(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_query_strings(record.exc_text)
        return True
