"""Report builders (no Telegram, no database): take service results, return file bytes.

/rekap and `python -m bot export` share them, so the chat and the command line produce the same
figures. Everything here is CPU-bound: handlers call it through asyncio.to_thread.
"""
