"""Record the golden Tistory pages: bundled samples (our own text) in three skin layouts of
``tests/sites/tistory.py``, one of them with the loose text and the table of contents that lost
words and lists before.

PYTHONPATH=. python tests/golden/record_tistory_pages.py   # then review the diff
NEWSBOT_REGENERATE_GOLDEN=1 pytest tests/test_golden_pages.py   # re-make expected posts
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from newsbot.demo.outlet import load_samples
from tests.sites.tistory import TistorySite

HERE = Path(__file__).resolve().parent / "pages"
HOST = "newsdao.kr"

TOC_AND_LOOSE_TEXT = (
    '<h2 data-ke-size="size26">목차</h2><ul><li><a href="#why">왜 바뀌나</a></li>'
    '<li><a href="#what">무엇이 달라지나</a></li></ul><p data-ke-size="size16">&nbsp;</p>'
    '<h2 id="why" data-ke-size="size26">왜 바뀌나</h2>\n'
    "다온시는 공공자전거 이용이 늘면서 요금 체계를 손보기로 했다. 이번 개편은 "
    '<b><span style="color: #1a5490;">10년 만의 첫 조정입니다.</span></b> 시는 '
    "<b>주로 출퇴근 이용자</b>의 부담이 늘지 않도록 1시간권은 그대로 둔다.<br>"
    "정기권 가격은 이용 실적을 반영해 다시 정한다.\n"
    '<h2 id="what" data-ke-size="size26">무엇이 달라지나</h2>'
    '<p data-ke-size="size16">2시간권은 2천원에서 2천5백원으로 오르고, 30일 정기권은 '
    "1만5천원에서 1만7천원이 된다. 새 요금은 7월 1일 대여분부터 적용된다.</p>"
)


def main() -> None:
    samples = load_samples()
    by_id = {a.id: a for a in samples}
    cases = {
        "tistory-odyssey-toc-and-loose-text": (
            "odyssey-like",
            replace(by_id[5301], body_html=TOC_AND_LOOSE_TEXT + by_id[5301].body_html),
        ),
        "tistory-classic-2016-category-box-inside": ("classic-2016", by_id[5302]),
        "tistory-bookclub-contents-style": ("bookclub-like", by_id[5307]),
    }
    for name, (layout, article) in cases.items():
        site = TistorySite([article, *(a for a in samples if a.id != article.id)], layout)
        status, _headers, body = site.respond(f"/{article.id}", HOST)
        assert status == 200, (name, status)
        (HERE / f"{name}.html").write_bytes(body)
        meta = {"url": f"https://{HOST}/{article.id}", "hints": {}}
        (HERE / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
