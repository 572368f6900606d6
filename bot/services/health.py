"""Health probe for operators: is the database answering?"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
PROBE_TIMEOUT = 3.0


async def database_ok(engine: AsyncEngine, *, within: float = PROBE_TIMEOUT) -> bool:
    """True when `SELECT 1` succeeds within `within` seconds; the reason is logged, not raised."""
    try:
        async with asyncio.timeout(within), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not reachable" to the health check
        log.warning("health: database not reachable (%s)", type(exc).__name__)
        return False
    return True
