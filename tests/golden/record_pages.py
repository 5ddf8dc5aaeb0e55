"""Re-record the golden input pages from the bundled sample outlet (our own text, not corpus).

python tests/golden/record_pages.py          # then review the diff of tests/golden/pages
NEWSBOT_REGENERATE_GOLDEN=1 pytest tests/test_golden_pages.py   # re-make expected posts
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from newsbot.demo.outlet import Faults, OutletSite, load_samples

HERE = Path(__file__).resolve().parent / "pages"
HOST = "newsdao.kr"

HOSTILE_TITLE = '속보: "따옴표" #해시 {{ site.time }} {% include evil.html %} --- yes'
HOSTILE_BODY = (
    '<p data-ke-size="size16">본문 첫 문단입니다. 기사에 {{ page.title }} 와 {% raw %} 같은 '
    "템플릿 문법이 그대로 들어 있어도 블로그는 글자 그대로 보여 주어야 합니다.</p>"
    '<script>alert("xss")</script>'
    '<p onclick="steal()">두 번째 문단은 <a href="javascript:alert(1)">위험한 링크</a>와 '
    '<img src="data:image/png;base64,AAAA" alt="데이터 이미지">를 담고 있지만, 이것들은 '
    "모두 제거되어야 하고 글자는 남아야 합니다. "
    "세 번째 문장은 길이를 채우기 위해 조금 더 씁니다.</p>"
    "<p>세 번째 문단은 평범한 문장입니다. 정부는 이번 조치로 시장의 불확실성이 줄어들 것으로 "
    "기대한다고 밝혔으며, 관계 부처와 함께 후속 대책을 마련할 계획이라고 덧붙였다.</p>"
    '<iframe src="https://evil.example/"></iframe>'
)


def main() -> None:
    samples = load_samples()
    by_id = {a.id: a for a in samples}
    hostile = replace(by_id[5301], id=5390, title=HOSTILE_TITLE, body_html=HOSTILE_BODY)
    site = OutletSite([*samples, hostile], faults=Faults(euc_kr_ids={5304}))
    cases = {
        "newsdao-table-and-emphasis": 5301,
        "newsdao-byline-and-related-box": 5302,
        "newsdao-euc-kr": 5304,
        "newsdao-hostile-text": 5390,
    }
    for name, article_id in cases.items():
        status, _headers, body = site.respond(f"/{article_id}", HOST)
        assert status == 200, (name, status)
        (HERE / f"{name}.html").write_bytes(body)
        meta = {"url": f"https://{HOST}/{article_id}", "hints": {}}
        (HERE / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
