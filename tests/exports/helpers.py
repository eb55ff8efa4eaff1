"""Building xlsx files in memory for the import tests."""

from io import BytesIO

import openpyxl


def xlsx(headers, *rows) -> bytes:
    """A workbook whose first sheet has `headers` in row 1 and `rows` below (values written as
    given: a str stays a str even when it starts with "=")."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PETITION_HEADERS = [
    "信访编号", "登记日期", "信访人", "身份证号", "所属村(居)", "信访层级", "信访形式",
    "上访性质", "是否集体访", "人数", "反映事项", "是否及时稳控", "是否持村处理意见书",
]  # fmt: skip


def petition_row(ref="YG-1", day="2026-04-10", people="张三", ids="", village="甲村", **kw):
    values = {
        "level": "区", "channel": "走访", "nature": "正常", "collective": "否", "count": 1,
        "matter": "反映土地承包经营权纠纷", "stabilised": "否", "opinion": "",
    } | kw  # fmt: skip
    return [
        ref, day, people, ids, village, values["level"], values["channel"], values["nature"],
        values["collective"], values["count"], values["matter"], values["stabilised"],
        values["opinion"],
    ]  # fmt: skip
