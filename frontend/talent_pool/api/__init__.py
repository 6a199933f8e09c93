"""The typed async client the web app uses to talk to the Talent Pool BFF."""

from __future__ import annotations

from .client import UNAVAILABLE, ApiError, Download, FileUpload, api_base_url
from .company import CompanyApi
from .worker import WorkerApi

__all__ = ["UNAVAILABLE", "ApiError", "Download", "FileUpload", "TalentPoolApi", "api_base_url"]


class TalentPoolApi(CompanyApi, WorkerApi):
    """Calls the BFF's HTTP API with Structs from `shared`; raises `ApiError` on any failure."""
