from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class InboxCursorPagination(CursorPagination):
    """Most recently active first; `-id` breaks ties so no ticket is skipped or repeated."""

    ordering = ("-updated_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class TimelineCursorPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
