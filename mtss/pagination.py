"""The one pagination of /api/v1/: numbered pages, `?page_size=` up to a ceiling."""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # An integration syncing a district pages through it; the ceiling keeps one page (and
    # its one-INSERT access log) small.
    max_page_size = 500
