"""A small valid methodology document the methodology and edition tests start from."""

from __future__ import annotations

from typing import Any


def minimal() -> dict[str, Any]:
    """A small valid document: two dimensions, weights written and left out."""

    def indicator(ident: str, weight: float | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": ident,
            "name": ident,
            "question": "Ada?",
            "evidence": "Dokumen.",
            "topic": "komponen-sp",
            "certainty": "satu-sumber",
            "options": [{"value": 0, "label": "Tidak"}, {"value": 3, "label": "Ya"}],
        }
        if weight is not None:
            item["weight"] = weight
        return item

    return {
        "id": "2023",
        "name": "Uji",
        "scale": {"min": 0, "max": 3},
        "dimensions": [
            {
                "id": "a",
                "name": "A",
                "weight": 60,
                "variables": [
                    {
                        "id": "va",
                        "name": "VA",
                        "indicators": [indicator("a1", 50), indicator("a2")],
                    },
                    {"id": "vb", "name": "VB", "indicators": [indicator("a3")]},
                ],
            },
            {
                "id": "b",
                "name": "B",
                "weight": 40,
                "variables": [
                    {"id": "vc", "name": "VC", "indicators": [indicator("b1"), indicator("b2")]},
                ],
            },
        ],
        "categories": [
            {"code": "A", "label": "Tinggi", "min": 50.00, "max": 100.00, "zone": "hijau"},
            {"code": "B", "label": "Rendah", "min": 0.00, "max": 49.99, "zone": "merah"},
        ],
    }
