"""Vapi's API conventions: the names the generator recognises without the spec saying what they mean.

Nothing else in the generator spells them. Detection (``model.pagination``) records what it found
as data on the model (``ir.Pagination``), so the emitted runtime reads field names from the
generated declarations, never from constants; the mock view maps Vapi's list parameters onto the
mock runtime's keywords.
"""

from __future__ import annotations

import re

# Page-number pagination: a ``page`` query parameter, and a page model holding the items and the metadata.
PAGE_PARAMETER = "page"
PAGE_ITEMS_FIELDS = ("results", "items", "data")  # the first of these the page model has, if an array
PAGE_METADATA_FIELDS = ("metadata", "meta", "pagination")
# Fields of the metadata model telling whether another page follows (each optional).
HAS_NEXT_PAGE_FIELDS = ("hasNextPage",)
CURRENT_PAGE_FIELDS = ("currentPage",)
TOTAL_PAGES_FIELDS = ("totalPages",)

# Query parameters of list operations that the mock runtime handles itself, with its keyword for each.
MOCK_PAGE_CONTROLS = {"page": "page", "limit": "limit", "sortOrder": "sort_order", "sortBy": "sort_by", "search": "search"}
MOCK_LIST_CONTROLS = {"limit": "limit"}
# A query parameter filtering on a range of an item field: ``createdAtGt`` (``createdAt`` > value).
RANGE_FILTER = re.compile(r"^(?P<field>.+)(?P<how>Gt|Lt|Ge|Le)$")

# The boolean body field that asks an operation answering JSON for its server-sent events instead
# (``"stream": true``, as Vapi's chats and OpenAI's APIs do): the client's ``<method>_stream`` sets it.
STREAM_FLAG_FIELDS = ("stream",)

# The item fields the mock fills from the file uploaded to create a resource (multipart): for each
# fact of the upload, the first of these names the item declares (Vapi's ``File``: originalName,
# mimetype, bytes).
MOCK_UPLOAD_FIELDS = {
    "filename": ("originalName", "filename", "fileName"),
    "content_type": ("mimetype", "mimeType", "contentType"),
    "size": ("bytes", "size"),
}
# The mock's event streams echo the words of the body's first text field of these names, one event
# per word, in the event's first text field of these names.
MOCK_EVENT_SOURCE_FIELDS = ("input", "prompt", "message", "text")
MOCK_EVENT_TEXT_FIELDS = ("delta", "text", "content")
