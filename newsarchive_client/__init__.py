"""Python client of the newsarchive search API (``Client``; errors in ``errors``)."""

from newsarchive_client.client import Client, query_params
from newsarchive_client.errors import (
    ApiError,
    BadRequest,
    Forbidden,
    IncompleteExport,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)

__all__ = ["ApiError", "BadRequest", "Client", "Forbidden", "IncompleteExport", "NotFound",
           "RateLimited", "Unauthorized", "Unavailable", "query_params"]
