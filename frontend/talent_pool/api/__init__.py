"""The typed async client the web app uses to talk to the Talent Pool BFF."""

from __future__ import annotations

from .client import UNAVAILABLE, ApiError, Download, FileUpload, api_base_url, use_http_client
from .company import CompanyApi
from .team import TeamApi
from .worker import WorkerApi

__all__ = ["UNAVAILABLE", "ApiError", "Download", "FileUpload", "TalentPoolApi", "api_base_url", "use_http_client"]


class TalentPoolApi(CompanyApi, TeamApi, WorkerApi):
    """Calls the BFF's HTTP API with Structs from `shared`; raises `ApiError` on any failure."""
