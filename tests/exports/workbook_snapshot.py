"""What a 评分表 workbook holds, as plain data to compare: every cell's value and look, the merged
ranges, row heights, column widths and print settings (read back with openpyxl)."""

from __future__ import annotations

from io import BytesIO

import openpyxl


def _colour(colour) -> str | None:
    """The RGB of a colour, without the alpha byte the two writers fill in differently."""
    rgb = getattr(colour, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _look(cell) -> list:
    font, align, border, fill = cell.font, cell.alignment, cell.border, cell.fill
    return [
        font.name,
        float(font.sz or 0),
        bool(font.b),
        align.horizontal,
        align.vertical,
        bool(align.wrap_text),
        [border.left.style, border.right.style, border.top.style, border.bottom.style],
        _colour(fill.fgColor) if fill.fill_type == "solid" else None,
        cell.number_format,
    ]


def _value(value):
    # Both writers store numbers as text in the XML; 17.5 and 20 read back as float or int
    # depending on the digits written, so compare numbers as numbers.
    return float(value) if isinstance(value, (int, float)) else value


def snapshot(data: bytes) -> dict:
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheets = []
    for ws in workbook.worksheets:
        cells = [
            [cell.row, cell.column, _value(cell.value), *_look(cell)]
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None or cell.has_style
        ]
        setup = ws.page_setup
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "heights": {
                    str(n): dim.height
                    for n, dim in sorted(ws.row_dimensions.items())
                    if dim.height is not None
                },
                "widths": {
                    letter: dim.width
                    for letter, dim in sorted(ws.column_dimensions.items())
                    if dim.customWidth
                },
                "print": {
                    "paper": int(setup.paperSize) if setup.paperSize else None,
                    "orientation": setup.orientation,
                    "fit": [setup.fitToWidth, setup.fitToHeight],
                    "fit_to_page": bool(ws.sheet_properties.pageSetUpPr.fitToPage),
                    "centred": bool(ws.print_options.horizontalCentered),
                    "margins": [
                        ws.page_margins.left,
                        ws.page_margins.right,
                        ws.page_margins.top,
                        ws.page_margins.bottom,
                        ws.page_margins.header,
                        ws.page_margins.footer,
                    ],
                    "footer": [ws.oddFooter.center.text, ws.oddFooter.center.font],
                    "title_rows": ws.print_title_rows,
                    "area": ws.print_area,
                },
            }
        )
    return {
        "sheets": sheets,
        "creator": workbook.properties.creator,
        "title": workbook.properties.title,
    }
